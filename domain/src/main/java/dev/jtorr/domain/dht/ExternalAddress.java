package dev.jtorr.domain.dht;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Our external IPv4 address as the nodes we query see it (BEP 42's {@code ip} in their responses). One node cannot
 * be trusted, so each host has one vote (its latest), only the last {@link #VOTERS} hosts to vote count, and an
 * address is believed once {@link #QUORUM} hosts name it and more hosts name it than any other. Addresses on local
 * networks are not votes: behind them our id needs no restriction. Not thread-safe.
 */
final class ExternalAddress {
    static final int QUORUM = 5;
    static final int VOTERS = 50;

    /** Voter host to the address it named, oldest voter first. */
    private final LinkedHashMap<String, String> votes = new LinkedHashMap<>();
    private String believed;

    /**
     * Counts the address {@code voter} says we have; returns the newly believed address (4 bytes) when the vote
     * changed which one is believed, else null.
     */
    byte[] vote(String voter, String address) {
        byte[] ip = Compact.ipv4(address);
        if (ip == null || SecureId.isLocal(ip) || (ip[0] & 0xff) == 0 || (ip[0] & 0xff) >= 224) {
            return null;
        }
        votes.remove(voter);
        votes.put(voter, address);
        if (votes.size() > VOTERS) {
            votes.remove(votes.keySet().iterator().next());
        }
        Map<String, Integer> counts = new HashMap<>();
        votes.values().forEach(a -> counts.merge(a, 1, Integer::sum));
        String leader = null;
        int best = 0;
        boolean tie = false;
        for (var e : counts.entrySet()) {
            if (e.getValue() > best) {
                leader = e.getKey();
                best = e.getValue();
                tie = false;
            } else if (e.getValue() == best) {
                tie = true;
            }
        }
        if (tie || best < QUORUM || leader.equals(believed)) {
            return null;
        }
        believed = leader;
        return Compact.ipv4(leader);
    }

    /** The believed address, or null while there is none. */
    String believed() {
        return believed;
    }
}
