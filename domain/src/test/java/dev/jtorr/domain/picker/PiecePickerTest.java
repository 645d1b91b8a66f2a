package dev.jtorr.domain.picker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Blocks;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Scenarios written as strings, one character per piece, in the style of libtorrent's picker tests. */
class PiecePickerTest {
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

    /** A picker whose swarm availability per piece is given by digits, e.g. {@code "2223333"}. */
    private static PiecePicker picker(String have, String availability, int randomFirst, boolean sequential) {
        var p = new PiecePicker(i -> PIECE, bits(have), new PiecePicker.Options(randomFirst, sequential, 100));
        for (int i = 0; i < availability.length(); i++) {
            for (int n = 0; n < availability.charAt(i) - '0'; n++) {
                p.peerHas(i);
            }
        }
        return p;
    }

    private List<BlockRequest> pick(PiecePicker p, String peer, int count) {
        return p.pick(bits(peer), count, r -> false, random);
    }

    @Test
    void picksTheRarestPieceThePeerHas() {
        var p = picker("0000000", "3332333", 0, false);
        var got = pick(p, "1111111", 4);
        assertEquals(4, got.size());
        assertTrue(got.stream().allMatch(r -> r.piece() == 3), got.toString());
        // the peer lacks piece 3: the next rarest it has
        var q = picker("0000000", "3332313", 0, false);
        assertTrue(pick(q, "1110111", 1).stream().allMatch(r -> r.piece() == 5));
    }

    @Test
    void aSuggestionBreaksTiesAmongTheRarestButNeverStartsACommonerPiece() {
        // pieces 1, 3 and 5 are the rarest; the peer suggests 0 (commoner), then 5
        for (int seed = 0; seed < 20; seed++) {
            var p = picker("000000", "323232", 0, false);
            var got = p.pick(bits("111111"), 1, r -> false, new SplittableRandom(seed), new int[] {0, 5});
            assertEquals(5, got.get(0).piece(), "seed " + seed);
        }
        // only a commoner piece suggested: rarest first as ever
        var q = picker("000000", "323232", 0, false);
        int piece = q.pick(bits("111111"), 1, r -> false, random, new int[] {0, 2, 4}).get(0).piece();
        assertTrue(piece == 1 || piece == 3 || piece == 5, "picked " + piece);
    }

    @Test
    void aSuggestionNeverJumpsAheadOfStartedPiecesOrPiecesWeHaveOrTheSequentialOrder() {
        var p = picker("100000", "111111", 0, false);
        int started = pick(p, "111111", 1).get(0).piece();
        int suggestion = started == 5 ? 4 : 5;
        // the started piece is finished first (3 blocks left), then the suggested one starts
        var got = p.pick(bits("111111"), 4, r -> false, random, new int[] {0, -1, 99, suggestion});
        assertEquals(List.of(started, started, started, suggestion), got.stream().map(BlockRequest::piece).toList());
        var sequential = picker("000000", "111111", 0, true);
        assertEquals(0, sequential.pick(bits("111111"), 1, r -> false, random, new int[] {4}).get(0).piece());
        // a suggested piece the peer lacks counts for nothing
        var lacks = picker("000000", "222221", 0, false);
        assertTrue(lacks.pick(bits("111110"), 1, r -> false, random, new int[] {5}).get(0).piece() != 5);
        assertEquals(5, picker("000000", "222221", 0, false).pick(bits("111111"), 1, r -> false, random,
                new int[] {0}).get(0).piece(), "0 is commoner than 5");
    }

    @Test
    void inTheRandomPhaseASuggestedPieceIsAsGoodAsAnyAndIsTaken() {
        var p = picker("000000", "111113", 4, false);
        assertEquals(5, p.pick(bits("111111"), 1, r -> false, random, new int[] {5}).get(0).piece());
    }

    @Test
    void breaksTiesAtRandom() {
        var seen = new java.util.HashSet<Integer>();
        for (int seed = 0; seed < 40; seed++) {
            var p = picker("00000000", "22221111", 0, false);
            seen.add(p.pick(bits("11111111"), 1, r -> false, new SplittableRandom(seed)).get(0).piece());
        }
        assertEquals(java.util.Set.of(4, 5, 6, 7), seen);
    }

