package dev.jtorr.adapters.cli.interop;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile peer on loopback, speaking just enough BEP 3 to misbehave in one chosen way. Written from the spec for
 * these tests; each accepted connection runs on its own thread.
 */
final class FakePeer implements AutoCloseable {
    enum Behaviour {
        /** Has every piece, unchokes, answers every request with random bytes. */
        CORRUPT,
        /** Answers the handshake with another torrent's info-hash. */
        WRONG_INFO_HASH,
        /** Sends a length prefix of almost 2 GiB after the handshake. */
        HUGE_LENGTH,
        /** Completes the handshake, then says nothing at all. */
        SILENT,
        /** Accepts the TCP connection and never answers the handshake. */
        NO_HANDSHAKE
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final int pieceCount;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger droppedByPeer = new AtomicInteger();
    private final AtomicBoolean open = new AtomicBoolean(true);

    FakePeer(Behaviour behaviour, int pieceCount) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.behaviour = behaviour;
        this.pieceCount = pieceCount;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    /** Connections that the other side closed (or reset) while we were still talking. */
    int droppedByPeer() {
        return droppedByPeer.get();
    }

    private void acceptLoop() {
        while (open.get()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(60_000);
            var in = new DataInputStream(s.getInputStream());
            var out = new DataOutputStream(s.getOutputStream());
            byte[] theirs = in.readNBytes(68);
            if (theirs.length < 20 || theirs[0] != 19 || !new String(theirs, 1, 19, StandardCharsets.US_ASCII)
                    .equals("BitTorrent protocol")) {
                return; // not a plain-text handshake (an encrypted one, say): hang up, as a plain-text peer does
            }
            if (behaviour == Behaviour.NO_HANDSHAKE) {
                awaitClose(in);
                return;
            }
            byte[] ours = theirs.clone();
            if (behaviour == Behaviour.WRONG_INFO_HASH) {
                ours[30] ^= 0x55;
            }
            System.arraycopy("-FK0001-hostilepeer!".getBytes(StandardCharsets.US_ASCII), 0, ours, 48, 20);
            out.write(ours);
            out.flush();
            switch (behaviour) {
                case HUGE_LENGTH -> {
                    out.writeInt(0x7ffffff0);
                    out.writeByte(7);
                    out.flush();
                    awaitClose(in);
                }
                case SILENT, WRONG_INFO_HASH -> awaitClose(in);
                case CORRUPT -> corrupt(in, out);
                default -> { }
            }
        } catch (IOException e) {
            // the other side hung up on us: what these tests expect
        }
    }

    private void awaitClose(DataInputStream in) {
        try {
            while (in.read() >= 0) {
                // drain whatever the peer sends until it gives up on us
            }
            droppedByPeer.incrementAndGet();
        } catch (IOException e) {
            droppedByPeer.incrementAndGet();
        }
    }

    private void corrupt(DataInputStream in, DataOutputStream out) throws IOException {
        byte[] bits = new byte[(pieceCount + 7) / 8];
        Arrays.fill(bits, (byte) 0xff);
        if (pieceCount % 8 != 0) {
            bits[bits.length - 1] = (byte) (0xff << (8 - pieceCount % 8));
        }
        out.writeInt(1 + bits.length);
        out.writeByte(5);
        out.write(bits);
        out.writeInt(1);
        out.writeByte(1); // unchoke
        out.flush();
        var random = new Random(1);
        try {
            while (true) {
                int length = in.readInt();
                if (length == 0) {
                    continue;
                }
                int id = in.readUnsignedByte();
                byte[] payload = in.readNBytes(length - 1);
                if (id == 6) {
                    var p = java.nio.ByteBuffer.wrap(payload);
                    int piece = p.getInt();
                    int offset = p.getInt();
                    int len = p.getInt();
                    byte[] junk = new byte[len];
                    random.nextBytes(junk);
                    out.writeInt(9 + len);
                    out.writeByte(7);
                    out.writeInt(piece);
                    out.writeInt(offset);
                    out.write(junk);
                    out.flush();
                }
            }
        } catch (IOException e) {
            droppedByPeer.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        open.set(false);
        server.close();
    }
}
