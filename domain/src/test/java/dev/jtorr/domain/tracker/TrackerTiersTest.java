package dev.jtorr.domain.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrackerTiersTest {
    @Test
    void tiersKeepTheirOrderAndShuffleInside() {
        var seenFirst = new HashSet<String>();
        for (int seed = 0; seed < 30; seed++) {
            var tiers = new TrackerTiers(List.of(List.of("a", "b", "c"), List.of("d")), new SplittableRandom(seed));
            List<String> order = tiers.order();
            assertEquals(4, order.size());
            assertEquals("d", order.get(3), "the second tier comes after the whole first");
            seenFirst.add(order.get(0));
        }
        assertEquals(3, seenFirst.size(), "each URL of a tier gets to be first");
    }

    @Test
    void aWorkingTrackerMovesToTheFrontOfItsTier() {
        var tiers = new TrackerTiers(List.of(List.of("a", "b", "c"), List.of("d", "e")), new SplittableRandom(1));
        String last = tiers.order().get(2);
        tiers.succeeded(last);
        assertEquals(last, tiers.order().get(0));
        tiers.succeeded("e");
        assertEquals(List.of("e", "d"), tiers.tiers().get(1));
        tiers.succeeded("unknown");
        assertEquals(5, tiers.order().size());
    }

    @Test
    void blanksAndRepeatsAreDropped() {
        var tiers = new TrackerTiers(List.of(List.of("a", " ", "a"), List.of(), List.of("a", "b")),
                new SplittableRandom(2));
        assertEquals(List.of(List.of("a"), List.of("b")), tiers.tiers());
        assertTrue(new TrackerTiers(List.of(), new SplittableRandom(3)).isEmpty());
        assertNotEquals(0, tiers.order().size());
    }
}
