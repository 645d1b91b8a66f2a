package dev.jtorr.adapters.net;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Connections read socket channels, which have no timeout of their own: a peer that goes silent after the handshake
 * is dropped once the read timeout has passed, while one that keeps sending (keep-alives will do) stays connected.
 * Loopback only, with a read timeout of 400 ms.
 */
class ReadTimeoutTest {
    private static final Duration READ_TIMEOUT = Duration.ofMillis(400);
    private static final Digest INFO_HASH = Digest.ofHex("0123456789abcdef0123456789abcdef01234567");

    private final TcpPeerNetwork network = new TcpPeerNetwork(new NetConfig("127.0.0.1", Duration.ofSeconds(5),
            READ_TIMEOUT, Duration.ofSeconds(90), 1 << 20, 64L << 20, Duration.ofSeconds(5), Duration.ofSeconds(1), 1));

    /** Records what happens on the one connection dialled. */
    private static final class Recorder implements PeerConnection.Handler {
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final AtomicInteger received = new AtomicInteger();

        @Override
        public void connected(PeerConnection connection) {
        }

        @Override
        public void received(PeerConnection connection, PeerMessage message) {
            received.incrementAndGet();
        }

        @Override
        public void closed(PeerConnection connection, String reason) {
            closed.complete(reason);
        }

        @Override
        public void failed(PeerAddress address, String reason) {
            closed.complete("failed: " + reason);
        }
    }

    /**
     * A peer on loopback that answers our handshake, then sends a keep-alive every {@code keepAliveMillis} (never
     * when 0) until {@code forMillis} have passed, and reads whatever we send.
     */
    private static Thread peer(ServerSocket server, long keepAliveMillis, long forMillis) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (Socket s = server.accept()) {
                var in = new DataInputStream(s.getInputStream());
                var out = new DataOutputStream(s.getOutputStream());
                PeerWireCodec.readHandshake(in);
                PeerWireCodec.writeHandshake(out, Handshake.ours(INFO_HASH, PeerId.generate(new SplittableRandom(2))));
                out.flush();
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(forMillis);
                while (System.nanoTime() < end) {
                    Thread.sleep(keepAliveMillis > 0 ? keepAliveMillis : 50);
                    if (keepAliveMillis > 0) {
                        out.writeInt(0);
                        out.flush();
                    }
                }
            } catch (Exception e) {
                // the connection was closed by the side under test: what the tests look at
            }
        });
    }

    private Recorder dial(ServerSocket server) {
        var recorder = new Recorder();
        network.connect(new PeerAddress("127.0.0.1", server.getLocalPort()),
                Handshake.ours(INFO_HASH, PeerId.generate(new SplittableRandom(1))), EncryptionPolicy.DISABLE, recorder);
        return recorder;
    }

    @Test
    void aPeerSilentAfterTheHandshakeIsDroppedOnceTheReadTimeoutHasPassed() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            peer(server, 0, 10_000);
            long start = System.nanoTime();
            var recorder = dial(server);
            String reason = recorder.closed.get(10, TimeUnit.SECONDS);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(reason.startsWith("timed out"), reason);
            assertTrue(took >= READ_TIMEOUT.toMillis() && took < 5_000, "dropped after " + took + " ms");
        }
    }

    @Test
    void aPeerThatKeepsSendingKeepAlivesStaysConnectedPastTheReadTimeout() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            peer(server, 100, 10_000);
            var recorder = dial(server);
            Thread.sleep(3 * READ_TIMEOUT.toMillis());
            assertNull(recorder.closed.getNow(null), "still connected");
            assertTrue(recorder.received.get() >= 5, "keep-alives arrived: " + recorder.received.get());
        }
    }
}
