package dev.jtorr.domain.dht;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BEP 42 where announced peers are stored: once an info-hash has all the peers it may keep, a peer announced by a
 * node with an insecure id never takes the place of one announced by a secure node; a secure announce makes room by
 * dropping the oldest insecure one. Through {@link DhtNode}, so the announcer's id and address decide.
 */
class SecurePeerStoreTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SplittableRandom random = new SplittableRandom(8);
    private final DhtNode node = new DhtNode(NodeId.random(random), List.of(), random,
            new DhtNode.Config(100, java.time.Duration.ofSeconds(4), 10_000, 100_000, 256, false), t0);
    private final NodeId infoHash = NodeId.random(random);
    private final byte[] tid = {1, 2, 3, 4};

    /** Announces {@code port} from a host with an id secure for it or not (on a local network, any id). */
    private void announce(String host, boolean secure, int port) {
        PeerAddress from = new PeerAddress(host, 6881);
        NodeId id;
        do {
            id = secure ? SecureId.generate(Compact.ipv4(host), random) : NodeId.random(random);
        } while (!SecureId.isLocal(Compact.ipv4(host)) && SecureId.isSecure(id, from) != secure);
        node.receive(from, KrpcCodec.encode(KrpcMessage.Query.getPeers(tid, id, infoHash)), t0);
        var reply = node.drain().stream().map(d -> KrpcCodec.decode(d.bytes()))
                .filter(m -> m instanceof KrpcMessage.Response).map(m -> (KrpcMessage.Response) m)
                .findFirst().orElseThrow();
        node.receive(from, KrpcCodec.encode(KrpcMessage.Query.announcePeer(tid, id, infoHash, port, reply.token())),
                t0);
        node.drain();
    }

    private boolean stored(String host) {
        return node.store().holds(infoHash, new PeerAddress(host, 7000));
    }

    private static String host(int i) {
        return "81.1." + (i / 250) + "." + (i % 250 + 1);
    }

    @Test
    void anInsecureAnnouncerNeverDisplacesASecureOne() {
        for (int i = 0; i < PeerStore.MAX_PEERS; i++) {
            announce(host(i), true, 7000);
        }
        announce("82.9.9.9", false, 7000);
        assertFalse(stored("82.9.9.9"), "the insecure announce is not kept");
        assertTrue(stored(host(0)), "the oldest secure one stays");
    }

    @Test
    void aSecureAnnouncerTakesTheOldestInsecureOnesPlace() {
        announce(host(0), true, 7000);
        announce(host(1), false, 7000);
        announce(host(2), false, 7000);
        for (int i = 3; i < PeerStore.MAX_PEERS; i++) {
            announce(host(i), true, 7000);
        }
        announce("82.9.9.9", true, 7000);
        assertTrue(stored("82.9.9.9"));
        assertTrue(stored(host(0)), "the oldest, secure, stays");
        assertFalse(stored(host(1)), "the oldest insecure one made room");
        assertTrue(stored(host(2)));
    }

    @Test
    void onALocalNetworkAnyAnnouncerCounts() {
        for (int i = 0; i < PeerStore.MAX_PEERS; i++) {
            announce(host(i), true, 7000);
        }
        announce("192.168.1.5", false, 7000);
        assertTrue(stored("192.168.1.5"));
        assertFalse(stored(host(0)), "the oldest made room");
    }
}
