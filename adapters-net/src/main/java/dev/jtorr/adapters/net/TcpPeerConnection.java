package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One established connection: a reader thread decodes messages and hands them to the handler in order; a writer
 * thread drains the send queue, flushing when it runs empty, and sends keep-alives when idle.
 */
final class TcpPeerConnection implements PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(TcpPeerConnection.class);
    private static final long LOW_WATER = 256 * 1024;
    private static final PeerMessage CLOSE = new PeerMessage.Unknown(-2, 0);

    /** Socket reads are this large, so one read carries many blocks. */
    private static final int READ_BUFFER = 256 * 1024;

    private final Socket socket;
    private final WireReader in;
    private final DataOutputStream out;
    private final PeerAddress address;
    private final Handshake remote;
    private final boolean outgoing;
    private final Handler handler;
    private final NetConfig config;
    private final LinkedBlockingQueue<PeerMessage> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean aboveLowWater;

    /**
     * {@code socket} has exchanged handshakes; {@code input} (the socket's, or its decrypting view) has been read up
     * to the end of the peer's handshake; {@code output} is the socket's, or its encrypting view.
     */
    TcpPeerConnection(Socket socket, InputStream input, OutputStream output, PeerAddress address, Handshake remote,
                      boolean outgoing, Handler handler, NetConfig config) {
        this.socket = socket;
        this.in = new WireReader(input, config.maxMessageLength(), READ_BUFFER);
        this.out = new DataOutputStream(new BufferedOutputStream(output, 64 * 1024));
        this.address = address;
        this.remote = remote;
        this.outgoing = outgoing;
        this.handler = handler;
        this.config = config;
    }

    void sendHandshake(Handshake ours) throws IOException {
        PeerWireCodec.writeHandshake(out, ours);
        out.flush();
    }

    void start() throws IOException {
        socket.setSoTimeout((int) config.readTimeout().toMillis());
        handler.connected(this);
        Thread.ofVirtual().name("jtorr-write-" + address).start(this::writeLoop);
        Thread.ofVirtual().name("jtorr-read-" + address).start(this::readLoop);
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
