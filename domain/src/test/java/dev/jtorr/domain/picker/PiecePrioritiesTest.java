package dev.jtorr.domain.picker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Blocks;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Prioritized pieces (streaming) in the picker, written as strings like {@link PiecePickerTest}: one character per
 * piece; each piece has 4 blocks, so a picked piece shows as its index four times.
 */
class PiecePrioritiesTest {
    private static final int PIECE = 4 * Blocks.SIZE;
    private final SplittableRandom random = new SplittableRandom(7);

    private static Bitfield bits(String s) {
        var b = new Bitfield(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '1') {
                b.set(i);
            }
        }
        return b;
    }

    private static PiecePicker picker(String have, String availability, PiecePicker.Options options,
                                      PiecePriorities priorities) {
        var p = new PiecePicker(i -> PIECE, i -> PIECE, bits(have), options, priorities);
        for (int i = 0; i < availability.length(); i++) {
            for (int n = 0; n < availability.charAt(i) - '0'; n++) {
                p.peerHas(i);
            }
        }
        return p;
    }

    private static PiecePicker.Options rarestFirst(int maxPartial) {
        return new PiecePicker.Options(0, false, maxPartial);
    }

    /** The pieces of the blocks picked, as a string of digits. */
    private String pick(PiecePicker p, String peer, int count) {
        var sb = new StringBuilder();
        for (BlockRequest r : p.pick(bits(peer), count, r -> false, random)) {
            sb.append(r.piece());
        }
        return sb.toString();
    }

    @Test
    void prioritizedPiecesGoBeforeTheRarestAndBeforePiecesAlreadyStarted() {
        var priorities = new PiecePriorities(8);
        var p = picker("00000000", "11111122", rarestFirst(100), priorities);
        String started = pick(p, "11111111", 1); // one of 0..5, the rarest
        assertTrue("012345".contains(started), started);

        priorities.set(1, 6, 7); // the commonest pieces, and not started
        assertEquals("66667777", pick(p, "11111111", 8));
        assertEquals(started.repeat(3), pick(p, "11111111", 3), "then the started piece is finished");
    }

    @Test
    void withoutPrioritiesTheSamePickerWouldFinishTheStartedPieceAndTakeTheRarest() {
        // the control for the test above: its expectations hold only because of the priorities
        var p = picker("00000000", "11111122", rarestFirst(100), new PiecePriorities(8));
        String started = pick(p, "11111111", 1);
        String next = pick(p, "11111111", 8);
        assertEquals(started.repeat(3), next.substring(0, 3));
        assertFalse(next.contains("6") || next.contains("7"), next);
    }

    @Test
    void piecesWeHaveOrThePeerLacksAreSkippedAndTheUsualOrderTakesOver() {
        var priorities = new PiecePriorities(8);
        priorities.set(1, 1, 4);
        var p = picker("00100000", "11111111", new PiecePicker.Options(0, true, 100), priorities);
        // 2 is ours, 4 the peer lacks: 1 and 3 first, then sequential order from 0
        assertEquals("111133330000", pick(p, "11110111", 12));
    }

    @Test
    void inSequentialModeThePrioritizedEndOfTheTorrentComesFirst() {
        var priorities = new PiecePriorities(8);
        var p = picker("00000000", "11111111", new PiecePicker.Options(0, true, 100), priorities);
        priorities.set(3, 7, 7);
        assertEquals("77770000", pick(p, "11111111", 8));
    }

    @Test
    void prioritizedPiecesStartEvenWhenThePartialPieceLimitIsReached() {
        var priorities = new PiecePriorities(8);
        var p = picker("00000000", "11111111", new PiecePicker.Options(0, true, 1), priorities);
        assertEquals("0", pick(p, "11111111", 1));
        assertEquals("000", pick(p, "11111111", 4), "the limit of one piece holds: only piece 0's blocks");
        priorities.set(1, 5, 6);
        assertEquals("55556666", pick(p, "11111111", 10));
        assertEquals(3, p.partialPieces());
    }

    @Test
    void theOldestRangeGoesFirstAndMovingARangeKeepsItsPlace() {
        var priorities = new PiecePriorities(10);
        priorities.set(7, 8, 8);
        priorities.set(2, 1, 1);
        var p = picker("0000000000", "1111111111", new PiecePicker.Options(0, true, 100), priorities);
        assertEquals("8888", pick(p, "1111111111", 4));
        priorities.set(7, 5, 5); // the older reader moved on: still first
        assertEquals("55551111", pick(p, "1111111111", 8));
        assertEquals(List.of(new PiecePriorities.Range(7, 5, 5), new PiecePriorities.Range(2, 1, 1)),
                priorities.ranges());
    }

    @Test
    void aRangeLetGoLeavesTheUsualOrder() {
        var priorities = new PiecePriorities(8);
        var p = picker("00000000", "11111111", new PiecePicker.Options(0, true, 100), priorities);
        priorities.set(1, 6, 7);
        priorities.remove(1);
        priorities.remove(42); // unknown: nothing
        assertTrue(priorities.isEmpty());
        assertEquals("00001111", pick(p, "11111111", 8));
    }

    @Test
    void prioritiesOutliveAPickerMadeAfresh() {
        var priorities = new PiecePriorities(8);
        priorities.set(1, 6, 6);
        var first = picker("00000000", "11111111", new PiecePicker.Options(0, true, 100), priorities);
        assertEquals("66", pick(first, "11111111", 2));
        var fresh = picker("00000000", "11111111", new PiecePicker.Options(0, true, 100), priorities);
        assertEquals("6666", pick(fresh, "11111111", 4));
    }

    @Test
    void aVerifiedPrioritizedPieceIsNotAskedForAgain() {
        var priorities = new PiecePriorities(4);
        priorities.set(1, 2, 3);
        var p = picker("0000", "1111", new PiecePicker.Options(0, true, 100), priorities);
        assertEquals("2222", pick(p, "1111", 4));
        p.verified(2);
        assertEquals("3333", pick(p, "1111", 4));
    }

    @Test
    void containsAndBadRanges() {
        var priorities = new PiecePriorities(8);
        priorities.set(1, 2, 4);
        assertTrue(priorities.contains(2) && priorities.contains(4));
        assertFalse(priorities.contains(1) || priorities.contains(5));
        assertThrows(IllegalArgumentException.class, () -> priorities.set(2, 3, 8));
        assertThrows(IllegalArgumentException.class, () -> priorities.set(2, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> priorities.set(2, -1, 3));
    }
}
