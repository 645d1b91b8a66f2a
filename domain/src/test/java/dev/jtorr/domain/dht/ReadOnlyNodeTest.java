package dev.jtorr.domain.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.peer.PeerAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Read-only nodes (BEP 43): their queries are answered, but they never enter a routing table. */
class ReadOnlyNodeTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SplittableRandom random = new SplittableRandom(11);
    private final PeerAddress theirAddress = new PeerAddress("10.0.0.2", 7000);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theRoFlagIsReadFromTheTopLevelDictionaryAsTheBepAndLibtorrentPutIt() {
        String id = "abcdefghij0123456789";
        var q = (KrpcMessage.Query) KrpcCodec.decode(bytes("d1:ad2:id20:" + id + "e1:q4:ping2:roi1e1:t2:aa1:y1:qe"));
        assertTrue(q.readOnly());
    }

    @Test
    void theRoFlagIsWrittenAtTheTopLevel() {
        var q = new KrpcMessage.Query(new byte[] {1, 2}, KrpcMessage.Method.PING, NodeId.random(random), null, null, 0,
                false, true);
        var top = (BDictionary) BencodeDecoder.decodeAnyKeyOrder(KrpcCodec.encode(q), new BencodeLimits(1500, 4, 400));
        assertEquals(1L, top.getInteger("ro").orElseThrow().value());
        assertTrue(((KrpcMessage.Query) KrpcCodec.decode(KrpcCodec.encode(q))).readOnly());
    }

    @Test
    void aReadOnlyQuerierIsAnsweredButNeitherPingedNorAdded() {
        var ours = new DhtNode(NodeId.random(random), List.of(), random, DhtNode.Config.DEFAULT, t0);
        NodeId theirs = NodeId.random(random);
        var ping = new KrpcMessage.Query(new byte[] {1, 2}, KrpcMessage.Method.PING, theirs, null, null, 0, false,
                true);
        ours.receive(theirAddress, KrpcCodec.encode(ping), t0);
        List<DhtNode.Datagram> sent = ours.drain();
        assertEquals(1, sent.size(), "only the answer, no ping back");
        assertTrue(KrpcCodec.decode(sent.get(0).bytes()) instanceof KrpcMessage.Response);
        assertEquals(0, ours.tableSize(t0));
    }

    @Test
    void aReadOnlyNodeAnswersNothingAndMarksItsQueriesSoItIsNotAdded() {
        var readOnly = new DhtNode(NodeId.random(random), List.of(), random, DhtNode.Config.DEFAULT.asReadOnly(), t0);
        var other = new DhtNode(NodeId.random(random), List.of(), random, DhtNode.Config.DEFAULT, t0);
        PeerAddress readOnlyAddress = new PeerAddress("10.0.0.1", 6881);

        other.ping(readOnlyAddress, t0);
        readOnly.receive(theirAddress, other.drain().get(0).bytes(), t0);
        assertTrue(readOnly.drain().isEmpty(), "a read-only node answers no query");

        readOnly.ping(theirAddress, t0);
        List<DhtNode.Datagram> query = readOnly.drain();
        assertTrue(((KrpcMessage.Query) KrpcCodec.decode(query.get(0).bytes())).readOnly());
        other.receive(readOnlyAddress, query.get(0).bytes(), t0);
        List<DhtNode.Datagram> answer = other.drain();
        assertEquals(1, answer.size(), "answered, not pinged back");
        readOnly.receive(theirAddress, answer.get(0).bytes(), t0);
        assertEquals(1, readOnly.tableSize(t0), "a read-only node still keeps a table of the nodes it asks");
        assertEquals(0, other.tableSize(t0));
    }

    @Test
    void everyQueryOfAReadOnlyLookupAndItsAnnounceIsMarked() {
        var readOnly = new DhtNode(NodeId.random(random), List.of(theirAddress), random,
                DhtNode.Config.DEFAULT.asReadOnly(), t0);
        var other = new DhtNode(NodeId.random(random), List.of(), random, DhtNode.Config.DEFAULT, t0);
        PeerAddress readOnlyAddress = new PeerAddress("10.0.0.1", 6881);
        NodeId infoHash = NodeId.random(random);
        readOnly.getPeers(infoHash, 7000, found -> { }, t0);
        List<KrpcMessage.Query> queries = new java.util.ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (DhtNode.Datagram d : readOnly.drain()) {
                queries.add((KrpcMessage.Query) KrpcCodec.decode(d.bytes()));
                other.receive(readOnlyAddress, d.bytes(), t0);
            }
            other.drain().forEach(d -> readOnly.receive(theirAddress, d.bytes(), t0));
        }
        assertTrue(queries.stream().anyMatch(q -> q.method() == KrpcMessage.Method.GET_PEERS));
        assertTrue(queries.stream().anyMatch(q -> q.method() == KrpcMessage.Method.ANNOUNCE_PEER),
                "the announce went out");
        assertTrue(queries.stream().allMatch(KrpcMessage.Query::readOnly), "every query marked ro");
        assertEquals(0, other.tableSize(t0), "the other node never added the read-only one");
    }
}
