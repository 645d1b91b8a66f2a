package dev.jtorr.adapters.net;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that have received nothing (not even a keep-alive) for the read timeout. Connections read
 * socket channels in blocking mode, which have no timeout of their own: one thread checks every connection at a
 * quarter of the timeout (at most once a second, at least every 10 ms), and closing the socket ends a read that
 * waits. The thread runs only while there are connections.
 */
final class ReadTimeouts {
    private final long timeoutNanos;
    private final long periodMillis;
    private final Set<TcpPeerConnection> live = ConcurrentHashMap.newKeySet();
    private Thread checker;

    ReadTimeouts(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.periodMillis = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
    }

    /** Watches {@code connection} until it is closed. */
    synchronized void watch(TcpPeerConnection connection) {
        live.add(connection);
        if (checker == null) {
            checker = Thread.ofPlatform().daemon().name("jtorr-read-timeouts").start(this::run);
        }
    }

    private void run() {
        while (true) {
            synchronized (this) {
                live.removeIf(TcpPeerConnection::isClosed);
                if (live.isEmpty()) {
                    checker = null;
                    return;
                }
            }
            long now = System.nanoTime();
            for (TcpPeerConnection c : live) {
                if (now - c.lastRead() > timeoutNanos) {
                    c.close("timed out: nothing received for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                }
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                synchronized (this) {
                    checker = null;
                }
                return;
            }
        }
    }
}
