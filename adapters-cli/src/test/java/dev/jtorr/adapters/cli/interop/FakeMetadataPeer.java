package dev.jtorr.adapters.cli.interop;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile peer on loopback for magnet links: it speaks the extension protocol (BEP 10) and ut_metadata (BEP 9)
 * just far enough to lie in one chosen way. Written from the specs for these tests.
 */
final class FakeMetadataPeer implements AutoCloseable {
    enum Behaviour {
        /** Announces the right size and answers every request with random bytes of the right length. */
        FORGED,
        /** Announces a metadata_size of 1 GiB. */
        HUGE_SIZE,
        /** Sends an extension handshake that is not a dictionary. */
        MALFORMED_HANDSHAKE,
        /** Answers every request with a piece far past the end. */
        PAST_THE_END
    }

    private static final int OUR_UT_METADATA = 3;

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final int size;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger droppedByPeer = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    /** @param size the real info dictionary's size */
    FakeMetadataPeer(Behaviour behaviour, int size) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.behaviour = behaviour;
        this.size = size;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    int droppedByPeer() {
        return droppedByPeer.get();
    }

    int requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
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
            if (theirs.length < 68 || theirs[0] != 19) {
                return; // not a plain-text handshake
            }
            byte[] ours = theirs.clone();
            ours[25] |= 0x10; // BEP 10
            System.arraycopy("-FK0001-liarliarliar".getBytes(StandardCharsets.US_ASCII), 0, ours, 48, 20);
            out.write(ours);
            String handshake = switch (behaviour) {
                case MALFORMED_HANDSHAKE -> "i42e";
                case HUGE_SIZE -> "d1:md11:ut_metadatai" + OUR_UT_METADATA + "ee13:metadata_sizei1073741824ee";
                default -> "d1:md11:ut_metadatai" + OUR_UT_METADATA + "ee13:metadata_sizei" + size + "ee";
            };
            extended(out, 0, handshake.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int theirMetadataId = -1;
            var random = new Random(1);
            try {
                while (true) {
                    int length = in.readInt();
                    if (length == 0) {
                        continue;
                    }
                    int id = in.readUnsignedByte();
                    byte[] payload = in.readNBytes(length - 1);
                    if (id != 20) {
                        continue;
                    }
                    String text = new String(payload, 1, payload.length - 1, StandardCharsets.ISO_8859_1);
                    if (payload[0] == 0) {
                        int at = text.indexOf("11:ut_metadatai");
                        if (at >= 0) {
                            theirMetadataId = Integer.parseInt(text.substring(at + 15, text.indexOf('e', at + 15)));
                        }
                    } else if (payload[0] == OUR_UT_METADATA && text.contains("8:msg_typei0e")) {
                        requests.incrementAndGet();
                        int at = text.indexOf("5:piecei");
                        int piece = Integer.parseInt(text.substring(at + 8, text.indexOf('e', at + 8)));
                        int sent = behaviour == Behaviour.PAST_THE_END ? 1000 + piece : piece;
                        int len = Math.max(0, Math.min(16384, size - piece * 16384));
                        byte[] junk = new byte[behaviour == Behaviour.PAST_THE_END ? 16384 : len];
                        random.nextBytes(junk);
                        byte[] head = ("d8:msg_typei1e5:piecei" + sent + "e10:total_sizei" + size + "ee")
                                .getBytes(StandardCharsets.US_ASCII);
                        byte[] message = new byte[head.length + junk.length];
                        System.arraycopy(head, 0, message, 0, head.length);
                        System.arraycopy(junk, 0, message, head.length, junk.length);
                        extended(out, theirMetadataId, message);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                droppedByPeer.incrementAndGet();
            }
        } catch (IOException e) {
            droppedByPeer.incrementAndGet();
        }
    }

    private static void extended(DataOutputStream out, int id, byte[] payload) throws IOException {
        out.writeInt(2 + payload.length);
        out.writeByte(20);
        out.writeByte(id);
        out.write(payload);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
