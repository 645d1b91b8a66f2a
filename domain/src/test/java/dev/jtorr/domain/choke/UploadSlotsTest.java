package dev.jtorr.domain.choke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Automatic upload slots on a virtual clock: each unchoked peer can take {@code perPeer} bytes a second, the uplink
 * {@code capacity}; the upload is whichever is smaller.
 */
class UploadSlotsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Runs {@code seconds} one-second updates with {@code waiting} peers always waiting; the slot count each second. */
    private static List<Integer> run(UploadSlots slots, long capacity, long perPeer, int seconds, int waiting,
                                     boolean limited) {
        long uploaded = 0;
        var history = new ArrayList<Integer>();
        for (int s = 0; s < seconds; s++) {
            uploaded += Math.min(capacity, perPeer * slots.slots());
            slots.update(T0.plusSeconds(s), uploaded, limited, slots.slots(), waiting);
            history.add(slots.slots());
        }
        return history;
    }

    @Test
    void slotsGrowWhileTheUploadIsUnderCapacityAndShrinkWhenANewSlotAddsNothing() {
        // 20 peers' worth of capacity: 8 slots leave most of it idle
        var slots = UploadSlots.automatic();
        var history = run(slots, 20_000_000, 1_000_000, 60, 40, false);
        int reached = history.indexOf(20);
        assertTrue(reached >= 0 && reached <= 15, "20 slots within 15 s: " + history);
        int last = history.get(history.size() - 1);
        assertTrue(last >= 20 && last <= 21, "no more slots than add rate (a probe may be under way): " + history);
        assertTrue(history.stream().allMatch(n -> n <= 20 + 16), "a failed probe is closed again: " + history);
        // after the probe that added nothing, the count stays at what pays off
        long settled = history.subList(30, 60).stream().filter(n -> n == 20).count();
        assertTrue(settled >= 25, "holds at 20 while probes are held off: " + history);
    }

    @Test
    void aSlotThatAddsNothingIsClosedAgain() {
        // the uplink is full with 8 peers already: the first extra slot adds no rate
        var slots = UploadSlots.automatic();
        var history = run(slots, 8_000_000, 1_000_000, 40, 10, false);
        assertTrue(history.stream().anyMatch(n -> n > 8), "a slot was tried: " + history);
        assertEquals(8, history.get(history.size() - 1), history.toString());
        assertTrue(history.subList(6, 34).stream().allMatch(n -> n == 8), "held off after the failed try: "
                + history);
    }

    @Test
    void noSlotOpensWhileARateLimitHoldsTheUploadBackOrNobodyWaits() {
        var limited = UploadSlots.automatic();
        run(limited, 20_000_000, 1_000_000, 30, 40, true);
        assertEquals(UploadSlots.AUTOMATIC_START, limited.slots());
        var alone = UploadSlots.automatic();
        run(alone, 20_000_000, 1_000_000, 30, 0, false);
        assertEquals(UploadSlots.AUTOMATIC_START, alone.slots());
    }

    @Test
    void aFixedNumberStaysFixed() {
        var fixed = UploadSlots.fixed(4);
        run(fixed, 20_000_000, 1_000_000, 30, 40, false);
        assertEquals(4, fixed.slots());
    }
}
