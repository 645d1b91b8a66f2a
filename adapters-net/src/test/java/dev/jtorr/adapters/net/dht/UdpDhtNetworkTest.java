package dev.jtorr.adapters.net.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.application.port.out.NetworkException;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real UDP sockets on loopback: nodes, each on its own 127.0.0.x, find the peers others announced. */
class UdpDhtNetworkTest {
    private final List<DhtNetwork.Node> started = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        started.forEach(DhtNetwork.Node::close);
    }

    private static int freeUdpPort() throws Exception {
        try (var s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private DhtNetwork.Node node(String host, int port, List<PeerAddress> bootstrap, Optional<Path> state) {
        var node = new UdpDhtNetwork(new DhtConfig(state, true)).start(host, port, bootstrap).orElseThrow();
        started.add(node);
        return node;
    }

    private static Set<PeerAddress> lookup(DhtNetwork.Node node, Digest hash, int port) throws InterruptedException {
        Set<PeerAddress> found = ConcurrentHashMap.newKeySet();
        var done = new CountDownLatch(1);
        node.getPeers(hash, port, found::addAll, n -> done.countDown());
        assertTrue(done.await(20, TimeUnit.SECONDS), "the lookup ends");
        return found;
    }

    @Test
    void nodesOnLoopbackFindEachOthersAnnouncedPeers() throws Exception {
        int port = freeUdpPort();
        var router = new PeerAddress("127.0.0.1", port);
        node("127.0.0.1", port, List.of(), Optional.empty());
        List<DhtNetwork.Node> others = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            others.add(node("127.0.0." + i, port, List.of(router), Optional.empty()));
        }
        Digest hash = Digest.ofHex("0123456789abcdef0123456789abcdef01234567");
        lookup(others.get(0), hash, 7000);
        // the announces go out as the lookup ends, so they may still be on their way: ask again until they arrived
        Set<PeerAddress> found = Set.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            found = lookup(others.get(4), hash, 0);
        }
        assertEquals(Set.of(new PeerAddress("127.0.0.2", 7000)), found);
        assertTrue(others.get(4).nodes() >= 1);
    }

    @Test
    void theTableIsSavedOnCloseAndUsedAtTheNextStart() throws Exception {
        int port = freeUdpPort();
        var router = new PeerAddress("127.0.0.1", port);
        node("127.0.0.1", port, List.of(), Optional.empty());
        node("127.0.0.3", port, List.of(router), Optional.empty());
        Path state = dir.resolve("state").resolve("dht-nodes.dat");
        var first = node("127.0.0.2", port, List.of(router), Optional.of(state));
        lookup(first, Digest.ofHex("00".repeat(20)), 0);
        first.close();
        assertTrue(NodeFile.read(state).size() >= 1, "saved nodes");

        // no bootstrap node this time: the saved table is all it has
        var second = node("127.0.0.2", port, List.of(), Optional.of(state));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (second.nodes() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(second.nodes() >= 1);
    }

    @Test
    void aPingedNodeThatAnswersEntersTheTable() throws Exception {
        int port = freeUdpPort();
        node("127.0.0.1", port, List.of(), Optional.empty());
        var pinging = node("127.0.0.2", port, List.of(), Optional.empty());
        pinging.ping(new PeerAddress("127.0.0.1", port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pinging.nodes() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, pinging.nodes());
    }

    @Test
    void aTakenPortIsANetworkError() throws Exception {
        try (var taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertThrows(NetworkException.class, () -> new UdpDhtNetwork(new DhtConfig(Optional.empty(), true))
                    .start("127.0.0.1", taken.getLocalPort(), List.of()));
        }
    }

    @Test
    void loopbackOnlyNeverResolvesOrContactsAPublicBootstrapNode() throws Exception {
        // a real public name and a documentation address: neither is resolved or sent to
        var node = node("127.0.0.1", freeUdpPort(), List.of(new PeerAddress("router.bittorrent.com", 6881),
                new PeerAddress("192.0.2.1", 6881)), Optional.empty());
        Set<PeerAddress> found = lookup(node, Digest.ofHex("11".repeat(20)), 0);
        assertEquals(Set.of(), found);
        assertEquals(0, node.nodes());
    }
}
