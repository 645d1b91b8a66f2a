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
    void slotsGrowWhileTheUploadIsUnderCapacityAndStopWhereANewSlotAddsNothing() {
        // 20 peers' worth of capacity: 8 slots leave most of it idle
        var slots = UploadSlots.automatic();
        var history = run(slots, 20_000_000, 1_000_000, 60, 40, false);
        int reached = history.indexOf(20);
        assertTrue(reached >= 0 && reached <= 15, "20 slots within 15 s: " + history);
        long at20 = history.subList(15, 60).stream().filter(n -> n == 20).count();
        assertTrue(at20 >= 36, "mostly 20 from then on, short probes apart: " + history);
        assertEquals(20, history.get(history.size() - 1), history.toString());
    }

    @Test
    void aSlotThatAddsNothingIsClosedAgain() {
        // the uplink is full with 8 peers already: the extra slots add no rate, and closing some loses rate
        var slots = UploadSlots.automatic();
        var history = run(slots, 8_000_000, 1_000_000, 40, 10, false);
        assertTrue(history.stream().anyMatch(n -> n > 8), "slots were tried: " + history);
        assertTrue(history.subList(10, 38).stream().allMatch(n -> n == 8), "back to 8, held: " + history);
    }

    @Test
    void slotsShrinkWhileFewerCarryTheSameRate() {
        // four peers fill the uplink: 8 slots are 4 too many
        var slots = UploadSlots.automatic();
        var history = run(slots, 4_000_000, 1_000_000, 40, 10, false);
        assertEquals(4, history.get(history.size() - 1), history.toString());
        assertTrue(history.stream().allMatch(n -> n >= 2), history.toString());
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
    void aCrowdArrivingAsTheSeedStartsIsServedAtOnce() {
        var slots = UploadSlots.automatic();
        slots.update(T0, 0, false, 0, 0);
        slots.update(T0.plusMillis(300), 0, false, 8, 4); // twelve peers want a slot 0.3 s after the start
        assertEquals(12, slots.slots());
    }

    @Test
    void aFixedNumberStaysFixed() {
        var fixed = UploadSlots.fixed(4);
        run(fixed, 20_000_000, 1_000_000, 30, 40, false);
        assertEquals(4, fixed.slots());
    }
}
