package dev.jtorr.domain.choke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.choke.Choker.Candidate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** A slot that comes free between rounds is used at once ({@link Choker#refill}), on a virtual clock. */
class ChokerEventsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SplittableRandom random = new SplittableRandom(7);
    private final Choker choker = new Choker(new Choker.Config(3, Duration.ofSeconds(10), Duration.ofSeconds(30)));

    /** What happens to peer 0, which holds a slot, a second after the round. */
    enum Event {
        LOSES_INTEREST(c -> new Candidate(c.key(), false, c.downloadRate(), c.uploadRate(), c.snubbed(), true,
                c.uploaded())),
        COMPLETES(c -> null), // a complete peer of a seed is disconnected; of a leecher, it is no longer interested
        DISCONNECTS(c -> null),
        IS_CHOKED_OUT(c -> new Candidate(c.key(), c.interested(), c.downloadRate(), c.uploadRate(), c.snubbed(),
                false, c.uploaded()));

        final UnaryOperator<Candidate> change;

        Event(UnaryOperator<Candidate> change) {
            this.change = change;
        }
    }

    private static List<Candidate> peers(Set<Long> unchoked, int n) {
        var out = new ArrayList<Candidate>();
        for (long k = 0; k < n; k++) {
            // leeching ranks by what they give us: peer 0 the most, peer n-1 the least
            out.add(new Candidate(k, true, 1000 - k, 0, false, unchoked.contains(k), 100 * k));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Event.class)
    void aSlotFreedBetweenRoundsGoesToAWaitingPeerAtOnce(Event event) {
        for (boolean seeding : new boolean[] {false, true}) {
            var choker = new Choker(new Choker.Config(3, Duration.ofSeconds(10), Duration.ofSeconds(30)));
            Set<Long> round = choker.decide(peers(Set.of(), 6), 3, seeding, T0, random);
            assertEquals(3, round.size());
            long holder = round.iterator().next();
            var after = new ArrayList<Candidate>();
            for (Candidate c : peers(round, 6)) {
                Candidate changed = c.key() == holder ? event.change.apply(c) : c;
                if (changed != null) {
                    after.add(changed);
                }
            }
            if (event == Event.COMPLETES || event == Event.DISCONNECTS) {
                choker.forget(holder);
            }
            Set<Long> refilled = choker.refill(after, 3, seeding, T0.plusSeconds(1));
            assertEquals(3, refilled.size(), event + (seeding ? " seeding: " : " leeching: ") + refilled);
            var kept = new java.util.HashSet<>(round);
            kept.remove(holder);
            assertTrue(refilled.containsAll(kept), "the other slots are untouched: " + round + " -> " + refilled);
            if (event == Event.IS_CHOKED_OUT) {
                assertTrue(refilled.contains(holder) || refilled.size() == 3);
            } else {
                assertFalse(refilled.contains(holder), event + ": " + refilled);
            }
        }
    }

    @Test
    void anInterestedPeerThatArrivesWhileASlotIsFreeIsUnchokedAtOnce() {
        Set<Long> round = choker.decide(peers(Set.of(), 2), 3, true, T0, random);
        assertEquals(Set.of(0L, 1L), round);
        var arrived = new ArrayList<>(peers(round, 2));
        arrived.add(new Candidate(9, true, 0, 0, false, false, 0));
        assertEquals(Set.of(0L, 1L, 9L), choker.refill(arrived, 3, true, T0.plusMillis(200)));
    }

    @Test
    void leechingASnubbedPeerLosesItsRegularSlotToAWaitingOneBetweenRounds() {
        Set<Long> round = choker.decide(peers(Set.of(), 6), 3, false, T0, random);
        assertTrue(round.containsAll(Set.of(0L, 1L)), round.toString());
        var after = new ArrayList<Candidate>();
        for (Candidate c : peers(round, 6)) {
            after.add(c.key() == 0 ? new Candidate(0, true, 0, 0, true, true, 0) : c);
        }
        Set<Long> refilled = choker.refill(after, 3, false, T0.plusSeconds(2));
        assertFalse(refilled.contains(0L), "a snubbed peer gives us nothing: " + refilled);
        assertEquals(3, refilled.size());
    }

    @Test
    void seedingAFreedSlotGoesToThePeerThatHasReceivedLeastFromUs() {
        // six peers wait; peer 5 has received most, peer 3 least (peers() gives 100 * key, so reorder)
        var peers = new ArrayList<Candidate>();
        long[] uploaded = {500, 400, 300, 0, 200, 900};
        for (int k = 0; k < 6; k++) {
            peers.add(new Candidate(k, true, 0, 0, false, false, uploaded[k]));
        }
        Set<Long> round = choker.decide(peers, 3, true, T0, random);
        assertTrue(round.contains(3L) && round.contains(4L), "least served first: " + round);
        assertFalse(round.contains(5L), round.toString());
    }

    @Test
    void fewerSlotsBetweenRoundsChokeTheLowestRanked() {
        Set<Long> round = choker.decide(peers(Set.of(), 6), 3, false, T0, random);
        Set<Long> fewer = choker.refill(peers(round, 6), 2, false, T0.plusSeconds(1));
        assertEquals(2, fewer.size());
        assertTrue(round.containsAll(fewer));
        assertTrue(fewer.contains(0L), "the best uploader keeps its slot: " + fewer);
    }
}
