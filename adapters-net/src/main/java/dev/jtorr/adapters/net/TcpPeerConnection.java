package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.Encryption;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One established connection: a reader thread decodes messages and hands them to the handler in order; a writer
 * thread drains the send queue, flushing when it runs empty, and sends keep-alives when idle. Both are platform
 * threads (see {@link #ioThread}). The reader reads a socket channel, which has no read timeout of its own: the
 * network's {@link ReadTimeouts} closes a connection that has received nothing for the read timeout.
 */
final class TcpPeerConnection implements PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(TcpPeerConnection.class);
    private static final long LOW_WATER = 256 * 1024;
    private static final PeerMessage CLOSE = new PeerMessage.Unknown(-2, 0);

    /**
     * The reader and the writer are platform threads (daemons: a connection never keeps a JVM alive). On virtual
     * threads, every read that found the socket empty and every send to an idle writer went through the poller and
     * the carrier pool (park, unmount, epoll, unpark, mount: several thread wake-ups where a platform thread blocked
     * in the kernel needs one). bench/download.sh's 1 GiB from one libtorrent seeder, alternated runs, medians of 7,
     * two rounds: 3.97 -> 3.63 s and 4.21 -> 3.63 s, CPU 4.98 -> 4.31 and 5.21 -> 4.44 s (libtorrent 3.36 s). A
     * session has at most a few dozen connections (50 by default), so two threads each is cheap.
     */
    private static void ioThread(String name, Runnable loop) {
        Thread.ofPlatform().daemon().name(name).start(loop); // a builder per thread: builders are not thread-safe
    }

    /** Socket reads are this large, so one read carries many blocks. */
    private static final int READ_BUFFER = 256 * 1024;

    private final Socket socket;
    private final WireReader in;
    private final DataOutputStream out;
    private final PeerAddress address;
    private final Handshake remote;
    private final boolean outgoing;
    private final Encryption encryption;
    private final Handler handler;
    private final NetConfig config;
    private final LinkedBlockingQueue<PeerMessage> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean aboveLowWater;

    /**
     * {@code socket} has exchanged handshakes; {@code input} (the socket's channel, or a decrypting view) has been
     * read up to the end of the peer's handshake; {@code output} is the socket's, or its encrypting view.
     */
    TcpPeerConnection(Socket socket, ReadableByteChannel input, OutputStream output, PeerAddress address,
                      Handshake remote, boolean outgoing, Encryption encryption, Handler handler,
                      NetConfig config) {
        this.socket = socket;
        this.in = new WireReader(input, config.maxMessageLength(), READ_BUFFER);
        this.out = new DataOutputStream(new BufferedOutputStream(output, 64 * 1024));
        this.address = address;
        this.remote = remote;
        this.outgoing = outgoing;
        this.encryption = encryption;
        this.handler = handler;
        this.config = config;
    }

    void sendHandshake(Handshake ours) throws IOException {
        PeerWireCodec.writeHandshake(out, ours);
        out.flush();
    }

    void start(ReadTimeouts timeouts) throws IOException {
        socket.setSoTimeout((int) config.readTimeout().toMillis()); // an MSE connection reads the socket's stream
        handler.connected(this);
        ioThread("jtorr-write-" + address, this::writeLoop);
        ioThread("jtorr-read-" + address, this::readLoop);
        timeouts.watch(this);
    }

    /** {@link System#nanoTime()} when bytes last arrived (or when the connection was made). */
    long lastRead() {
        return in.lastRead();
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public PeerAddress address() {
        return address;
    }

    @Override
    public Handshake remote() {
        return remote;
    }

    @Override
    public boolean outgoing() {
        return outgoing;
    }

    @Override
    public Encryption encryption() {
        return encryption;
    }

    @Override
    public void send(PeerMessage message) {
        if (closed.get()) {
            return;
        }
        long now = queued.addAndGet(PeerWireCodec.size(message));
        if (now > config.maxQueuedBytes()) {
            close("send queue over " + config.maxQueuedBytes() + " bytes: the peer does not read");
            return;
        }
        if (now > LOW_WATER) {
            aboveLowWater = true;
        }
        queue.add(message);
    }

    @Override
    public long queuedBytes() {
        return queued.get();
    }

    @Override
    public void close(String reason) {
        if (closed.compareAndSet(false, true)) {
            LOG.debug("closing {}: {}", address, reason);
            queue.add(CLOSE);
            TcpPeerNetwork.closeQuietly(socket);
            handler.closed(this, reason);
        }
    }

    private void readLoop() {
        try {
            while (!closed.get()) {
                WireReader.Batch batch = in.next();
                handler.receivedAll(this, batch.messages(), batch::release); // may wait while the session catches up
            }
        } catch (IOException | RuntimeException e) {
            close(closed.get() ? "closed" : TcpPeerNetwork.describe(e));
        } catch (Error e) {
            close("reader failed: " + e); // never leave a connection that nobody reads
            throw e;
        }
    }

    private void writeLoop() {
        byte[] scratch = new byte[16 * 1024];
        try {
            while (!closed.get()) {
                PeerMessage m = queue.poll(config.keepAlive().toMillis(), TimeUnit.MILLISECONDS);
                if (m == null) {
                    m = PeerMessage.KEEP_ALIVE;
                    queued.addAndGet(PeerWireCodec.size(m));
                }
                if (m == CLOSE) {
                    return;
                }
                PeerWireCodec.write(out, m, scratch);
                long left = queued.addAndGet(-PeerWireCodec.size(m));
                if (queue.isEmpty()) {
                    out.flush();
                }
                if (aboveLowWater && left < LOW_WATER) {
                    aboveLowWater = false;
                    handler.drained(this);
                }
            }
        } catch (IOException e) {
            close(TcpPeerNetwork.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            close("writer failed: " + e);
            throw e;
        }
    }
}
