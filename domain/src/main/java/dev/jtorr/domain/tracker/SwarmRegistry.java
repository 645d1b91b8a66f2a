package dev.jtorr.domain.tracker;

import dev.jtorr.domain.piece.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A tracker's view of its swarms: which peers announced which torrent, whether they are seeds, and when they last
 * announced. Peers are keyed by their address and port (as the tracker saw it, never as the client claims), so one
 * host cannot register or remove others. Pure and single-threaded: the caller serialises access and passes time
 * and randomness in.
 */
public final class SwarmRegistry {
    /**
     * Limits and defaults.
     *
     * @param peerTimeout      a peer that has not announced for this long is forgotten
     * @param defaultNumWant   peers returned when the client does not say
     * @param maxNumWant       peers returned at most
     * @param maxSwarms        torrents tracked at most; announces for new ones are refused past it
     * @param maxPeersPerSwarm peers per torrent at most; new peers are refused past it
     * @param allowList        when present, only these info-hashes (20 bytes) are tracked
     */
    public record Config(Duration peerTimeout, int defaultNumWant, int maxNumWant, int maxSwarms, int maxPeersPerSwarm,
                         Optional<Set<Digest>> allowList) {
        public Config {
            allowList = allowList.map(Set::copyOf);
            if (defaultNumWant < 0 || maxNumWant < 0 || maxSwarms < 1 || maxPeersPerSwarm < 1) {
                throw new IllegalArgumentException("tracker limits must be positive");
            }
        }

        public static Config defaults(Duration announceInterval) {
            return new Config(announceInterval.multipliedBy(2).plusMinutes(1), 50, 200, 1_000_000, 1_000_000,
                    Optional.empty());
        }
    }

    /** The peers handed to an announcing client, and the swarm's counts after its announce. */
    public record Selection(List<Endpoint> peers, int complete, int incomplete) {
        public Selection {
            peers = List.copyOf(peers);
        }
    }

    /** Totals over every swarm. */
    public record Totals(int swarms, long seeders, long leechers, long completed) {
    }

    private static final class Slot {
        final Endpoint endpoint;
        long seen;
        boolean seed;
        int position;

        Slot(Endpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    private static final class Swarm {
        final ArrayList<Slot> slots = new ArrayList<>();
        final HashMap<Endpoint, Slot> index = new HashMap<>();
        int seeders;
        int completed;

        void remove(Slot s) {
            Slot last = slots.remove(slots.size() - 1);
            if (last != s) {
                slots.set(s.position, last);
                last.position = s.position;
            }
            index.remove(s.endpoint);
            if (s.seed) {
                seeders--;
            }
        }
    }

    private final Config config;
    private final Map<Digest, Swarm> swarms = new HashMap<>();

    public SwarmRegistry(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /**
     * Registers (or, for {@code stopped}, removes) a peer and picks up to {@code numWant} others at random.
     *
     * @param numWant peers wanted; negative for the default
     * @throws AnnounceRefusedException when the torrent is not allowed or a limit is reached
     */
    public Selection announce(Digest infoHash, Endpoint from, long left, AnnounceEvent event, int numWant,
                              Instant now, RandomGenerator random) {
        if (config.allowList().isPresent() && !config.allowList().get().contains(infoHash)) {
            throw new AnnounceRefusedException("this torrent is not tracked here (not on the allow-list)");
        }
        Swarm swarm = swarms.get(infoHash);
        if (event == AnnounceEvent.STOPPED) {
            if (swarm == null) {
                return new Selection(List.of(), 0, 0);
            }
            Slot s = swarm.index.get(from);
            if (s != null) {
                swarm.remove(s);
            }
            Selection counts = new Selection(List.of(), swarm.seeders, swarm.slots.size() - swarm.seeders);
            if (swarm.slots.isEmpty() && swarm.completed == 0) {
                swarms.remove(infoHash);
            }
            return counts;
        }
        if (swarm == null) {
            if (swarms.size() >= config.maxSwarms()) {
                throw new AnnounceRefusedException("this tracker is full (" + config.maxSwarms() + " torrents)");
            }
            swarm = new Swarm();
            swarms.put(infoHash, swarm);
        }
        Slot slot = swarm.index.get(from);
        if (slot == null) {
            if (swarm.slots.size() >= config.maxPeersPerSwarm()) {
                throw new AnnounceRefusedException("this torrent has too many peers here");
            }
            slot = new Slot(from);
            slot.position = swarm.slots.size();
            swarm.slots.add(slot);
            swarm.index.put(from, slot);
        }
        slot.seen = now.getEpochSecond();
        boolean seed = left == 0;
        if (seed != slot.seed) {
            swarm.seeders += seed ? 1 : -1;
            slot.seed = seed;
        }
        if (event == AnnounceEvent.COMPLETED) {
            swarm.completed++;
        }
        int want = Math.min(numWant < 0 ? config.defaultNumWant() : numWant, config.maxNumWant());
        return new Selection(pick(swarm, slot, want, random), swarm.seeders, swarm.slots.size() - swarm.seeders);
    }

    /**
     * Up to {@code want} peers other than {@code self}, starting at a random place; a seed gets the leechers first,
     * then other seeds if there is room: a client fetching a magnet link's metadata (aria2) announces left=0 too.
     */
    private static List<Endpoint> pick(Swarm swarm, Slot self, int want, RandomGenerator random) {
        int n = swarm.slots.size();
        var out = new ArrayList<Endpoint>(Math.min(want, n));
        if (want == 0 || n <= 1) {
            return out;
        }
        int start = random.nextInt(n);
        for (int pass = self.seed ? 0 : 1; pass < 2; pass++) {
            for (int i = 0; i < n && out.size() < want; i++) {
                Slot s = swarm.slots.get((start + i) % n);
                // pass 0 (a seed asking): leechers only; pass 1: everyone not yet taken
                boolean take = pass == 0 ? !s.seed : !(self.seed && !s.seed);
                if (s != self && take) {
                    out.add(s.endpoint);
                }
            }
        }
        return out;
    }

    /** The counts for one torrent; zeros when it is unknown. */
    public ScrapeStats scrape(Digest infoHash) {
        Swarm s = swarms.get(infoHash);
        return s == null ? new ScrapeStats(0, 0, 0)
                : new ScrapeStats(s.seeders, s.completed, s.slots.size() - s.seeders);
    }

    /** Forgets peers that have not announced within the timeout, and swarms left with nobody; returns peers removed. */
    public int expire(Instant now) {
        long oldest = now.minus(config.peerTimeout()).getEpochSecond();
        int removed = 0;
        for (Iterator<Swarm> it = swarms.values().iterator(); it.hasNext(); ) {
            Swarm swarm = it.next();
            for (int i = swarm.slots.size() - 1; i >= 0; i--) {
                Slot s = swarm.slots.get(i);
                if (s.seen < oldest) {
                    swarm.remove(s);
                    removed++;
                }
            }
            if (swarm.slots.isEmpty()) {
                it.remove();
            }
        }
        return removed;
    }

    public Totals totals() {
        long seeders = 0;
        long peers = 0;
        long completed = 0;
        for (Swarm s : swarms.values()) {
            seeders += s.seeders;
            peers += s.slots.size();
            completed += s.completed;
        }
        return new Totals(swarms.size(), seeders, peers - seeders, completed);
    }
}
