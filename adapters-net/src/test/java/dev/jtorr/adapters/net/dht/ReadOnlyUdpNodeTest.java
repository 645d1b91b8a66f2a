package dev.jtorr.adapters.net.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.domain.dht.DhtSettings;
import dev.jtorr.domain.dht.KrpcCodec;
import dev.jtorr.domain.dht.KrpcMessage;
import dev.jtorr.domain.dht.NodeId;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DhtSettings#readOnly()} reaches the UDP node (BEP 43): a socket standing in for a bootstrap node sees the
 * node's query marked {@code ro}, and a ping it sends before answering that query is never answered. The same
 * exchange with a node that is not read-only shows the ping answered, so the test can tell the two apart.
 */
class ReadOnlyUdpNodeTest {
    private final NodeId ours = NodeId.random(new SplittableRandom(5));

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aReadOnlyNodeMarksItsQueriesAndAnswersNone(boolean readOnly) throws Exception {
        try (var router = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            router.setSoTimeout(20_000);
            int port;
            try (var probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            DhtNetwork.Node node = new UdpDhtNetwork(new DhtConfig(Optional.empty(), true)).start("127.0.0.1", port,
                    new DhtSettings(true, List.of(new PeerAddress("127.0.0.1", router.getLocalPort())), readOnly))
                    .orElseThrow();
            try {
                var done = new CountDownLatch(1);
                node.getPeers(Digest.ofHex("22".repeat(20)), 0, found -> { }, n -> done.countDown());

                var query = (KrpcMessage.Query) KrpcCodec.decode(receive(router));
                assertEquals(readOnly, query.readOnly(), "ro in the node's query");

                var to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                byte[] pingTid = {9, 9, 9, 9};
                send(router, to, KrpcMessage.Query.ping(pingTid, ours));
                // sent after the ping on the same socket: once the lookup has ended, the ping was handled too
                send(router, to, new KrpcMessage.Response(query.transaction(), ours, List.of(), List.of(), null));
                assertTrue(done.await(20, TimeUnit.SECONDS), "the lookup ends");

                assertEquals(!readOnly, answered(router, pingTid), "the ping answered");
            } finally {
                node.close();
            }
        }
    }

    private static byte[] receive(DatagramSocket socket) throws Exception {
        var packet = new DatagramPacket(new byte[KrpcCodec.MAX_DATAGRAM], KrpcCodec.MAX_DATAGRAM);
        socket.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    private static void send(DatagramSocket socket, InetSocketAddress to, KrpcMessage message) throws Exception {
        byte[] bytes = KrpcCodec.encode(message);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** Whether a response to {@code tid} is among what the node has sent so far (its datagrams arrive in order). */
    private static boolean answered(DatagramSocket socket, byte[] tid) throws Exception {
        List<KrpcMessage> received = new ArrayList<>();
        // the answer, if any, left the node before the lookup ended; the socket already holds it
        socket.setSoTimeout(1);
        try {
            while (true) {
                received.add(KrpcCodec.decode(receive(socket)));
            }
        } catch (SocketTimeoutException drained) {
            // nothing more
        }
        return received.stream().anyMatch(m -> m instanceof KrpcMessage.Response r
                && Arrays.equals(r.transaction(), tid));
    }
}
