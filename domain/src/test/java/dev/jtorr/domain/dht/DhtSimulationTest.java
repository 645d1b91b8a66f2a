package dev.jtorr.domain.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhtSimulationTest {
    static final int NODES = 150;

    /** A network where every node bootstrapped from node 0 and then ran for a while. */
    private static SimulatedDht network(long seed) {
        var net = new SimulatedDht(seed);
        PeerAddress router = SimulatedDht.address(0);
        net.add(router, List.of());
        for (int i = 1; i < NODES; i++) {
            net.add(SimulatedDht.address(i), List.of(router)).bootstrap(net.now);
            net.settle();
        }
        net.run(Duration.ofSeconds(10));
        return net;
    }

    private static final class Found implements DhtNode.LookupListener {
        final List<PeerAddress> peers = new ArrayList<>();
        int queries = -1;

        @Override
        public void peers(List<PeerAddress> found) {
            peers.addAll(found);
        }

        @Override
        public void done(int q) {
            queries = q;
        }
    }

    private static Found getPeers(SimulatedDht net, int node, NodeId infoHash, int announcePort) {
        var found = new Found();
        net.nodes.get(SimulatedDht.address(node)).getPeers(infoHash, announcePort, found, net.now);
        net.settle();
        net.run(Duration.ofSeconds(10));
        return found;
    }

    @Test
    void tablesConvergeToKnowTheirClosestNodes() {
        var net = network(1);
        int knowsClosest = 0;
        for (PeerAddress a : net.addresses) {
            DhtNode node = net.nodes.get(a);
            assertTrue(node.tableSize(net.now) >= RoutingTable.K, "table of " + a);
            NodeId closest = net.addresses.stream().filter(b -> !b.equals(a)).map(b -> net.nodes.get(b).id())
                    .min(Comparator.comparing(id -> id, node.id()::compareDistance)).orElseThrow();
            if (node.contacts(net.now).stream().anyMatch(c -> c.id().equals(closest))) {
                knowsClosest++;
            }
        }
        // a node's own neighbourhood is what its bootstrap lookup is for
        assertTrue(knowsClosest >= NODES * 9 / 10, knowsClosest + " nodes know their closest");
    }

    @Test
    void aLookupFindsAnAnnouncedPeerWithinBoundedQueries() {
        var net = network(2);
        NodeId infoHash = NodeId.random(net.random);
        getPeers(net, 5, infoHash, 7000);

        for (int asker : List.of(100, 42, 149)) {
            Found found = getPeers(net, asker, infoHash, 0);
            assertTrue(found.peers.contains(new PeerAddress("10.0.0.6", 7000)), "peers found by node " + asker);
            assertTrue(found.queries >= 1 && found.queries <= 40, found.queries + " queries");
        }
    }

    @Test
    void lookupsRouteAroundVanishedAndLyingNodes() {
        var net = network(3);
        NodeId infoHash = NodeId.random(net.random);
        getPeers(net, 7, infoHash, 7001);
        // a fifth of the network goes away, and a tenth answers every query with nodes that do not exist
        for (int i = 10; i < 40; i++) {
            net.vanished.add(SimulatedDht.address(i));
        }
        for (int i = 40; i < 55; i++) {
            net.liars.put(SimulatedDht.address(i), (from, query) -> lie(net, query));
        }
        Found found = getPeers(net, 120, infoHash, 0);
        assertTrue(found.peers.contains(new PeerAddress("10.0.0.8", 7001)), "found " + found.peers);
        assertTrue(found.queries <= DhtNode.Config.DEFAULT.maxQueries());
        // no liar's invention entered a table
        for (int i = 55; i < NODES; i++) {
            assertTrue(net.nodes.get(SimulatedDht.address(i)).contacts(net.now).stream()
                    .allMatch(c -> net.nodes.containsKey(c.address())));
        }
    }

    /** A response that claims close nodes at addresses where nothing answers, and a fake peer. */
    private static byte[] lie(SimulatedDht net, byte[] query) {
        var q = (KrpcMessage.Query) KrpcCodec.decode(query);
        List<Contact> fake = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fake.add(new Contact(NodeId.random(net.random), new PeerAddress("192.0.2." + (i + 1), 6881)));
        }
        return KrpcCodec.encode(new KrpcMessage.Response(q.transaction(), NodeId.random(net.random), fake,
                List.of(), new byte[] {1, 2}));
    }

    @Test
    void aNodeWhoseTableEmptiedBootstrapsAgain() {
        var net = new SimulatedDht(4);
        PeerAddress router = SimulatedDht.address(0);
        net.add(router, List.of());
        PeerAddress lonely = SimulatedDht.address(1);
        DhtNode node = net.add(lonely, List.of(router));
        net.vanished.add(router);
        node.bootstrap(net.now);
        net.run(Duration.ofSeconds(10));
        assertEquals(0, node.tableSize(net.now));

        for (int i = 2; i < 12; i++) {
            net.add(SimulatedDht.address(i), List.of(router));
        }
        net.vanished.remove(router);
        for (int i = 2; i < 12; i++) {
            net.nodes.get(SimulatedDht.address(i)).bootstrap(net.now);
        }
        net.run(Duration.ofSeconds(40));
        assertTrue(node.tableSize(net.now) > 0);
    }
}