    @Test
    void finishesStartedPiecesBeforeStartingNewOnes() {
        var p = picker("000000", "111111", 0, false);
        var first = pick(p, "111111", 2); // two blocks of one piece
        int started = first.get(0).piece();
        var next = pick(p, "111111", 3);
        assertEquals(started, next.get(0).piece());
        assertEquals(started, next.get(1).piece());
        assertTrue(next.get(2).piece() != started);
        assertEquals(2, p.partialPieces());
    }

    @Test
    void startsWithRandomPiecesThenSwitchesToRarest() {
        var counts = new HashMap<Integer, Integer>();
        for (int seed = 0; seed < 200; seed++) {
            var p = picker("0000", "9991", 1, false);
            counts.merge(p.pick(bits("1111"), 1, r -> false, new SplittableRandom(seed)).get(0).piece(), 1,
                    Integer::sum);
        }
        // random phase: the common pieces are picked too, not only the rare piece 3
        assertTrue(counts.getOrDefault(0, 0) > 20 && counts.getOrDefault(3, 0) > 20, counts.toString());
        var p = picker("1000", "9991", 1, false);
        assertEquals(3, pick(p, "1111", 1).get(0).piece());
    }

    @Test
    void sequentialModeGoesInIndexOrder() {
        var p = picker("100000", "999991", 0, true);
        List<BlockRequest> got = pick(p, "111111", 8);
        assertEquals(List.of(1, 1, 1, 1, 2, 2, 2, 2), got.stream().map(BlockRequest::piece).toList());
    }

    @Test
    void boundsPiecesInProgress() {
        var p = new PiecePicker(i -> PIECE, new Bitfield(10), new PiecePicker.Options(0, false, 2));
        assertEquals(8, pick(p, "1111111111", 100).size());
        assertEquals(2, p.partialPieces());
        assertTrue(pick(p, "1111111111", 100).isEmpty());
        assertFalse(p.inEndgame(), "other pieces can still be started once these finish");
    }

    @Test
    void blocksOfPadBytesAtAPiecesEndAreNeverRequestedAndCountAsReceived() {
        // piece 0: 1.5 blocks of data, then pad bytes; piece 1: all data
        var p = new PiecePicker(i -> PIECE, i -> i == 0 ? Blocks.SIZE + Blocks.SIZE / 2 : PIECE, bits("00"),
                new PiecePicker.Options(0, true, 100));
        var got = pick(p, "11", 100);
        assertEquals(2 + 4, got.size(), "2 blocks of piece 0 and 4 of piece 1: " + got);
        assertTrue(got.stream().filter(r -> r.piece() == 0).allMatch(r -> r.block() < 2), got.toString());
        assertFalse(p.received(Blocks.request(0, PIECE, 3)), "an unasked block of pad bytes is not taken");
        assertTrue(p.received(got.get(0)));
        assertFalse(p.isPieceReceived(0));
        assertTrue(p.received(got.get(1)));
        assertTrue(p.isPieceReceived(0), "its two blocks of pad bytes need no peer");
    }

    @Test
    void completesAPieceAndCountsItVerified() {
        var p = picker("00", "11", 0, true);
        var got = pick(p, "11", 4);
        for (BlockRequest r : got) {
            assertFalse(p.isPieceReceived(0));
            assertTrue(p.received(r));
        }
        assertFalse(p.received(got.get(0)), "a duplicate block is not new");
        assertTrue(p.isPieceReceived(0));
        p.verified(0);
        assertEquals("10", p.have().toString());
        assertFalse(p.isInteresting(bits("10")));
        assertTrue(p.isInteresting(bits("01")));
    }

    @Test
    void aFailedPieceIsWantedAgain() {
        var p = picker("0", "1", 0, false);
        var got = pick(p, "1", 10);
        got.forEach(p::received);
        p.failed(0);
        assertEquals(got, pick(p, "1", 10));
    }

    @Test
    void droppedRequestsAreOfferedToTheNextPeer() {
        var p = picker("00", "22", 0, true);
        var first = pick(p, "11", 2);
        p.requestDropped(first.get(1));
        assertEquals(first.get(1), pick(p, "11", 1).get(0));
    }

