package dev.jtorr.domain.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** BEP 42's {@code ip}: we tell nodes their address, learn ours by a vote, and take a secure id for it. */
class ExternalAddressTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SplittableRandom random = new SplittableRandom(9);

    @Test
    void theIpFieldRoundTripsAtTheTopLevel() {
        var r = new KrpcMessage.Response(new byte[] {1, 2, 3, 4}, NodeId.random(random), List.of(), List.of(), null,
                new PeerAddress("84.124.73.14", 51413));
        assertEquals(r, KrpcCodec.decode(KrpcCodec.encode(r)));
        String wire = new String(KrpcCodec.encode(r), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(wire.startsWith("d2:ip6:"), wire);
    }

    @Test
    void ourAnswersTellTheQuerierItsAddress() {
        var node = new DhtNode(NodeId.random(random), List.of(), random, DhtNode.Config.DEFAULT, t0);
        PeerAddress querier = new PeerAddress("84.124.73.14", 51413);
        node.receive(querier, KrpcCodec.encode(KrpcMessage.Query.ping(new byte[] {7, 7}, NodeId.random(random))), t0);
        var answer = node.drain().stream().map(d -> KrpcCodec.decode(d.bytes()))
                .filter(m -> m instanceof KrpcMessage.Response).map(m -> (KrpcMessage.Response) m).findFirst()
                .orElseThrow();
        assertEquals(querier, answer.requester());
    }

    @Test
    void anAddressIsBelievedOnceAQuorumOfHostsNamesItAndMoreThanAnyOther() {
        var votes = new ExternalAddress();
        for (int i = 1; i < ExternalAddress.QUORUM; i++) {
            assertNull(votes.vote("81.0.0." + i, "84.124.73.14"));
            assertNull(votes.vote("81.0.0." + i, "84.124.73.14"), "a host votes once");
        }
        assertNull(votes.vote("10.0.0.1", "192.168.1.2"), "a local address is no vote");
        assertArrayEquals(Compact.ipv4("84.124.73.14"), votes.vote("81.0.0.99", "84.124.73.14"));
        assertNull(votes.vote("81.0.0.100", "84.124.73.14"), "already believed");
        assertEquals("84.124.73.14", votes.believed());
        // hosts change their minds: the other address needs a quorum of its own as well as the lead
        for (int i = 1; i < ExternalAddress.QUORUM; i++) {
            assertNull(votes.vote("81.0.0." + i, "43.213.53.83"));
        }
        assertEquals("84.124.73.14", votes.believed());
        assertArrayEquals(Compact.ipv4("43.213.53.83"), votes.vote("81.0.0.5", "43.213.53.83"));
    }

    @Test
    void aNodeTakesASecureIdOnceTheNodesItAskedAgreeOnItsAddressAndKeepsItsTable() {
        var node = new DhtNode(NodeId.random(random), List.of(), random, DhtNode.Config.DEFAULT, t0);
        NodeId before = node.id();
        PeerAddress ours = new PeerAddress("84.124.73.14", 6881);
        assertFalse(SecureId.isSecure(before, ours));
        for (int i = 1; i <= ExternalAddress.QUORUM; i++) {
            assertEquals(before, node.id());
            answerPing(node, new PeerAddress("81.0.0." + i, 6881), ours);
        }
        assertEquals("84.124.73.14", node.externalAddress());
        assertTrue(SecureId.isSecure(node.id(), ours));
        assertEquals(ExternalAddress.QUORUM, node.tableSize(t0));
        // and it looks its new id up, through the nodes it knows
        var lookups = node.drain().stream().map(d -> KrpcCodec.decode(d.bytes()))
                .filter(m -> m instanceof KrpcMessage.Query q && q.method() == KrpcMessage.Method.FIND_NODE).toList();
        assertFalse(lookups.isEmpty());
        lookups.forEach(m -> assertEquals(node.id(), ((KrpcMessage.Query) m).target()));
    }

    @Test
    void onALocalNetworkTheIdStays() {
        var node = new DhtNode(NodeId.random(random), List.of(), random, DhtNode.Config.DEFAULT, t0);
        NodeId before = node.id();
        for (int i = 1; i <= ExternalAddress.QUORUM * 2; i++) {
            answerPing(node, new PeerAddress("127.0.0." + (i + 1), 6881), new PeerAddress("127.0.0.1", 6881));
        }
        assertEquals(before, node.id());
        assertNull(node.externalAddress());
    }

    /** The node pings {@code to}, which answers saying it saw the ping come from {@code seen}. */
    private void answerPing(DhtNode node, PeerAddress to, PeerAddress seen) {
        node.ping(to, t0);
        var sent = node.drain();
        var ping = (KrpcMessage.Query) KrpcCodec.decode(sent.get(sent.size() - 1).bytes());
        node.receive(to, KrpcCodec.encode(new KrpcMessage.Response(ping.transaction(), NodeId.random(random),
                List.of(), List.of(), null, seen)), t0);
    }
}
