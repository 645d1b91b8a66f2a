package dev.jtorr.adapters.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.testing.DialOutcome;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
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
 * A peer that refuses one kind of handshake hangs up on it (or leaves it unanswered): jtorr dials once more with the
 * other kind, as its encryption policy allows, and dials that kind first next time. Loopback only, with a connect
 * timeout of 300 ms.
 */
class HandshakeFallbackTest {
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
            var dial = new DialOutcome();
            network.connect(new PeerAddress("127.0.0.1", server.getLocalPort()),
                    Handshake.ours(INFO_HASH, PeerId.generate(new SplittableRandom(1))), EncryptionPolicy.ALLOW, dial);
            byte[][] got = starts.get(10, TimeUnit.SECONDS);
            assertArrayEquals(PeerWireCodec.HANDSHAKE_START, got[0], "a plain-text handshake first");
            assertEquals(PeerWireCodec.HANDSHAKE_START.length, got[1].length);
            assertFalse(Arrays.equals(PeerWireCodec.HANDSHAKE_START, got[1]),
                    "then an encrypted one (it opens with a Diffie-Hellman key, not the protocol name)");
            String outcome = dial.outcome().get(10, TimeUnit.SECONDS);
            assertTrue(outcome.startsWith(DialOutcome.FAILED), "the second dial fails too: the peer hung up");
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
                        Handshake.ours(INFO_HASH, PeerId.generate(new SplittableRandom(round))), EncryptionPolicy.ALLOW,
                        new DialOutcome());
                byte[] got = second.get(5, TimeUnit.SECONDS);
                assertEquals(PeerWireCodec.HANDSHAKE_START.length, got.length, "round " + round);
                assertFalse(Arrays.equals(PeerWireCodec.HANDSHAKE_START, got), "round " + round + ": encrypted");
            }
        }
    }

    /**
     * A peer that records the first 20 bytes of every connection and resets it, unless it is a plain-text handshake
     * and {@code answersPlainText} (then it answers with its own): a peer that speaks only plain text, or none.
     */
    private static java.util.concurrent.BlockingQueue<byte[]> resettingPeer(ServerSocket server,
                                                                           boolean answersPlainText) {
        var starts = new java.util.concurrent.LinkedBlockingQueue<byte[]>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                server.setSoTimeout(5_000);
                while (true) {
                    Socket s = server.accept();
                    InputStream in = s.getInputStream();
                    byte[] start = in.readNBytes(PeerWireCodec.HANDSHAKE_START.length);
                    starts.add(start);
                    if (!answersPlainText || !Arrays.equals(PeerWireCodec.HANDSHAKE_START, start)) {
                        s.setSoLinger(true, 0);
                        s.close();
                        continue;
                    }
                    in.readNBytes(Handshake.LENGTH - PeerWireCodec.HANDSHAKE_START.length);
                    PeerWireCodec.writeHandshake(s.getOutputStream(),
                            Handshake.ours(INFO_HASH, PeerId.generate(new SplittableRandom(7))));
                }
            } catch (Exception e) {
                // the test is over
            }
        });
        return starts;
    }

    /**
     * A peer that speaks only plain text (libtorrent with encryption disabled) resets the connection on our
     * encrypted key; under the default policy the plain-text dial follows at once, and the next dial to that peer
     * starts with plain text.
     */
    @Test
    void aPlainTextOnlyPeerIsDialledInPlainTextAtOnceAndSoFromThenOn() throws Exception {
        try (var server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            var starts = resettingPeer(server, true);
            var address = new PeerAddress("127.0.0.1", server.getLocalPort());
            for (int n = 0; n < 2; n++) {
                var dial = new DialOutcome();
                network.connect(address, Handshake.ours(INFO_HASH, PeerId.generate(new SplittableRandom(n))),
                        EncryptionPolicy.PREFER, dial);
                assertEquals("none", dial.outcome().get(5, TimeUnit.SECONDS));
            }
            assertFalse(Arrays.equals(PeerWireCodec.HANDSHAKE_START, starts.poll()), "an encrypted handshake first");
            assertArrayEquals(PeerWireCodec.HANDSHAKE_START, starts.poll(), "then plain text at once");
            assertArrayEquals(PeerWireCodec.HANDSHAKE_START, starts.poll(), "the second dial: plain text first");
            assertEquals(null, starts.poll(), "three connections in all");
        }
    }

    /** Under "require" a peer that hangs up on the encrypted handshake is not dialled in plain text. */
    @Test
    void requiringEncryptionNoPlainTextHandshakeIsEverSent() throws Exception {
        try (var server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            var starts = resettingPeer(server, false);
            var dial = new DialOutcome();
            network.connect(new PeerAddress("127.0.0.1", server.getLocalPort()),
                    Handshake.ours(INFO_HASH, PeerId.generate(new SplittableRandom(3))), EncryptionPolicy.REQUIRE, dial);
            String outcome = dial.outcome().get(5, TimeUnit.SECONDS);
            assertTrue(outcome.startsWith(DialOutcome.FAILED + "an encrypted handshake failed awaiting the peer's key"),
                    outcome);
            assertFalse(Arrays.equals(PeerWireCodec.HANDSHAKE_START, starts.poll()));
            assertEquals(null, starts.poll(1, TimeUnit.SECONDS), "no second dial");
        }
    }
}