    @Test
    void aBlockThatArrivesAfterItsRequestWasDroppedIsNotOfferedAgain() {
        var p = picker("0", "1", 0, true);
        var all = pick(p, "1", 4);
        assertEquals(4, all.size());
        p.requestDropped(all.get(2));
        p.requestDropped(all.get(0));
        assertTrue(p.received(all.get(2)), "a late block is still welcome");
        assertEquals(List.of(all.get(0)), pick(p, "1", 4), "only the dropped block still missing is open again");
        p.received(all.get(0));
        p.received(all.get(1));
        assertFalse(p.isPieceReceived(0));
        p.received(all.get(3));
        assertTrue(p.isPieceReceived(0));
        assertTrue(pick(p, "1", 4).isEmpty(), "nothing left to ask for");
    }

    @Test
    void endgameRequestsOutstandingBlocksAgainFromOtherPeers() {
        var p = picker("10", "22", 0, false);
        Map<String, List<BlockRequest>> asked = new HashMap<>();
        asked.put("a", pick(p, "11", 10));
        assertEquals(4, asked.get("a").size());
        assertTrue(p.inEndgame());
        var dup = p.pick(bits("11"), 10, asked.get("a")::contains, random);
        assertTrue(dup.isEmpty(), "never the same block twice from one peer: " + dup);
        var fromB = p.pick(bits("11"), 10, r -> false, random);
        assertEquals(asked.get("a"), fromB);
        // a block that arrived is not requested again
        p.received(fromB.get(0));
        var third = p.pick(bits("11"), 10, r -> false, random);
        assertFalse(third.contains(fromB.get(0)));
        assertEquals(3, third.size());
    }

    @Test
    void aBlockIsRequestedElsewhereOnlyWhileAnotherPeerWasAskedForItToo() {
        var p = picker("10", "22", 0, false);
        var fromA = pick(p, "11", 10);
        assertTrue(p.received(fromA.get(0)));
        assertFalse(p.requestedElsewhere(fromA.get(0)), "before end game each block is asked of one peer");
        var fromB = p.pick(bits("11"), 10, r -> false, random); // end game: the three still missing, again
        assertEquals(fromA.subList(1, 4), fromB);
        assertTrue(p.received(fromB.get(0)));
        assertTrue(p.requestedElsewhere(fromB.get(0)), "peer a was asked for it too");
        p.requestDropped(fromA.get(2)); // peer a choked: only b still has that one
        assertTrue(p.received(fromB.get(1)));
        assertFalse(p.requestedElsewhere(fromB.get(1)));
        assertFalse(p.requestedElsewhere(new BlockRequest(1, 0, Blocks.SIZE)), "piece 1 is not in progress");
    }

    @Test
    void shortLastPieceHasShortLastBlock() {
        int last = Blocks.SIZE + 100;
        var p = new PiecePicker(i -> i == 1 ? last : PIECE, bits("10"), new PiecePicker.Options(0, false, 4));
        var got = p.pick(bits("11"), 10, r -> false, random);
        assertEquals(List.of(new BlockRequest(1, 0, Blocks.SIZE), new BlockRequest(1, Blocks.SIZE, 100)), got);
        assertFalse(p.received(new BlockRequest(1, Blocks.SIZE, 99)), "a block of the wrong length is refused");
    }

    @Test
    void blocksOfPiecesNotInProgressOrPastTheEndAreRefused() {
        var p = picker("00", "11", 0, true);
        var got = pick(p, "10", 4);
        assertFalse(p.received(new BlockRequest(1, 0, Blocks.SIZE)), "piece 1 was never started");
        assertFalse(p.received(new BlockRequest(2, 0, Blocks.SIZE)), "there is no piece 2");
        assertFalse(p.received(new BlockRequest(Integer.MAX_VALUE, 0, Blocks.SIZE)));
        assertFalse(p.isPieceReceived(7));
        p.requestDropped(new BlockRequest(9, 0, Blocks.SIZE));
        p.failed(5);
        got.forEach(p::received);
        assertTrue(p.isPieceReceived(0), "the piece in progress is unaffected");
        p.verified(0);
        assertEquals(0, p.partialPieces());
        assertEquals(List.of(new BlockRequest(1, 0, Blocks.SIZE)), pick(p, "11", 1), "piece 1 starts afresh");
    }

    @Test
    void availabilityFollowsPeersComingAndGoing() {
        var p = picker("000", "000", 0, false);
        p.peerHas(bits("110"));
        p.peerHas(bits("011"));
        assertEquals(2, p.availability(1));
        p.peerLeft(bits("110"));
        assertEquals(0, p.availability(0));
        assertEquals(1, p.availability(1));
    }
}
