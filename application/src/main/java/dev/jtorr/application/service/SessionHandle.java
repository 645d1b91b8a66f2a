package dev.jtorr.application.service;

import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.domain.swarm.TransferStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The outside view of a session: thread-safe snapshots and waits, updated by the session thread. */
final class SessionHandle implements TorrentHandle {
    private final Runnable stopper;
    private final CountDownLatch complete = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int port;
    private volatile TransferStatus status;
    private volatile String failure;
    private volatile List<PeerStats> peers = List.of();

    SessionHandle(Runnable stopper) {
        this.stopper = stopper;
    }

    void started(int boundPort, TransferStatus initial) {
        port = boundPort;
        status = initial;
    }

    void update(TransferStatus s) {
        status = s;
    }

    void peers(List<PeerStats> list) {
        peers = List.copyOf(list);
    }

    @Override
    public List<PeerStats> peers() {
        return peers;
    }

    void completed() {
        complete.countDown();
    }

    void failed(String reason) {
        failure = reason;
    }

    void stopped(TransferStatus last) {
        status = last;
        stopped.countDown();
        complete.countDown();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public TransferStatus status() {
        return status;
    }

    @Override
    public boolean awaitComplete(Duration timeout) throws InterruptedException {
        complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        TransferStatus s = status;
        return s != null && s.verifiedBytes() == s.totalBytes() && failure == null;
    }

    @Override
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        if (stopped.getCount() > 0) {
            stopper.run();
        }
    }
}
