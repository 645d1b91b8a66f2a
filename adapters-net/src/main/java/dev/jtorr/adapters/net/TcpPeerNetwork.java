package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.NetworkException;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.Encryption;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer wire over TCP: blocking socket channels, one platform thread to read and one to write per established
 * connection (handshakes, which are short, run on virtual threads, through the channels' socket streams, which
 * honour a timeout). Handshakes are done here; a peer with a wrong info-hash or a broken handshake never reaches the
 * session. Once connected, a plain-text connection's reader reads the channel itself into direct buffers.
 */
final class TcpPeerNetwork implements PeerNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(TcpPeerNetwork.class);
    private static final int PORT_TRIES = 50;
    /** Encrypted dials made again with a new key after a secret with a leading zero byte (1 in 256 each). */
    private static final int FRESH_KEYS = 3;
    private final NetConfig config;
    private final SecureRandom random = new SecureRandom();
    private final ReadTimeouts timeouts;
    private final DialMemory dialMemory = new DialMemory();

    @Inject
    TcpPeerNetwork(NetConfig config) {
        this.config = config;
        this.timeouts = new ReadTimeouts(config.readTimeout());
    }

    @Override
    public Listening listen(String bindAddress, int port, EncryptionPolicy encryption, Acceptor acceptor) {
        ServerSocketChannel server = bind(bindAddress.isEmpty() ? config.bindAddress() : bindAddress, port);
        int localPort = server.socket().getLocalPort();
        Thread.ofVirtual().name("jtorr-accept-" + localPort).start(() -> acceptLoop(server, encryption, acceptor));
        LOG.debug("listening for peers on {}", server.socket().getLocalSocketAddress());
        return new Listening() {
            @Override
            public int port() {
                return localPort;
            }

            @Override
            public void close() {
                try {
                    server.close();
                } catch (IOException e) {
                    LOG.debug("closing listener", e);
                }
            }
        };
    }

    private ServerSocketChannel bind(String host, int port) {
        IOException last = null;
        int tries = port == 0 ? 1 : PORT_TRIES;
        for (int p = port; p < port + tries && p <= 65535; p++) {
            ServerSocketChannel server = null;
            try {
                server = ServerSocketChannel.open();
                server.socket().setReuseAddress(true);
                InetAddress bindTo = host.isEmpty() ? null : InetAddress.getByName(host);
                server.bind(new InetSocketAddress(bindTo, p), 128);
                return server;
            } catch (BindException e) {
                closeQuietly(server);
                last = e;
            } catch (IOException e) {
                closeQuietly(server);
                throw new NetworkException("cannot listen on port " + p + ": " + e.getMessage(), e);
            }
        }
        throw new NetworkException("cannot listen: ports " + port + " to " + (port + tries - 1) + " are all taken",
                last);
    }

    private void acceptLoop(ServerSocketChannel server, EncryptionPolicy encryption, Acceptor acceptor) {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                Thread.ofVirtual().name("jtorr-in-" + channel.socket().getRemoteSocketAddress())
                        .start(() -> incoming(channel, encryption, acceptor));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.debug("accept failed", e);
                }
            }
        }
    }

    private void incoming(SocketChannel channel, EncryptionPolicy policy, Acceptor acceptor) {
        Socket socket = channel.socket();
        var from = new PeerAddress(socket.getInetAddress().getHostAddress(), socket.getPort());
        try {
            socket.setSoTimeout((int) config.connectTimeout().toMillis());
            socket.setTcpNoDelay(true);
            // unbuffered: the handshake is read exactly, so what follows it is left for the connection's reader
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] start = in.readNBytes(PeerWireCodec.HANDSHAKE_START.length);
            ReadableByteChannel source = channel; // read exactly up to the end of the handshake: see readHandshake
            Encryption encryption = Encryption.NONE;
            boolean plain = Arrays.equals(start, PeerWireCodec.HANDSHAKE_START);
            if (start.length < PeerWireCodec.HANDSHAKE_START.length) {
                throw new java.io.EOFException("connection closed by peer");
            } else if (plain ? !policy.acceptsPlainText() : !policy.acceptsEncrypted()) {
                LOG.debug("refused {}: {} handshake, and encryption is '{}'", from, plain ? "a plain-text"
                        : "an encrypted", policy.label());
                socket.close();
                return;
            } else if (plain) {
                in = new SequenceInputStream(new ByteArrayInputStream(start), in);
            } else {
                var answered = MessageStreamEncryption.answer(start, in, out, acceptor.infoHashes(), policy, random);
                encryption = answered.encryption();
                LOG.debug("encrypted handshake from {} ({})", from, encryption.label());
                in = answered.in();
                out = answered.out();
                source = new StreamChannel(in);
            }
            Handshake theirs = PeerWireCodec.readHandshake(new DataInputStream(in));
            Optional<Accepted> accepted = acceptor.accept(theirs, from);
            if (accepted.isEmpty()) {
                LOG.debug("refused {}: unknown info-hash {}", from, theirs.infoHash());
                socket.close();
                return;
            }
            var connection = new TcpPeerConnection(socket, source, out, from, theirs, false, encryption,
                    accepted.get().handler(), config);
            connection.sendHandshake(accepted.get().ours());
            connection.start(timeouts);
        } catch (IOException | RuntimeException e) {
            LOG.debug("incoming handshake from {} failed: {}", from, e.toString());
            closeQuietly(socket);
        }
    }

    /**
     * Dials with each handshake the policy allows, in its order (whatever got through to this peer last goes
     * first), moving to the next at once when the peer hangs up on one. Every failed attempt is logged with the
     * step it failed at.
     */
    @Override
    public void connect(PeerAddress address, Handshake ours, EncryptionPolicy policy, PeerConnection.Handler handler) {
        Thread.ofVirtual().name("jtorr-out-" + address).start(() -> {
            List<Boolean> order = policy.dialOrder(dialMemory.worked(address));
            var reasons = new StringBuilder();
            int fresh = 0;
            for (int i = 0; i < order.size(); i++) {
                boolean encrypted = order.get(i);
                try {
                    dial(address, ours, encrypted, policy, handler);
                    return;
                } catch (DialFailure f) {
                    if (f.cause instanceof MessageStreamEncryption.LeadingZeroSecret && fresh++ < FRESH_KEYS) {
                        LOG.debug("{}: {}; dialling again with a new key", address, f.cause.getMessage());
                        i--;
                        continue;
                    }
                    boolean again = f.hungUp && i + 1 < order.size();
                    String reason = kind(encrypted) + " handshake failed " + f.step + ": " + describe(f.cause);
                    LOG.debug("{}: {}{}", address, reason, again ? "; trying " + kind(order.get(i + 1)) + " one"
                            : "");
                    reasons.append(reasons.isEmpty() ? "" : "; then ").append(reason);
                    if (!again) {
                        handler.failed(address, reasons.toString());
                        return;
                    }
                }
            }
        });
    }

    private static String kind(boolean encrypted) {
        return encrypted ? "an encrypted" : "a plain-text";
    }

    /**
     * A dial that failed at {@code step}. {@code hungUp}: the peer closed, reset or ignored the connection before
     * its handshake arrived, as a peer that refuses this kind of handshake does (the other kind may get through).
     */
    private static final class DialFailure extends Exception {
        final String step;
        final Exception cause;
        final boolean hungUp;

        DialFailure(String step, Exception cause, boolean hungUp) {
            super(cause);
            this.step = step;
            this.cause = cause;
            this.hungUp = hungUp;
        }
    }

    private void dial(PeerAddress address, Handshake ours, boolean encrypted, EncryptionPolicy policy,
                      PeerConnection.Handler handler) throws DialFailure {
        SocketChannel channel;
        try {
            channel = SocketChannel.open();
        } catch (IOException e) {
            throw new DialFailure("opening a socket", e, false);
        }
        Socket socket = channel.socket();
        String[] step = {"connecting"};
        boolean connected = false;
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address.host(), address.port()),
                    (int) config.connectTimeout().toMillis());
            connected = true;
            socket.setSoTimeout((int) config.connectTimeout().toMillis());
            InputStream in = socket.getInputStream(); // unbuffered: see incoming()
            OutputStream out = socket.getOutputStream();
            ReadableByteChannel source = channel;
            Encryption encryption = Encryption.NONE;
            if (encrypted) {
                var opened = MessageStreamEncryption.open(in, out, ours.infoHash(), policy, random,
                        s -> step[0] = s);
                encryption = opened.encryption();
                if (!policy.accepts(encryption)) {
                    throw new WireProtocolException("the peer chose " + encryption.label() + " after the encrypted "
                            + "handshake, which encryption '" + policy.label() + "' does not allow");
                }
                in = opened.in();
                out = opened.out();
                source = new StreamChannel(in);
            }
            step[0] = "sending our handshake";
            PeerWireCodec.writeHandshake(out, ours);
            out.flush();
            step[0] = "awaiting the peer's handshake";
            Handshake theirs = PeerWireCodec.readHandshake(new DataInputStream(in));
            if (!theirs.infoHash().equals(ours.infoHash())) {
                throw new WireProtocolException("peer answered with another info-hash " + theirs.infoHash());
            }
            step[0] = "starting the connection";
            dialMemory.remember(address, encrypted);
            new TcpPeerConnection(socket, source, out, address, theirs, true, encryption, handler, config)
                    .start(timeouts);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            // once connected, any I/O failure before the peer's handshake (closed, reset, silent) is a hang-up;
            // a malformed answer is not
            boolean hungUp = connected && e instanceof IOException && !(e instanceof WireProtocolException)
                    && !step[0].equals("starting the connection");
            throw new DialFailure(step[0], e, hungUp);
        }
    }

    /** Which kind of handshake (encrypted or not) last got through to a peer; a bounded memory, oldest forgotten. */
    private static final class DialMemory {
        private static final int SIZE = 4096;
        private final Map<PeerAddress, Boolean> worked = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PeerAddress, Boolean> eldest) {
                return size() > SIZE;
            }
        };

        synchronized Optional<Boolean> worked(PeerAddress address) {
            return Optional.ofNullable(worked.get(address));
        }

        synchronized void remember(PeerAddress address, boolean encrypted) {
            worked.put(address, encrypted);
        }
    }

    static String describe(Exception e) {
        if (e instanceof java.net.SocketTimeoutException) {
            return "timed out";
        }
        if (e instanceof java.io.EOFException) {
            return "connection closed by peer";
        }
        if (e instanceof SocketException && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static void closeQuietly(java.io.Closeable socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // already closing
        }
    }

    /**
     * A decrypting stream read as a channel, as much as the buffer takes per call (an MSE connection; plain-text
     * ones read their socket channel itself).
     */
    private static final class StreamChannel implements ReadableByteChannel {
        private final InputStream in;
        private final byte[] scratch = new byte[64 * 1024];

        StreamChannel(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(ByteBuffer into) throws IOException {
            int n = in.read(scratch, 0, Math.min(into.remaining(), scratch.length));
            if (n > 0) {
                into.put(scratch, 0, n);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
