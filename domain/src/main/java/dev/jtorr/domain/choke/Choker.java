package dev.jtorr.domain.choke;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Chooses which peers we upload to (BEP 3's choking algorithm, as libtorrent and Transmission do it).
 * <ul>
 *   <li>Leeching: tit-for-tat. The regular slots go to the interested peers that give us the most (download rate
 *       from them); a peer that has sent us nothing for a while (snubbed) loses its slot.</li>
 *   <li>Seeding: turns that spread the pieces. A peer keeps its slot for one turn ({@link Config#optimisticInterval()}),
 *       then the waiting peers that have received least from us get theirs (longest waiting first among equals), so
 *       that leechers soon hold pieces to trade among themselves.</li>
 *   <li>Both: one optimistic slot, rotated every {@link Config#optimisticInterval()} to the interested peer outside
 *       the regular slots that has waited longest for one (ties at random), so newcomers can prove themselves.</li>
 * </ul>
 * Call {@link #decide} every {@link Config#rechokeInterval()} (the round: rotation and tit-for-tat), and
 * {@link #refill} whenever a slot may have come free or an interested peer arrived, so that a free slot is used at
 * once rather than at the next round. The number of slots comes with each call, so that it can follow the upload
 * capacity ({@link UploadSlots}). Time and randomness come in as parameters. Single-threaded.
 */
public final class Choker {
    /**
     * @param slots              peers unchoked at once, the optimistic one included (at least 1), when a call
     *                           names no number
     * @param rechokeInterval    how often the caller should call {@link #decide} (10 s in BEP 3)
     * @param optimisticInterval how long an optimistic unchoke, or a seeding turn, lasts (30 s)
     */
    public record Config(int slots, Duration rechokeInterval, Duration optimisticInterval) {
        public static final Config DEFAULT = new Config(4, Duration.ofSeconds(10), Duration.ofSeconds(30));

        public Config {
            if (slots < 1) {
                throw new IllegalArgumentException("need at least one upload slot");
            }
        }
    }

    /**
     * What the choker knows of a peer.
     *
     * @param key          the caller's id for the peer
     * @param interested   the peer wants something we have
     * @param downloadRate bytes per second the peer sends us
     * @param uploadRate   bytes per second we send the peer
     * @param snubbed      the peer has left our requests unanswered for too long
     * @param unchoked     we unchoke the peer now
     * @param uploaded     bytes of payload we have sent the peer over its connection
     */
    public record Candidate(long key, boolean interested, long downloadRate, long uploadRate, boolean snubbed,
                            boolean unchoked, long uploaded) {
        /** A choked peer that has received nothing from us. */
        public Candidate(long key, boolean interested, long downloadRate, long uploadRate, boolean snubbed) {
            this(key, interested, downloadRate, uploadRate, snubbed, false, 0);
        }
    }

    private final Config config;
    private final Map<Long, Instant> turnStarted = new HashMap<>();
    private final Map<Long, Instant> turnEnded = new HashMap<>();
    private final Map<Long, Instant> lastOptimistic = new HashMap<>();
    private long optimistic = -1;
    private Instant optimisticSince = Instant.MIN;

    public Choker(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /** The round with {@link Config#slots()} slots. */
    public Set<Long> decide(List<Candidate> peers, boolean seeding, Instant now, RandomGenerator random) {
        return decide(peers, config.slots(), seeding, now, random);
    }

    /** The round: the peers to unchoke now in {@code slots} slots; every other peer should be choked. */
    public Set<Long> decide(List<Candidate> peers, int slots, boolean seeding, Instant now, RandomGenerator random) {
        var interested = peers.stream().filter(Candidate::interested).toList();
        int regularSlots = Math.max(0, slots - 1);
        List<Candidate> ranked = seeding ? rankSeeding(interested, now) : rankLeeching(interested);
        var unchoke = new LinkedHashSet<Long>();
        for (Candidate c : ranked) {
            if (unchoke.size() == regularSlots) {
                break;
            }
            unchoke.add(c.key());
        }
        chooseOptimistic(interested, unchoke, now, random);
        if (optimistic >= 0 && slots > 0) {
            unchoke.add(optimistic);
        }
        recordTurns(peers, unchoke, now);
        return unchoke;
    }

    /**
     * Between rounds: the peers to unchoke now in {@code slots} slots, changing as little as it can. The unchoked
     * peers that are still interested (and, leeching, not snubbed unless optimistic) keep their slots; a slot that
     * came free (a peer lost interest, completed, was choked, left) goes at once to the best waiting peer as the
     * round would rank it. When there are fewer slots than before, the lowest ranked lose theirs.
     */
    public Set<Long> refill(List<Candidate> peers, int slots, boolean seeding, Instant now) {
        var interested = peers.stream().filter(Candidate::interested).toList();
        List<Candidate> ranked = seeding ? rankSeeding(interested, now) : rankLeeching(interested);
        var keep = new LinkedHashSet<Long>();
        if (optimistic >= 0 && interested.stream().anyMatch(c -> c.key() == optimistic && c.unchoked())) {
            keep.add(optimistic);
        }
        for (Candidate c : ranked) { // best first, so that fewer slots drop the lowest ranked
            if (c.unchoked() && keep.size() < slots) {
                keep.add(c.key());
            }
        }
        if (optimistic >= 0 && !keep.contains(optimistic)) {
            optimistic = -1;
        }
        for (Candidate c : ranked) {
            if (keep.size() >= slots) {
                break;
            }
            keep.add(c.key());
        }
        // a slot that no well-ranked peer takes (leeching: only snubbed ones wait) is still better used than idle
        for (Candidate c : interested) {
            if (keep.size() >= slots) {
                break;
            }
            keep.add(c.key());
        }
        recordTurns(peers, keep, now);
        return keep;
    }

    /** Forgets a peer that left. */
    public void forget(long key) {
        turnStarted.remove(key);
        turnEnded.remove(key);
        lastOptimistic.remove(key);
        if (optimistic == key) {
            optimistic = -1;
        }
    }

    private List<Candidate> rankLeeching(List<Candidate> interested) {
        return interested.stream().filter(c -> !c.snubbed())
                .sorted(Comparator.comparingLong(Candidate::downloadRate).reversed()
                        .thenComparing(Comparator.comparingLong(Candidate::uploadRate).reversed())
                        .thenComparingLong(Candidate::key))
                .toList();
    }

    private List<Candidate> rankSeeding(List<Candidate> interested, Instant now) {
        var inTurn = new ArrayList<Candidate>();
        var waiting = new ArrayList<Candidate>();
        for (Candidate c : interested) {
            Instant started = turnStarted.get(c.key());
            boolean turnRunning = started != null
                    && Duration.between(started, now).compareTo(config.optimisticInterval()) < 0;
            (turnRunning ? inTurn : waiting).add(c);
        }
        // a peer whose turn has just run out waits behind the others; among those, least received from us first
        waiting.sort(Comparator.<Candidate, Boolean>comparing(c -> turnStarted.containsKey(c.key()))
                .thenComparingLong(Candidate::uploaded)
                .thenComparing(c -> turnEnded.getOrDefault(c.key(), Instant.MIN))
                .thenComparingLong(Candidate::key));
        inTurn.addAll(waiting);
        return inTurn;
    }

    private void chooseOptimistic(List<Candidate> interested, Set<Long> regular, Instant now,
                                  RandomGenerator random) {
        boolean current = optimistic >= 0 && !regular.contains(optimistic)
                && interested.stream().anyMatch(c -> c.key() == optimistic);
        if (current && Duration.between(optimisticSince, now).compareTo(config.optimisticInterval()) < 0) {
            return;
        }
        var others = interested.stream().filter(c -> !regular.contains(c.key())).toList();
        if (others.isEmpty()) {
            optimistic = -1;
            return;
        }
        // the peer that has waited longest for an optimistic turn (never: first), ties at random
        Instant oldest = null;
        int ties = 0;
        for (Candidate c : others) {
            Instant last = lastOptimistic.getOrDefault(c.key(), Instant.MIN);
            int cmp = oldest == null ? -1 : last.compareTo(oldest);
            if (cmp < 0) {
                oldest = last;
                optimistic = c.key();
                ties = 1;
            } else if (cmp == 0 && random.nextInt(++ties) == 0) {
                optimistic = c.key();
            }
        }
        optimisticSince = now;
        lastOptimistic.put(optimistic, now);
    }

    private void recordTurns(List<Candidate> peers, Set<Long> unchoke, Instant now) {
        for (Candidate c : peers) {
            if (unchoke.contains(c.key())) {
                turnStarted.putIfAbsent(c.key(), now);
            } else if (turnStarted.remove(c.key()) != null) {
                turnEnded.put(c.key(), now);
            }
        }
    }
}
