package dev.jtorr.domain.dht;

import dev.jtorr.domain.peer.PeerAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One iterative lookup of BEP 5 (find_node or get_peers) towards a target: at most {@link #ALPHA} queries in flight,
 * each to the closest node not yet asked, until the {@link RoutingTable#K} closest nodes that answered have all been
 * asked, or {@code maxQueries} were sent. Candidates are kept to the {@link #MAX_CANDIDATES} closest, and peers
 * found to {@link #MAX_PEERS}, so a lookup's memory is bounded whatever the nodes say. Driven by {@link DhtNode}.
 *
 * <p>BEP 42: nodes whose ids are secure for their addresses ({@link SecureId}; local addresses always are) come
 * first. The lookup converges on the K closest secure nodes; a node with an insecure id is asked only while fewer
 * than K secure ones are alive, and then only if it is among the K closest of all. Announces go to the closest
 * secure nodes that gave a token before any insecure one. So ids chosen next to a target (a Sybil attack) win
 * neither our queries nor our announces where honest nodes are enough.
 */
final class Lookup {
    static final int ALPHA = 3;
    static final int MAX_CANDIDATES = 64;
    static final int MAX_PEERS = 1_000;

    enum Status { NEW, ASKED, REPLIED, FAILED }

    static final class Candidate {
        final Contact contact;
        final boolean secure;
        Status status = Status.NEW;
        byte[] token;

        Candidate(Contact contact) {
            this.contact = contact;
            this.secure = SecureId.isSecure(contact.id(), contact.address());
        }
    }

    final NodeId target;
    final boolean getPeers;
    final int announcePort;
    final DhtNode.LookupListener listener;
    private final int maxQueries;
    private final List<Candidate> candidates = new ArrayList<>();
    private final Deque<PeerAddress> routers = new ArrayDeque<>();
    private final Set<PeerAddress> seenAddresses = new HashSet<>();
    private final Set<PeerAddress> peers = new LinkedHashSet<>();
    int queries;
    int inFlight;
    boolean finished;

    Lookup(NodeId target, boolean getPeers, int announcePort, int maxQueries, DhtNode.LookupListener listener) {
        this.target = target;
        this.getPeers = getPeers;
        this.announcePort = announcePort;
        this.maxQueries = maxQueries;
        this.listener = listener;
    }

    void addRouter(PeerAddress address) {
        if (seenAddresses.add(address)) {
            routers.add(address);
        }
    }

    void add(Contact c) {
        if (!seenAddresses.add(c.address())) {
            return;
        }
        var cand = new Candidate(c);
        int at = 0;
        while (at < candidates.size() && target.compareDistance(candidates.get(at).contact.id(), c.id()) <= 0) {
            at++;
        }
        if (at >= MAX_CANDIDATES) {
            return;
        }
        candidates.add(at, cand);
        if (candidates.size() > MAX_CANDIDATES) {
            // only a candidate never asked can be dropped; one in flight keeps its place until it answers
            for (int i = candidates.size() - 1; i >= 0; i--) {
                if (candidates.get(i).status != Status.ASKED) {
                    candidates.remove(i);
                    break;
                }
            }
        }
    }

    /** Next router to ask, if any remain and a query may be sent. */
    PeerAddress nextRouter() {
        return canSend() && !routers.isEmpty() ? routers.poll() : null;
    }

    /**
     * The closest secure candidate not yet asked, among the K closest secure ones that have not failed; failing
     * that, while fewer than K secure ones are alive, the closest insecure one not yet asked among the K closest of
     * all. Null when none or not now.
     */
    Candidate next() {
        if (!canSend()) {
            return null;
        }
        int live = 0;
        int secureLive = 0;
        Candidate insecure = null;
        for (Candidate c : candidates) {
            if (c.status == Status.FAILED) {
                continue;
            }
            boolean amongClosest = live++ < RoutingTable.K;
            if (!c.secure) {
                if (c.status == Status.NEW && insecure == null && amongClosest) {
                    insecure = c;
                }
                continue;
            }
            if (c.status == Status.NEW) {
                return c;
            }
            if (++secureLive >= RoutingTable.K) {
                return null;
            }
        }
        return insecure;
    }

    private boolean canSend() {
        return !finished && inFlight < ALPHA && queries < maxQueries;
    }

    void sent(Candidate c) {
        if (c != null) {
            c.status = Status.ASKED;
        }
        queries++;
        inFlight++;
    }

    /** Peers found now for the first time. */
    List<PeerAddress> replied(Candidate c, KrpcMessage.Response r, PeerAddress from) {
        inFlight--;
        if (c == null) {
            // a router answered: now that its id is known it is a candidate like any other (it may take announces)
            seenAddresses.remove(from);
            add(new Contact(r.sender(), from));
            c = candidates.stream().filter(x -> x.contact.address().equals(from)).findFirst().orElse(null);
        }
        if (c != null) {
            c.status = Status.REPLIED;
            c.token = r.token();
        }
        r.nodes().forEach(this::add);
        return found(r.values());
    }

    /** The peers among these not found before. */
    List<PeerAddress> found(List<PeerAddress> values) {
        List<PeerAddress> fresh = new ArrayList<>();
        for (PeerAddress p : values) {
            if (peers.size() < MAX_PEERS && peers.add(p)) {
                fresh.add(p);
            }
        }
        return fresh;
    }

    void failed(Candidate c) {
        inFlight--;
        if (c != null) {
            c.status = Status.FAILED;
        }
    }

    /** Nothing in flight and nothing more worth asking. */
    boolean exhausted() {
        return inFlight == 0 && (queries >= maxQueries || (routers.isEmpty() && next() == null));
    }

    /** The closest nodes that answered with a token, secure ones first: where an announce goes. */
    List<Candidate> closestWithTokens() {
        return candidates.stream().filter(c -> c.status == Status.REPLIED && c.token != null)
                .sorted(Comparator.comparing((Candidate c) -> !c.secure)
                        .thenComparing(c -> c.contact.id(), target::compareDistance))
                .limit(RoutingTable.K).toList();
    }

    List<Contact> closestReplied() {
        return candidates.stream().filter(c -> c.status == Status.REPLIED).map(c -> c.contact)
                .limit(RoutingTable.K).toList();
    }

    int peersFound() {
        return peers.size();
    }
}
