package dev.jtorr.domain.dht;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The routing table of BEP 5: k-buckets of {@link #K} nodes. Bucket {@code i} holds the nodes whose ids share
 * exactly {@code i} leading bits with ours, except the last, which holds all nodes at least that close; only the
 * last is split when full, so the table keeps fine detail near our own id and at most 160 buckets (a bounded
 * 1,280 nodes, plus a small replacement cache per bucket).
 *
 * <p>A node is <em>good</em> when it answered us within the last 15 minutes (or sent us a query after having
 * answered once), <em>bad</em> after {@link #MAX_FAILURES} unanswered queries in a row, <em>questionable</em>
 * otherwise. Only nodes that answered a query of ours are added: a datagram's source address can be forged, a
 * matching reply to our own transaction is much harder to forge.
 *
 * <p>BEP 42: a node is <em>secure</em> when its id matches its address ({@link SecureId}; nodes on local networks
 * always are). Like libtorrent without {@code dht_enforce_node_id}, insecure nodes are kept and used in lookups, but
 * a full bucket prefers secure ones: a secure node that answers takes the place of the insecure node heard from
 * least recently, an insecure node never displaces a live secure one, and a bad node's place goes to the newest
 * secure replacement before any insecure one. Not thread-safe.
 */
public final class RoutingTable {
    public static final int K = 8;
    static final int MAX_FAILURES = 2;
    static final Duration GOOD_FOR = Duration.ofMinutes(15);
    static final int REPLACEMENTS = 8;

    /** The state of a node in the table. */
    public enum State { GOOD, QUESTIONABLE, BAD }

    static final class Entry {
        Contact contact;
        final boolean secure;
        Instant lastReplied;
        Instant lastActive;
        int failures;

        Entry(Contact contact, Instant now) {
            this.contact = contact;
            this.secure = SecureId.isSecure(contact.id(), contact.address());
            this.lastReplied = now;
            this.lastActive = now;
        }

        State state(Instant now) {
            if (failures >= MAX_FAILURES) {
                return State.BAD;
            }
            return now.isBefore(lastActive.plus(GOOD_FOR)) ? State.GOOD : State.QUESTIONABLE;
        }
    }

    static final class Bucket {
        final List<Entry> nodes = new ArrayList<>();
        final List<Contact> replacements = new ArrayList<>();
        Instant changed;

        Bucket(Instant now) {
            this.changed = now;
        }
    }

    private final NodeId own;
    private final List<Bucket> buckets = new ArrayList<>();

    public RoutingTable(NodeId own, Instant now) {
        this.own = own;
        buckets.add(new Bucket(now));
    }

    public NodeId ownId() {
        return own;
    }

    private int index(NodeId id) {
        return Math.min(own.commonPrefix(id), buckets.size() - 1);
    }

    private Entry find(Bucket b, NodeId id) {
        for (Entry e : b.nodes) {
            if (e.contact.id().equals(id)) {
                return e;
            }
        }
        return null;
    }

    /**
     * A node answered one of our queries: add it or mark it good. A known id at another address is not moved
     * (that would let anyone take over a slot). When its bucket is full of good nodes it goes to the replacement
     * cache; the result is then a questionable node worth pinging, if any.
     */
    public Optional<Contact> replied(Contact c, Instant now) {
        if (c.id().equals(own)) {
            return Optional.empty();
        }
        while (true) {
            Bucket b = buckets.get(index(c.id()));
            Entry e = find(b, c.id());
            if (e != null) {
                if (e.contact.address().equals(c.address())) {
                    e.lastReplied = now;
                    e.lastActive = now;
                    e.failures = 0;
                }
                return Optional.empty();
            }
            if (containsAddress(b, c.address())) {
                return Optional.empty();
            }
            if (b.nodes.size() < K) {
                b.nodes.add(new Entry(c, now));
                b.changed = now;
                b.replacements.remove(c);
                return Optional.empty();
            }
            if (b == buckets.get(buckets.size() - 1) && buckets.size() < NodeId.LENGTH * 8) {
                split(now);
                continue;
            }
            for (int i = 0; i < b.nodes.size(); i++) {
                if (b.nodes.get(i).state(now) == State.BAD) {
                    b.nodes.set(i, new Entry(c, now));
                    b.changed = now;
                    return Optional.empty();
                }
            }
            boolean secure = SecureId.isSecure(c.id(), c.address());
            Entry insecure = secure ? leastRecentInsecure(b) : null;
            if (insecure != null) {
                b.nodes.set(b.nodes.indexOf(insecure), new Entry(c, now));
                b.changed = now;
                b.replacements.remove(c);
                return Optional.empty();
            }
            b.replacements.remove(c);
            b.replacements.add(c);
            if (b.replacements.size() > REPLACEMENTS) {
                // the oldest insecure replacement goes first, else the oldest
                int drop = 0;
                for (int i = 0; i < b.replacements.size(); i++) {
                    if (!SecureId.isSecure(b.replacements.get(i).id(), b.replacements.get(i).address())) {
                        drop = i;
                        break;
                    }
                }
                b.replacements.remove(drop);
            }
            return b.nodes.stream().filter(n -> n.state(now) == State.QUESTIONABLE).map(n -> n.contact).findFirst();
        }
    }

    private static Entry leastRecentInsecure(Bucket b) {
        Entry oldest = null;
        for (Entry e : b.nodes) {
            if (!e.secure && (oldest == null || e.lastActive.isBefore(oldest.lastActive))) {
                oldest = e;
            }
        }
        return oldest;
    }

    private static boolean containsAddress(Bucket b, PeerAddress a) {
        return b.nodes.stream().anyMatch(n -> n.contact.address().equals(a));
    }

    private void split(Instant now) {
        Bucket last = buckets.get(buckets.size() - 1);
        Bucket next = new Bucket(now);
        int depth = buckets.size() - 1;
        buckets.add(next);
        last.nodes.removeIf(e -> {
            if (own.commonPrefix(e.contact.id()) > depth) {
                next.nodes.add(e);
                return true;
            }
            return false;
        });
        last.replacements.removeIf(c -> {
            if (own.commonPrefix(c.id()) > depth) {
                next.replacements.add(c);
                return true;
            }
            return false;
        });
    }

    /** Whether this node, not in the table, would get a place in it were it to answer us. */
    public boolean hasRoomFor(Contact c, Instant now) {
        NodeId id = c.id();
        if (id.equals(own)) {
            return false;
        }
        int i = index(id);
        Bucket b = buckets.get(i);
        return find(b, id) == null && (b.nodes.size() < K
                || (i == buckets.size() - 1 && buckets.size() < NodeId.LENGTH * 8)
                || b.nodes.stream().anyMatch(e -> e.state(now) == State.BAD)
                || (SecureId.isSecure(id, c.address()) && leastRecentInsecure(b) != null));
    }

    /** A known node sent us a query from its known address: it is alive. */
    public void heardFrom(Contact c, Instant now) {
        Entry e = find(buckets.get(index(c.id())), c.id());
        if (e != null && e.contact.address().equals(c.address())) {
            e.lastActive = now;
        }
    }

    /** A query to this node went unanswered; a bad node gives its place to the newest replacement. */
    public void failed(NodeId id, Instant now) {
        Bucket b = buckets.get(index(id));
        Entry e = find(b, id);
        if (e == null) {
            return;
        }
        e.failures++;
        if (e.state(now) == State.BAD && !b.replacements.isEmpty()) {
            int newest = b.replacements.size() - 1;
            for (int i = newest; i >= 0; i--) {
                if (SecureId.isSecure(b.replacements.get(i).id(), b.replacements.get(i).address())) {
                    newest = i;
                    break;
                }
            }
            Contact r = b.replacements.remove(newest);
            b.nodes.remove(e);
            // a replacement has answered before, but not lately: it stays questionable until it answers again
            Entry fresh = new Entry(r, now.minus(GOOD_FOR));
            b.nodes.add(fresh);
            b.changed = now;
        }
    }

    public Optional<State> state(NodeId id, Instant now) {
        Entry e = find(buckets.get(index(id)), id);
        return e == null ? Optional.empty() : Optional.of(e.state(now));
    }

    /** Up to {@code n} nodes closest to {@code target} that are not bad, closest first. */
    public List<Contact> closest(NodeId target, int n, Instant now) {
        List<Contact> all = new ArrayList<>();
        for (Bucket b : buckets) {
            for (Entry e : b.nodes) {
                if (e.state(now) != State.BAD) {
                    all.add(e.contact);
                }
            }
        }
        all.sort(Comparator.comparing(Contact::id, target::compareDistance));
        return all.size() > n ? List.copyOf(all.subList(0, n)) : all;
    }

    /** Nodes not heard from in 15 minutes: to be pinged. */
    public List<Contact> questionable(Instant now) {
        List<Contact> out = new ArrayList<>();
        for (Bucket b : buckets) {
            for (Entry e : b.nodes) {
                if (e.state(now) == State.QUESTIONABLE) {
                    out.add(e.contact);
                }
            }
        }
        return out;
    }

    /** For each bucket unchanged for 15 minutes, a random target in its range (to look up, refreshing it). */
    public List<NodeId> staleBuckets(Instant now, java.util.random.RandomGenerator random) {
        List<NodeId> out = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (!now.isBefore(b.changed.plus(GOOD_FOR))) {
                b.changed = now;
                out.add(i == buckets.size() - 1 ? own : own.randomWithPrefix(i, random));
            }
        }
        return out;
    }

    /** Every node in the table, good first (for saving). */
    public List<Contact> contacts(Instant now) {
        List<Contact> out = new ArrayList<>();
        for (State s : List.of(State.GOOD, State.QUESTIONABLE)) {
            for (Bucket b : buckets) {
                for (Entry e : b.nodes) {
                    if (e.state(now) == s) {
                        out.add(e.contact);
                    }
                }
            }
        }
        return out;
    }

    /** Nodes in the table that are not bad. */
    public int size(Instant now) {
        int n = 0;
        for (Bucket b : buckets) {
            for (Entry e : b.nodes) {
                n += e.state(now) == State.BAD ? 0 : 1;
            }
        }
        return n;
    }

    public int bucketCount() {
        return buckets.size();
    }
}
