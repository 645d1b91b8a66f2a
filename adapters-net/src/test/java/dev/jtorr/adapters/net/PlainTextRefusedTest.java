package dev.jtorr.adapters.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A peer that accepts only encrypted connections may hang up on a plain-text handshake or leave it unanswered: either
 * way jtorr dials once more with an encrypted (MSE) handshake. Loopback only, with a connect timeout of 300 ms.
 */
class PlainTextRefusedTest {
    private static final Digest INFO_HASH = Digest.ofHex("0123456789abcdef0123456789abcdef01234567");

    private final TcpPeerNetwork network = new TcpPeerNetwork(new NetConfig("127.0.0.1", Duration.ofMillis(300),
            Duration.ofSeconds(5), Duration.ofSeconds(90), 1 << 20, 64L << 20, Duration.ofSeconds(5),
            Duration.ofSeconds(1), 1));

    /** The first 20 bytes each of two connections; the first is left unanswered, the second closed. */
    private static CompletableFuture<byte[][]> silentPeer(ServerSocket server) {
        var opened = new CompletableFuture<byte[][]>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                server.setSoTimeout(5_000);
                byte[][] starts = new byte[2][];
                try (Socket first = server.accept()) {
                    InputStream in = first.getInputStream();
                    starts[0] = in.readNBytes(PeerWireCodec.HANDSHAKE_START.length);
                    in.readNBytes(Handshake.LENGTH - PeerWireCodec.HANDSHAKE_START.length);
                    try (Socket second = server.accept()) { // comes once jtorr gives up on the first
                        starts[1] = second.getInputStream().readNBytes(PeerWireCodec.HANDSHAKE_START.length);
                    }
                }
                opened.complete(starts);
            } catch (Exception e) {
                opened.completeExceptionally(e);
            }
        });
        return opened;
    }

    @Test
    void aPeerSilentOnAPlainTextHandshakeIsDialledAgainWithAnEncryptedOne() throws Exception {
        try (var server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
            var starts = silentPeer(server);
            var failed = new CompletableFuture<String>();
            network.connect(new PeerAddress("127.0.0.1", server.getLocalPort()),
                    Handshake.ours(INFO_HASH, PeerId.generate(new SplittableRandom(1))), new PeerConnection.Handler() {
                        @Override
                        public void connected(PeerConnection connection) {
                            failed.complete("connected?");
                        }

                        @Override
                        public void received(PeerConnection connection, PeerMessage message) {
                        }

                        @Override
                        public void closed(PeerConnection connection, String reason) {
                        }

                        @Override
                        public void failed(PeerAddress address, String reason) {
                            failed.complete(reason);
                        }
                    });
            byte[][] got = starts.get(10, TimeUnit.SECONDS);
            assertArrayEquals(PeerWireCodec.HANDSHAKE_START, got[0], "a plain-text handshake first");
            assertEquals(PeerWireCodec.HANDSHAKE_START.length, got[1].length);
            assertFalse(Arrays.equals(PeerWireCodec.HANDSHAKE_START, got[1]),
                    "then an encrypted one (it opens with a Diffie-Hellman key, not the protocol name)");
            String reason = failed.get(10, TimeUnit.SECONDS);
            assertNotEquals("connected?", reason, "the second dial fails too: the peer hung up");
        }
    }

    /**
     * libtorrent requiring encryption reads the first 20 bytes of a plain-text handshake and resets the connection;
     * whether the reset reaches us while the handshake is still being written or while we wait for the answer, it
     * is a hang-up, and the encrypted dial follows at once (not after the dialer's retry delay).
     */
    @Test
    void aPeerThatResetsAPlainTextHandshakeIsDialledAgainWithAnEncryptedOneAtOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            try (var server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
                var second = new CompletableFuture<byte[]>();
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        server.setSoTimeout(3_000);
                        try (Socket first = server.accept()) {
                            first.getInputStream().readNBytes(PeerWireCodec.HANDSHAKE_START.length);
                            first.setSoLinger(true, 0); // close with a reset, as libtorrent does
                        }
                        try (Socket next = server.accept()) {
                            second.complete(next.getInputStream().readNBytes(PeerWireCodec.HANDSHAKE_START.length));
                            next.setSoLinger(true, 0);
                        }
                    } catch (Exception e) {
                        second.completeExceptionally(e);
                    }
                });
                network.connect(new PeerAddress("127.0.0.1", server.getLocalPort()),
                        Handshake.ours(INFO_HASH, PeerId.generate(new SplittableRandom(round))), new Ignoring());
                byte[] got = second.get(5, TimeUnit.SECONDS);
                assertEquals(PeerWireCodec.HANDSHAKE_START.length, got.length, "round " + round);
                assertFalse(Arrays.equals(PeerWireCodec.HANDSHAKE_START, got), "round " + round + ": encrypted");
            }
        }
    }

    private static final class Ignoring implements PeerConnection.Handler {
        @Override
        public void connected(PeerConnection connection) {
            connection.close("test over");
        }

        @Override
        public void received(PeerConnection connection, PeerMessage message) {
        }

        @Override
        public void closed(PeerConnection connection, String reason) {
        }

        @Override
        public void failed(PeerAddress address, String reason) {
        }
    }
}
