package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.NetworkException;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.domain.peer.PeerAddress;
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
    private final NetConfig config;
    private final SecureRandom random = new SecureRandom();
    private final ReadTimeouts timeouts;

    @Inject
    TcpPeerNetwork(NetConfig config) {
        this.config = config;
        this.timeouts = new ReadTimeouts(config.readTimeout());
    }

    @Override
    public Listening listen(String bindAddress, int port, Acceptor acceptor) {
        ServerSocketChannel server = bind(bindAddress.isEmpty() ? config.bindAddress() : bindAddress, port);
        int localPort = server.socket().getLocalPort();
        Thread.ofVirtual().name("jtorr-accept-" + localPort).start(() -> acceptLoop(server, acceptor));
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

    private void acceptLoop(ServerSocketChannel server, Acceptor acceptor) {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                Thread.ofVirtual().name("jtorr-in-" + channel.socket().getRemoteSocketAddress())
                        .start(() -> incoming(channel, acceptor));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.debug("accept failed", e);
                }
            }
        }
    }

    private void incoming(SocketChannel channel, Acceptor acceptor) {
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
            if (Arrays.equals(start, PeerWireCodec.HANDSHAKE_START)) {
                in = new SequenceInputStream(new ByteArrayInputStream(start), in);
            } else if (start.length < PeerWireCodec.HANDSHAKE_START.length) {
                throw new java.io.EOFException("connection closed by peer");
            } else {
                var answered = MessageStreamEncryption.answer(start, in, out, acceptor.infoHashes(), random);
                LOG.debug("encrypted handshake from {} ({})", from,
                        answered.method() == MessageStreamEncryption.RC4 ? "RC4" : "plain text after it");
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
            var connection = new TcpPeerConnection(socket, source, out, from, theirs, false,
                    accepted.get().handler(), config);
            connection.sendHandshake(accepted.get().ours());
            connection.start(timeouts);
        } catch (IOException | RuntimeException e) {
            LOG.debug("incoming handshake from {} failed: {}", from, e.toString());
            closeQuietly(socket);
        }
    }

    @Override
    public void connect(PeerAddress address, Handshake ours, PeerConnection.Handler handler) {
        Thread.ofVirtual().name("jtorr-out-" + address).start(() -> {
            try {
                try {
                    dial(address, ours, handler, false);
                } catch (HungUp e) {
                    // a peer that accepts only encrypted connections hangs up on a plain-text handshake, or
                    // leaves it unanswered
                    LOG.debug("{} hung up on or ignored a plain-text handshake; trying an encrypted one", address);
                    dial(address, ours, handler, true);
                }
            } catch (IOException | RuntimeException e) {
                handler.failed(address, describe(e instanceof HungUp h ? h.cause : e));
            }
        });
    }

    /** The peer closed the connection, or said nothing until the timeout, before its handshake arrived. */
    private static final class HungUp extends IOException {
        final IOException cause;

        HungUp(IOException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    private void dial(PeerAddress address, Handshake ours, PeerConnection.Handler handler, boolean encrypted)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        Socket socket = channel.socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address.host(), address.port()),
                    (int) config.connectTimeout().toMillis());
            socket.setSoTimeout((int) config.connectTimeout().toMillis());
            InputStream in = socket.getInputStream(); // unbuffered: see incoming()
            OutputStream out = socket.getOutputStream();
            ReadableByteChannel source = channel;
            if (encrypted) {
                var opened = MessageStreamEncryption.open(in, out, ours.infoHash(), random);
                in = opened.in();
                out = opened.out();
                source = new StreamChannel(in);
            }
            Handshake theirs;
            try {
                var handshake = new java.io.DataOutputStream(out);
                PeerWireCodec.writeHandshake(handshake, ours);
                handshake.flush();
                theirs = PeerWireCodec.readHandshake(new DataInputStream(in));
            } catch (java.io.EOFException | SocketException | java.net.SocketTimeoutException e) {
                // closed, reset or silent while our handshake was sent or theirs awaited
                throw encrypted ? e : new HungUp(e);
            }
            if (!theirs.infoHash().equals(ours.infoHash())) {
                throw new WireProtocolException("peer answered with another info-hash " + theirs.infoHash());
            }
            new TcpPeerConnection(socket, source, out, address, theirs, true, handler, config).start(timeouts);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
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
