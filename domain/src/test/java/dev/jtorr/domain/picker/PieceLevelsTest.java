package dev.jtorr.domain.picker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Blocks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Files' priorities as the picker sees them, written as strings: 'h' a high piece, 'l' a low one, '.' normal. A new
 * piece comes from the high ones first, the low ones last, and the usual order holds within a level.
 */
class PieceLevelsTest {
    private static final int PIECE = Blocks.SIZE; // one block a piece: each pick starts a piece

    private static Bitfield bits(String s, char c) {
        var b = new Bitfield(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                b.set(i);
            }
        }
        return b;
    }

    /** The pieces started one after the other from a peer that has {@code peer}, by the availability given. */
    private static List<Integer> order(String levels, String availability, String peer, boolean sequential,
                                       int seed) {
        var p = new PiecePicker(i -> PIECE, new Bitfield(levels.length()),
                new PiecePicker.Options(0, sequential, 100));
        for (int i = 0; i < availability.length(); i++) {
            for (int n = 0; n < availability.charAt(i) - '0'; n++) {
                p.peerHas(i);
            }
        }
        p.levels(bits(levels, 'h'), bits(levels, 'l'));
        var random = new SplittableRandom(seed);
        var out = new ArrayList<Integer>();
        List<BlockRequest> got;
        // one block a piece: every pick starts a new piece, until only endgame duplicates are left
        while (!(got = p.pick(bits(peer, '1'), 1, r -> false, random)).isEmpty()
                && !out.contains(got.get(0).piece())) {
            out.add(got.get(0).piece());
        }
        return out;
    }

    @Test
    void highPiecesStartFirstAndLowOnesLastRarestFirstWithinEachLevel() {
        for (int seed = 0; seed < 10; seed++) {
            // availability: within each level the rarer piece goes first
            assertEquals(List.of(4, 1, 3, 5, 2, 0), order("lhl.h.", "625319", "111111", false, seed), "seed " + seed);
        }
    }

    @Test
    void withoutLevelsTheOrderIsRarestFirst() {
        assertEquals(List.of(4, 3, 1, 2, 0), order(".....", "53421", "11111", false, 1));
    }

    @Test
    void sequentialOrderHoldsWithinEachLevel() {
        assertEquals(List.of(1, 4, 3, 5, 0, 2), order("lhl.h.", "111111", "111111", true, 1));
    }

    @Test
    void aLowPieceIsStartedWhenThePeerHasNothingElseWeNeed() {
        assertEquals(List.of(0, 2), order("lhl.h.", "112111", "101000", false, 1));
    }
}
