package dev.jtorr.domain.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.peer.PeerAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KrpcHostileInputTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SplittableRandom random = new SplittableRandom(11);
    private final PeerAddress us = new PeerAddress("10.0.0.1", 6881);
    private final PeerAddress router = new PeerAddress("10.0.0.2", 6881);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void messagesRoundTrip() {
        var id = NodeId.random(random);
        var target = NodeId.random(random);
        var r = new KrpcMessage.Response(new byte[] {1, 2, 3, 4}, id,
                List.of(new Contact(target, new PeerAddress("1.2.3.4", 5))), List.of(new PeerAddress("5.6.7.8", 9)),
                new byte[] {7});
        assertEquals(r, KrpcCodec.decode(KrpcCodec.encode(r)));
        var q = (KrpcMessage.Query) KrpcCodec.decode(KrpcCodec.encode(
                KrpcMessage.Query.announcePeer(new byte[] {9}, id, target, 6881, new byte[] {1, 2})));
        assertEquals(KrpcMessage.Method.ANNOUNCE_PEER, q.method());
        assertEquals(6881, q.port());
        assertArrayEquals(new byte[] {1, 2}, q.token());
    }

    @Test
    void garbageAndMalformedMessagesAreRefused() {
        String id = "a".repeat(20);
        for (String bad : List.of("", "x", "i1e", "le", "d1:y1:qe", "d1:t0:1:y1:qe",
                "d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe",
                "d1:rd2:id20:" + id + "5:nodes5:abcdee1:t2:aa1:y1:re",
                "d1:rd2:id20:" + id + "6:valuesli1eee1:t2:aa1:y1:re",
                "d1:ad2:id20:" + id + "9:info_hash20:" + id + "5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
                "d1:ad2:id20:" + id + "e1:q4:ping1:t2:aa1:y1:zz")) {
            assertThrows(KrpcException.class, () -> KrpcCodec.decode(bytes(bad)), bad);
        }
    }

    @Test
    void anOversizedDatagramIsRefusedBeforeDecoding() {
        byte[] big = bytes("d1:t2:aa1:y1:r1:rd2:id20:" + "a".repeat(20) + "5:nodes1508:" + "n".repeat(1508) + "ee");
        assertThrows(KrpcException.class, () -> KrpcCodec.decode(big));
    }

    @Test
    void deepNestingIsRefused() {
        byte[] deep = bytes("d1:t2:aa1:y1:q1:q4:ping1:ad2:id20:" + "a".repeat(20) + "1:x" + "l".repeat(50)
                + "e".repeat(50) + "ee");
        assertThrows(KrpcException.class, () -> KrpcCodec.decode(deep));
    }

    /** A node that has asked the router for nodes, with the router's reply still outstanding. */
    private DhtNode askingNode() {
        var node = new DhtNode(NodeId.random(random), List.of(router), random.split(), DhtNode.Config.DEFAULT, t0);
        node.bootstrap(t0);
        return node;
    }

    private static byte[] tidOf(DhtNode.Datagram d) {
        return KrpcCodec.decode(d.bytes()).transaction();
    }

    private byte[] reply(byte[] tid, NodeId sender) {
        var liar = new Contact(NodeId.random(random), new PeerAddress("192.0.2.1", 6881));
        return KrpcCodec.encode(new KrpcMessage.Response(tid, sender, List.of(liar), List.of(), null));
    }

    @Test
    void aReplyWithAForgedTransactionIdOrFromAnotherAddressNeverEntersTheTable() {
        DhtNode node = askingNode();
        byte[] tid = tidOf(node.drain().get(0));
        byte[] forged = tid.clone();
        forged[0] ^= 1;
        node.receive(router, reply(forged, NodeId.random(random)), t0);
        node.receive(new PeerAddress("10.9.9.9", 6881), reply(tid, NodeId.random(random)), t0);
        node.receive(new PeerAddress(router.host(), 6882), reply(tid, NodeId.random(random)), t0);
        assertEquals(0, node.tableSize(t0));
        assertEquals(3, node.dropped());
        // the real answer still counts
        node.receive(router, reply(tid, NodeId.random(random)), t0);
        assertEquals(1, node.tableSize(t0));
        // and only once
        node.receive(router, reply(tid, NodeId.random(random)), t0);
        assertEquals(1, node.tableSize(t0));
    }

    @Test
    void aNodeNamedInAReplyThatIsOurselvesIsNeverAsked() {
        DhtNode node = askingNode();
        byte[] tid = tidOf(node.drain().get(0));
        var self = new Contact(node.id(), us);
        node.receive(router, KrpcCodec.encode(new KrpcMessage.Response(tid, NodeId.random(random), List.of(self),
                List.of(), null)), t0);
        assertTrue(node.drain().stream().noneMatch(d -> d.address().equals(us)));
    }

    @Test
    void aReplyAfterItsQueryTimedOutIsIgnored() {
        DhtNode node = askingNode();
        byte[] tid = tidOf(node.drain().get(0));
        Instant late = t0.plus(DhtNode.Config.DEFAULT.timeout()).plusSeconds(1);
        node.tick(late);
        node.receive(router, reply(tid, NodeId.random(random)), late);
        assertEquals(0, node.tableSize(late));
    }

    @Test
    void aFloodFromOneAddressIsCutToTheRateLimit() {
        var node = new DhtNode(NodeId.random(random), List.of(), random.split(), DhtNode.Config.DEFAULT, t0);
        var flooder = new PeerAddress("10.6.6.6", 6881);
        byte[] ping = KrpcCodec.encode(KrpcMessage.Query.ping(new byte[] {1}, NodeId.random(random)));
        for (int i = 0; i < 10_000; i++) {
            node.receive(flooder, ping, t0);
        }
        long answers = node.drain().stream().filter(d -> d.address().equals(flooder)
                && KrpcCodec.decode(d.bytes()) instanceof KrpcMessage.Response).count();
        assertEquals(DhtNode.Config.DEFAULT.perSource(), answers);
        // another address is still answered, and the flooder is again a second later
        node.receive(new PeerAddress("10.7.7.7", 6881), ping, t0);
        node.receive(flooder, ping, t0.plusSeconds(1));
        assertEquals(2, node.drain().stream().filter(d -> KrpcCodec.decode(d.bytes())
                instanceof KrpcMessage.Response).count());
    }

    /** The node's first answer among what it sends (it may also ping a newcomer). */
    private static KrpcMessage answer(DhtNode node) {
        return node.drain().stream().map(d -> KrpcCodec.decode(d.bytes()))
                .filter(m -> !(m instanceof KrpcMessage.Query)).findFirst().orElseThrow();
    }

    @Test
    void announceNeedsTheTokenGivenToThatAddress() {
        var node = new DhtNode(NodeId.random(random), List.of(), random.split(), DhtNode.Config.DEFAULT, t0);
        var peer = new PeerAddress("10.3.3.3", 6881);
        var other = new PeerAddress("10.4.4.4", 6881);
        NodeId asker = NodeId.random(random);
        NodeId infoHash = NodeId.random(random);
        node.receive(peer, KrpcCodec.encode(KrpcMessage.Query.getPeers(new byte[] {1}, asker, infoHash)), t0);
        byte[] token = node.drain().stream().map(d -> KrpcCodec.decode(d.bytes()))
                .filter(KrpcMessage.Response.class::isInstance).map(m -> ((KrpcMessage.Response) m).token())
                .findFirst().orElseThrow();
        node.receive(other, KrpcCodec.encode(KrpcMessage.Query.announcePeer(new byte[] {2}, asker, infoHash, 7000,
                token)), t0);
        assertTrue(answer(node) instanceof KrpcMessage.Error);
        Instant fresh = t0.plus(Tokens.ROTATION).plusSeconds(10);
        node.receive(peer, KrpcCodec.encode(KrpcMessage.Query.announcePeer(new byte[] {4}, asker, infoHash, 7000,
                token)), fresh);
        assertTrue(answer(node) instanceof KrpcMessage.Response);
        node.receive(other, KrpcCodec.encode(KrpcMessage.Query.getPeers(new byte[] {5}, asker, infoHash)), fresh);
        var answer = node.drain().stream().map(d -> KrpcCodec.decode(d.bytes()))
                .filter(KrpcMessage.Response.class::isInstance).map(KrpcMessage.Response.class::cast).findFirst()
                .orElseThrow();
        assertEquals(List.of(new PeerAddress("10.3.3.3", 7000)), answer.values());
        // a token outlives one rotation of the secret, not two
        Instant stale = t0.plus(Tokens.ROTATION.multipliedBy(2));
        node.receive(peer, KrpcCodec.encode(KrpcMessage.Query.announcePeer(new byte[] {3}, asker, infoHash, 7000,
                token)), stale);
        assertTrue(answer(node) instanceof KrpcMessage.Error);
    }

    @Test
    void aLookupReportsThePeersAnnouncedToThisVeryNode() {
        var node = new DhtNode(NodeId.random(random), List.of(), random.split(), DhtNode.Config.DEFAULT, t0);
        var peer = new PeerAddress("10.3.3.3", 6881);
        NodeId infoHash = NodeId.random(random);
        node.receive(peer, KrpcCodec.encode(KrpcMessage.Query.getPeers(new byte[] {1}, NodeId.random(random),
                infoHash)), t0);
        byte[] token = ((KrpcMessage.Response) answer(node)).token();
        node.receive(peer, KrpcCodec.encode(KrpcMessage.Query.announcePeer(new byte[] {2}, NodeId.random(random),
                infoHash, 7000, token)), t0);
        List<PeerAddress> found = new java.util.ArrayList<>();
        node.getPeers(infoHash, 0, found::addAll, t0);
        assertEquals(List.of(new PeerAddress("10.3.3.3", 7000)), found);
    }
}
