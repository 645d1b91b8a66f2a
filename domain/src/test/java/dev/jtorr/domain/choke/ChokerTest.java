package dev.jtorr.domain.choke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.choke.Choker.Candidate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ChokerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SplittableRandom random = new SplittableRandom(1);

    private static Candidate peer(long key, long down) {
        return new Candidate(key, true, down, 0, false);
    }

    @Test
    void leechingUnchokesThePeersThatGiveUsMostPlusOneOptimistic() {
        var choker = new Choker(Choker.Config.DEFAULT);
        var peers = List.of(peer(1, 100), peer(2, 500), peer(3, 300), peer(4, 0), peer(5, 400), peer(6, 0));
        Set<Long> unchoked = choker.decide(peers, false, T0, random);
        assertEquals(4, unchoked.size());
        assertTrue(unchoked.containsAll(Set.of(2L, 5L, 3L)), unchoked.toString());
    }

    @Test
    void snubbedAndUninterestedPeersLoseTheirRegularSlots() {
        var choker = new Choker(new Choker.Config(2, Duration.ofSeconds(10), Duration.ofSeconds(30)));
        var peers = List.of(new Candidate(1, true, 900, 0, true), new Candidate(2, false, 800, 0, false),
                peer(3, 10));
        Set<Long> unchoked = choker.decide(peers, false, T0, random);
        assertTrue(unchoked.contains(3L));
        assertFalse(unchoked.contains(2L), "not interested: nothing to unchoke for");
        assertEquals(2, unchoked.size(), "the snubbed peer may only hold the optimistic slot");
    }

    @Test
    void optimisticSlotRotatesEveryThirtySecondsAndReachesEveryone() {
        var choker = new Choker(new Choker.Config(1, Duration.ofSeconds(10), Duration.ofSeconds(30)));
        var peers = LongStream.range(0, 5).mapToObj(k -> peer(k, 0)).toList();
        var optimistic = new ArrayList<Long>();
        for (int round = 0; round < 60; round++) {
            Set<Long> u = choker.decide(peers, false, T0.plusSeconds(10L * round), random);
            assertEquals(1, u.size());
            optimistic.add(u.iterator().next());
        }
        for (int i = 0; i + 2 < optimistic.size(); i += 3) {
            assertEquals(optimistic.get(i), optimistic.get(i + 1), "kept for 30 s");
            assertEquals(optimistic.get(i), optimistic.get(i + 2));
        }
        assertEquals(Set.of(0L, 1L, 2L, 3L, 4L), Set.copyOf(optimistic));
    }

    @Test
    void seedingGivesEveryInterestedPeerATurn() {
        var choker = new Choker(new Choker.Config(3, Duration.ofSeconds(10), Duration.ofSeconds(30)));
        var peers = LongStream.range(0, 8).mapToObj(k -> new Candidate(k, true, 0, 1000 - k, false)).toList();
        var turns = new HashMap<Long, Integer>();
        for (int round = 0; round < 30; round++) {
            for (long k : choker.decide(peers, true, T0.plusSeconds(10L * round), random)) {
                turns.merge(k, 1, Integer::sum);
            }
        }
        assertEquals(8, turns.size(), "every peer got a turn: " + turns);
        int min = turns.values().stream().min(Integer::compare).orElseThrow();
        int max = turns.values().stream().max(Integer::compare).orElseThrow();
        assertTrue(max <= 3 * min, "turns are shared fairly: " + turns);
    }

    @Test
    void forgottenPeersAreNeverUnchoked() {
        var choker = new Choker(Choker.Config.DEFAULT);
        choker.decide(List.of(peer(1, 5)), false, T0, random);
        choker.forget(1);
        assertEquals(Set.of(2L), choker.decide(List.of(peer(2, 0)), false, T0.plusSeconds(10), random));
    }
}
