package dev.jtorr.domain.dht;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A Mainline DHT node (BEP 5) as a pure state machine: datagrams and clock ticks go in, datagrams to send come out
 * of {@link #drain()}, and lookups report to their listeners, all on the caller's one thread. It answers ping,
 * find_node, get_peers and announce_peer; it runs iterative lookups; it bootstraps from the given routers whenever
 * its table is empty. A response counts only when it matches a query of ours still outstanding, comes from the
 * address that query went to and, when we knew the node's id, carries that id; anything else is dropped before it
 * reaches the table. Incoming datagrams are rate-limited per source host. Not thread-safe.
 */
public final class DhtNode {
    /** Bytes to send to, or received from, a UDP address. */
    public record Datagram(PeerAddress address, byte[] bytes) {
    }

    /** Hears from one lookup; called on the thread driving the node. */
    public interface LookupListener {
        /** Peers found (each address once per lookup). */
        void peers(List<PeerAddress> found);

        /** The lookup ended after {@code queries} queries. */
        default void done(int queries) {
        }
    }

    /**
     * @param maxQueries    queries one lookup may send
     * @param timeout       how long a query waits for its response
     * @param perSource     datagrams handled per source host per second
     * @param total         datagrams handled per second from all sources
     * @param maxPending    queries outstanding at once (more wait)
     * @param readOnly      a read-only node (BEP 43): it answers no query and marks its own queries {@code ro}, so
     *                      that others leave it out of their tables (for a host that cannot be reached, or should
     *                      not be woken up)
     */
    public record Config(int maxQueries, Duration timeout, int perSource, int total, int maxPending,
                         boolean readOnly) {
        public static final Config DEFAULT = new Config(100, Duration.ofSeconds(4), 50, 2_000, 256, false);

        /** This configuration as a read-only node's (BEP 43). */
        public Config asReadOnly() {
            return new Config(maxQueries, timeout, perSource, total, maxPending, true);
        }
    }

    static final Duration REBOOTSTRAP = Duration.ofSeconds(30);
    static final int TID_LENGTH = 4;

    private record Pending(PeerAddress to, NodeId expected, Lookup lookup, Lookup.Candidate candidate,
                           Instant deadline) {
    }

    private NodeId id;
    private final RandomGenerator random;
    private final Config config;
    private RoutingTable table;
    private final ExternalAddress external = new ExternalAddress();
    private final Tokens tokens;
    private final PeerStore store = new PeerStore();
    private final SourceLimiter limiter;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final List<Lookup> lookups = new ArrayList<>();
    private final List<Datagram> outbox = new ArrayList<>();
    private final List<PeerAddress> routers = new ArrayList<>();
    private Instant lastBootstrap = Instant.MIN;
    private Instant lastMaintenance;
    private long dropped;

    public DhtNode(NodeId id, List<PeerAddress> routers, RandomGenerator random, Config config, Instant now) {
        this.id = id;
        this.routers.addAll(routers);
        this.random = random;
        this.config = config;
        this.table = new RoutingTable(id, now);
        this.tokens = new Tokens(random, now);
        this.limiter = new SourceLimiter(config.perSource(), config.total());
        this.lastMaintenance = now;
    }

    /** Our node id; it changes once, when we learn our external address and the id is not secure for it. */
    public NodeId id() {
        return id;
    }

    /** Our external IPv4 address as the nodes we asked agree it is (BEP 42), or null while they do not. */
    public String externalAddress() {
        return external.believed();
    }

    /** Datagrams to send, oldest first; the outbox is empty afterwards. */
    public List<Datagram> drain() {
        List<Datagram> out = List.copyOf(outbox);
        outbox.clear();
        return out;
    }

    /** Pings nodes saved from an earlier run; they enter the table when they answer. */
    public void load(List<Contact> saved, Instant now) {
        for (Contact c : saved.subList(0, Math.min(saved.size(), RoutingTable.K * 20))) {
            query(c.address(), c.id(), null, null, tid -> KrpcMessage.Query.ping(tid, id), now);
        }
    }

    /**
     * Pings a node we heard of outside the DHT (a peer's BEP 5 {@code port} message); it enters the table only if it
     * answers, from that address. Ignored while many queries are outstanding, so peers cannot make us flood.
     */
    public void ping(PeerAddress node, Instant now) {
        if (pending.size() < config.maxPending() / 2) {
            query(node, null, null, null, tid -> KrpcMessage.Query.ping(tid, id), now);
        }
    }

    /** More routers to bootstrap from (e.g. once their names are resolved); bootstraps through them now. */
    public void addRouters(List<PeerAddress> more, Instant now) {
        more.stream().filter(r -> !routers.contains(r)).forEach(routers::add);
        if (!more.isEmpty()) {
            bootstrap(now);
        }
    }

    /** Starts a lookup of our own id through the routers and whatever the table holds. */
    public void bootstrap(Instant now) {
        lastBootstrap = now;
        start(new Lookup(id, false, 0, config.maxQueries(), found -> { }), now, true);
    }

    /**
     * Looks up the peers of an info-hash (v1, or a v2 hash truncated to 20 bytes); with an {@code announcePort}
     * above 0, announces that port to the closest nodes once the lookup ends.
     */
    public void getPeers(NodeId infoHash, int announcePort, LookupListener listener, Instant now) {
        var lookup = new Lookup(infoHash, true, announcePort, config.maxQueries(), listener);
        // peers announced to this very node count too: in a small network it may be the closest one
        List<PeerAddress> local = lookup.found(store.peers(infoHash, now));
        if (!local.isEmpty()) {
            listener.peers(local);
        }
        start(lookup, now, table.size(now) == 0);
    }

    /** Looks up the nodes closest to a target; the listener hears only when it ends. */
    public void findNode(NodeId target, LookupListener listener, Instant now) {
        start(new Lookup(target, false, 0, config.maxQueries(), listener), now, table.size(now) == 0);
    }

    private void start(Lookup lookup, Instant now, boolean viaRouters) {
        table.closest(lookup.target, RoutingTable.K * 2, now).forEach(lookup::add);
        if (viaRouters) {
            routers.forEach(lookup::addRouter);
        }
        lookups.add(lookup);
        advance(lookup, now);
    }

    /** Handles one received datagram. */
    public void receive(PeerAddress from, byte[] datagram, Instant now) {
        if (!limiter.allow(from.host(), now)) {
            dropped++;
            return;
        }
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram);
        } catch (KrpcException e) {
            dropped++;
            return;
        }
        switch (message) {
            case KrpcMessage.Query q -> {
                if (!config.readOnly()) {
                    answer(from, q, now);
                }
            }
            case KrpcMessage.Response r -> responded(from, r, now);
            case KrpcMessage.Error e -> errored(from, e, now);
        }
    }

    private void answer(PeerAddress from, KrpcMessage.Query q, Instant now) {
        if (q.sender().equals(id)) {
            return;
        }
        table.heardFrom(new Contact(q.sender(), from), now);
        if (!q.readOnly() && table.hasRoomFor(new Contact(q.sender(), from), now)
                && pending.size() < config.maxPending() / 2) {
            // a querying node enters the table only once it answers a query of ours (its address may be forged)
            query(from, q.sender(), null, null, tid -> KrpcMessage.Query.ping(tid, id), now);
        }
        if (q.method() == null) {
            send(from, new KrpcMessage.Error(q.transaction(), 204, "Method Unknown"));
            return;
        }
        KrpcMessage reply = switch (q.method()) {
            case PING -> response(from, q, List.of(), List.of(), null);
            case FIND_NODE -> response(from, q, table.closest(q.target(), RoutingTable.K, now), List.of(), null);
            case GET_PEERS -> response(from, q, table.closest(q.target(), RoutingTable.K, now),
                    store.peers(q.target(), now), tokens.issue(from.host(), now));
            case ANNOUNCE_PEER -> {
                if (!tokens.valid(q.token(), from.host(), now)) {
                    yield new KrpcMessage.Error(q.transaction(), 203, "Bad token");
                }
                store.announce(q.target(), new PeerAddress(from.host(), q.impliedPort() ? from.port() : q.port()),
                        SecureId.isSecure(q.sender(), from), now);
                yield response(from, q, List.of(), List.of(), null);
            }
        };
        send(from, reply);
    }

    private KrpcMessage.Response response(PeerAddress from, KrpcMessage.Query q, List<Contact> nodes,
                                          List<PeerAddress> values, byte[] token) {
        return new KrpcMessage.Response(q.transaction(), id, nodes, values, token, from);
    }

    private Pending claim(PeerAddress from, KrpcMessage message) {
        byte[] t = message.transaction();
        if (t.length != TID_LENGTH) {
            dropped++;
            return null;
        }
        int key = key(t);
        Pending p = pending.get(key);
        if (p == null || !p.to().equals(from)) {
            // unknown, expired, or from an address we never asked: possibly forged, and it changes nothing
            dropped++;
            return null;
        }
        pending.remove(key);
        return p;
    }

    private void responded(PeerAddress from, KrpcMessage.Response r, Instant now) {
        Pending p = claim(from, r);
        if (p == null) {
            return;
        }
        if (p.expected() != null && !p.expected().equals(r.sender())) {
            table.failed(p.expected(), now);
            if (p.lookup() != null) {
                p.lookup().failed(p.candidate());
                advance(p.lookup(), now);
            }
            return;
        }
        if (r.requester() != null) {
            learnedAddress(from, r.requester(), now);
        }
        table.replied(new Contact(r.sender(), from), now).ifPresent(q ->
                query(q.address(), q.id(), null, null, tid -> KrpcMessage.Query.ping(tid, id), now));
        Lookup l = p.lookup();
        if (l != null) {
            // we may be among the nodes a node names: never ask ourselves
            var others = r.nodes().stream().filter(c -> !c.id().equals(id)).toList();
            List<PeerAddress> fresh = l.replied(p.candidate(), others.size() == r.nodes().size() ? r
                    : new KrpcMessage.Response(r.transaction(), r.sender(), others, r.values(), r.token()), from);
            if (!fresh.isEmpty() && !l.finished) {
                l.listener.peers(fresh);
            }
            advance(l, now);
        }
    }

    /**
     * A node we asked told us our address (BEP 42). Once the nodes agree on one for which our id is not secure, we
     * take a secure id: the table is rebuilt around it (its nodes keep their places where they still fit) and a
     * lookup of the new id fills the buckets near it.
     */
    private void learnedAddress(PeerAddress voter, PeerAddress ours, Instant now) {
        byte[] ip = external.vote(voter.host(), ours.host());
        if (ip == null || SecureId.isSecure(id, new PeerAddress(ours.host(), 1))) {
            return;
        }
        NodeId fresh = SecureId.generate(ip, random);
        RoutingTable rebuilt = new RoutingTable(fresh, now);
        table.contacts(now).forEach(c -> rebuilt.replied(c, now));
        id = fresh;
        table = rebuilt;
        bootstrap(now);
    }

    private void errored(PeerAddress from, KrpcMessage.Error e, Instant now) {
        Pending p = claim(from, e);
        if (p != null && p.lookup() != null) {
            p.lookup().failed(p.candidate());
            advance(p.lookup(), now);
        }
    }

    /** Expires queries, keeps the table fresh, bootstraps again when the table emptied. */
    public void tick(Instant now) {
        for (Iterator<Map.Entry<Integer, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending p = it.next().getValue();
            if (!now.isBefore(p.deadline())) {
                it.remove();
                if (p.expected() != null) {
                    table.failed(p.expected(), now);
                }
                if (p.lookup() != null) {
                    p.lookup().failed(p.candidate());
                }
            }
        }
        List.copyOf(lookups).forEach(l -> advance(l, now));
        if (table.size(now) == 0 && !routers.isEmpty() && !now.isBefore(lastBootstrap.plus(REBOOTSTRAP))
                && lookups.stream().noneMatch(l -> l.target.equals(id) && !l.finished)) {
            bootstrap(now);
        }
        if (!now.isBefore(lastMaintenance.plus(Duration.ofMinutes(1)))) {
            lastMaintenance = now;
            store.expire(now);
            for (NodeId target : table.staleBuckets(now, random)) {
                findNode(target, found -> { }, now);
            }
            table.questionable(now).stream().limit(RoutingTable.K).forEach(c ->
                    query(c.address(), c.id(), null, null, tid -> KrpcMessage.Query.ping(tid, id), now));
        }
    }

    private void advance(Lookup l, Instant now) {
        if (l.finished) {
            return;
        }
        while (pending.size() < config.maxPending()) {
            PeerAddress router = l.nextRouter();
            if (router != null) {
                l.sent(null);
                query(router, null, l, null, tid -> queryFor(l, tid), now);
                continue;
            }
            Lookup.Candidate c = l.next();
            if (c == null) {
                break;
            }
            l.sent(c);
            query(c.contact.address(), c.contact.id(), l, c, tid -> queryFor(l, tid), now);
        }
        if (l.exhausted()) {
            l.finished = true;
            lookups.remove(l);
            if (l.getPeers && l.announcePort > 0) {
                for (Lookup.Candidate c : l.closestWithTokens()) {
                    query(c.contact.address(), c.contact.id(), null, null, tid -> KrpcMessage.Query.announcePeer(
                            tid, id, l.target, l.announcePort, c.token), now);
                }
            }
            l.listener.done(l.queries);
        }
    }

    private KrpcMessage.Query queryFor(Lookup l, byte[] tid) {
        return l.getPeers ? KrpcMessage.Query.getPeers(tid, id, l.target) : KrpcMessage.Query.findNode(tid, id,
                l.target);
    }

    private void query(PeerAddress to, NodeId expected, Lookup l, Lookup.Candidate c,
                       java.util.function.Function<byte[], KrpcMessage.Query> make, Instant now) {
        byte[] tid = new byte[TID_LENGTH];
        int key;
        do {
            random.nextBytes(tid);
            key = key(tid);
        } while (pending.containsKey(key));
        pending.put(key, new Pending(to, expected, l, c, now.plus(config.timeout())));
        KrpcMessage.Query q = make.apply(tid);
        send(to, config.readOnly() ? q.asReadOnly() : q);
    }

    private void send(PeerAddress to, KrpcMessage message) {
        outbox.add(new Datagram(to, KrpcCodec.encode(message)));
    }

    private static int key(byte[] tid) {
        return (tid[0] & 0xff) << 24 | (tid[1] & 0xff) << 16 | (tid[2] & 0xff) << 8 | tid[3] & 0xff;
    }

    /** The table's nodes, good first: what to save. */
    public List<Contact> contacts(Instant now) {
        return table.contacts(now);
    }

    /** Nodes in the table that are not bad. */
    public int tableSize(Instant now) {
        return table.size(now);
    }

    public int pendingQueries() {
        return pending.size();
    }

    public int lookupsRunning() {
        return lookups.size();
    }

    /** Datagrams dropped: over a rate limit, malformed, or answering nothing we asked. */
    public long dropped() {
        return dropped;
    }

    RoutingTable table() {
        return table;
    }

    /** The peers announced to this node for an info-hash (what its get_peers answers carry). */
    List<PeerAddress> storedPeers(NodeId infoHash, Instant now) {
        return store.peers(infoHash, now);
    }

    PeerStore store() {
        return store;
    }
}
