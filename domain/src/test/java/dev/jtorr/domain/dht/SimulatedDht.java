package dev.jtorr.domain.dht;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Many {@link DhtNode}s on an in-memory network under a virtual clock: datagrams are delivered in order, each hop
 * costing {@link #HOP}; a vanished address swallows what is sent to it; a liar answers with a function of its own.
 */
final class SimulatedDht {
    static final Duration HOP = Duration.ofMillis(20);
    final SplittableRandom random;
    final Map<PeerAddress, DhtNode> nodes = new HashMap<>();
    final Map<PeerAddress, BiFunction<PeerAddress, byte[], byte[]>> liars = new HashMap<>();
    final Set<PeerAddress> vanished = new HashSet<>();
    final List<PeerAddress> addresses = new ArrayList<>();
    private final Deque<DhtNode.Datagram[]> inFlight = new ArrayDeque<>();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    long delivered;

    SimulatedDht(long seed) {
        this.random = new SplittableRandom(seed);
    }

    static PeerAddress address(int i) {
        return new PeerAddress("10.0." + (i / 250) + "." + (i % 250 + 1), 6881);
    }

    DhtNode add(PeerAddress at, List<PeerAddress> routers) {
        return add(at, NodeId.random(random), routers);
    }

    /** A node at a public IPv4 address with an id secure for it (BEP 42). */
    DhtNode addSecure(PeerAddress at, List<PeerAddress> routers) {
        return add(at, SecureId.generate(Compact.ipv4(at.host()), random), routers);
    }

    DhtNode add(PeerAddress at, NodeId id, List<PeerAddress> routers) {
        var node = new DhtNode(id, routers, random.split(), DhtNode.Config.DEFAULT, now);
        nodes.put(at, node);
        addresses.add(at);
        return node;
    }

    /** Delivers datagrams until the network is quiet. */
    void settle() {
        collect();
        while (!inFlight.isEmpty()) {
            var d = inFlight.poll();
            now = now.plus(HOP);
            deliver(d[0].address(), d[1]);
            collect();
        }
    }

    private void deliver(PeerAddress from, DhtNode.Datagram d) {
        delivered++;
        if (vanished.contains(d.address())) {
            return;
        }
        var liar = liars.get(d.address());
        if (liar != null) {
            byte[] reply = liar.apply(from, d.bytes());
            if (reply != null) {
                nodes.get(from).receive(d.address(), reply, now);
            }
            return;
        }
        var node = nodes.get(d.address());
        if (node != null) {
            node.receive(from, d.bytes(), now);
        }
    }

    private void collect() {
        for (PeerAddress a : addresses) {
            if (vanished.contains(a) || liars.containsKey(a)) {
                nodes.get(a).drain();
                continue;
            }
            for (DhtNode.Datagram d : nodes.get(a).drain()) {
                inFlight.add(new DhtNode.Datagram[] {new DhtNode.Datagram(a, null), d});
            }
        }
    }

    /** Advances the clock by {@code d} in one-second ticks, settling the network after each. */
    void run(Duration d) {
        Instant end = now.plus(d);
        while (now.isBefore(end)) {
            now = now.plusSeconds(1);
            for (PeerAddress a : addresses) {
                if (!vanished.contains(a)) {
                    nodes.get(a).tick(now);
                }
            }
            settle();
        }
    }
}
