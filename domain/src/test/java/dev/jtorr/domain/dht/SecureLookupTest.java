package dev.jtorr.domain.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BEP 42 in lookups, on the simulated network: nodes at public addresses with ids chosen right next to an info-hash
 * (a Sybil attack) are in the searcher's table, yet the lookup asks and announces to the honest nodes with secure
 * ids. The same Sybils on a local network, where BEP 42 does not apply, do get the queries and the announce.
 */
class SecureLookupTest {
    static final int HONEST = 60;
    static final int SYBILS = 8;

    /** What the Sybils were sent. */
    private static final class Sybils {
        final List<PeerAddress> addresses = new ArrayList<>();
        int getPeers;
        int announces;
        int honestStored;
    }

    private static PeerAddress publicAddress(int i) {
        return new PeerAddress("81.0." + (i / 250) + "." + (i % 250 + 1), 6881);
    }

    /**
     * An honest network at public addresses with secure ids, a searcher that has pinged {@link #SYBILS} nodes whose
     * ids differ from {@code target} in the last byte only, at public addresses or on a local network; then its
     * lookup of {@code target}, announcing port 7000.
     */
    private static Sybils lookUp(long seed, boolean sybilsLocal, NodeId target) {
        var net = new SimulatedDht(seed);
        PeerAddress router = publicAddress(0);
        net.addSecure(router, List.of());
        for (int i = 1; i < HONEST; i++) {
            net.addSecure(publicAddress(i), List.of(router)).bootstrap(net.now);
            net.settle();
        }
        net.run(Duration.ofSeconds(10));
        PeerAddress searcherAt = publicAddress(HONEST);
        DhtNode searcher = net.addSecure(searcherAt, List.of(router));
        searcher.bootstrap(net.now);
        net.settle();

        var sybils = new Sybils();
        for (int i = 0; i < SYBILS; i++) {
            PeerAddress at = sybilsLocal ? new PeerAddress("10.66.0." + (i + 1), 6881)
                    : new PeerAddress("82.0.0." + (i + 1), 6881);
            byte[] id = target.bytes();
            id[NodeId.LENGTH - 1] ^= (byte) (i + 1);
            NodeId sybilId = new NodeId(id);
            assertEquals(sybilsLocal, SecureId.isSecure(sybilId, at), "the Sybil ids are insecure on public addresses");
            net.add(at, sybilId, List.of());
            net.liars.put(at, (from, bytes) -> {
                var q = (KrpcMessage.Query) KrpcCodec.decode(bytes);
                if (q.method() == KrpcMessage.Method.GET_PEERS) {
                    sybils.getPeers++;
                } else if (q.method() == KrpcMessage.Method.ANNOUNCE_PEER) {
                    sybils.announces++;
                }
                return KrpcCodec.encode(new KrpcMessage.Response(q.transaction(), sybilId, List.of(), List.of(),
                        new byte[] {7}));
            });
            sybils.addresses.add(at);
            searcher.ping(at, net.now);
        }
        net.settle();
        long inTable = searcher.contacts(net.now).stream().filter(c -> sybils.addresses.contains(c.address()))
                .count();
        assertTrue(inTable >= 1, "Sybils in the searcher's table: " + inTable);

        searcher.getPeers(target, 7000, found -> { }, net.now);
        net.settle();
        net.run(Duration.ofSeconds(10));
        for (int i = 0; i < HONEST; i++) {
            if (net.nodes.get(publicAddress(i)).storedPeers(target, net.now).contains(
                    new PeerAddress(searcherAt.host(), 7000))) {
                sybils.honestStored++;
            }
        }
        return sybils;
    }

    @Test
    void insecureIdsNextToTheTargetGetNeitherQueriesNorTheAnnounce() {
        NodeId target = NodeId.random(new java.util.SplittableRandom(99));
        Sybils sybils = lookUp(21, false, target);
        assertEquals(0, sybils.getPeers, "get_peers sent to Sybils");
        assertEquals(0, sybils.announces, "announces sent to Sybils");
        assertEquals(RoutingTable.K, sybils.honestStored, "honest nodes that took the announce");
    }

    @Test
    void onALocalNetworkAnyIdIsSecureAndTheClosestNodesGetTheAnnounce() {
        NodeId target = NodeId.random(new java.util.SplittableRandom(99));
        Sybils sybils = lookUp(21, true, target);
        assertTrue(sybils.getPeers >= 1, "get_peers sent to the nodes closest to the target");
        assertTrue(sybils.announces >= 1, "announces sent to the nodes closest to the target");
        assertEquals(SYBILS, sybils.announces, "the eight closest took the announce");
        assertEquals(0, sybils.honestStored);
    }
}
