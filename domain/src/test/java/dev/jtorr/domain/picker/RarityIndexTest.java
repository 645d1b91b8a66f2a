package dev.jtorr.domain.picker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.piece.Bitfield;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RarityIndexTest {
    private static final int PIECES = 150;

    /** Random availability changes, starts and failures, checked after each against a plain model of the same. */
    @Test
    void alwaysAnswersTheRarestPieceThePeerHasAmongThoseStillToStart() {
        var random = new SplittableRandom(11);
        var had = new Bitfield(PIECES);
        for (int p = 0; p < PIECES; p += 7) {
            had.set(p);
        }
        var index = new RarityIndex(PIECES, had);
        int[] availability = new int[PIECES];
        boolean[] active = new boolean[PIECES];
        for (int p = 0; p < PIECES; p++) {
            active[p] = !had.get(p);
        }
        for (int step = 0; step < 20_000; step++) {
            int piece = random.nextInt(PIECES);
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> {
                    index.increment(piece);
                    availability[piece]++;
                }
                case 4, 5, 6 -> {
                    index.decrement(piece);
                    availability[piece] = Math.max(0, availability[piece] - 1);
                }
                case 7, 8 -> {
                    index.remove(piece);
                    active[piece] = false;
                }
                default -> {
                    index.add(piece);
                    active[piece] = true;
                }
            }
            assertEquals(availability[piece], index.availability(piece));
            assertEquals(active[piece], index.isActive(piece));
            var peer = new Bitfield(PIECES);
            int density = 1 + random.nextInt(4); // a peer with a quarter of the pieces up to a seed
            for (int p = 0; p < PIECES; p++) {
                if (random.nextInt(4) < density) {
                    peer.set(p);
                }
            }
            int rarest = Integer.MAX_VALUE;
            boolean anyActive = false;
            for (int p = 0; p < PIECES; p++) {
                if (active[p] && peer.get(p)) {
                    rarest = Math.min(rarest, availability[p]);
                }
                anyActive |= active[p];
            }
            assertEquals(!anyActive, index.isEmpty());
            int chosen = index.rarest(peer, random);
            int any = index.any(peer, random);
            if (rarest == Integer.MAX_VALUE) {
                assertEquals(-1, chosen, "the peer has no piece still to start");
                assertEquals(-1, any);
            } else {
                assertTrue(active[chosen] && peer.get(chosen), "piece " + chosen + " is not a candidate");
                assertEquals(rarest, availability[chosen], "piece " + chosen + " is not the rarest");
                assertTrue(active[any] && peer.get(any), "piece " + any + " is not a candidate");
            }
        }
    }

    @Test
    void tiesAreBrokenUniformly() {
        var index = new RarityIndex(PIECES, new Bitfield(PIECES));
        var peer = new Bitfield(PIECES);
        for (int p = 0; p < PIECES; p++) {
            index.increment(p);
            if (p % 3 == 0) {
                index.increment(p); // commoner: never the rarest
            }
            if (p % 2 == 0) {
                peer.set(p); // the peer has the even pieces: 50 of them are rarest (p % 6 == 2 or 4)
            }
        }
        var random = new SplittableRandom(3);
        int[] chosen = new int[PIECES];
        int draws = 50_000;
        for (int i = 0; i < draws; i++) {
            chosen[index.rarest(peer, random)]++;
        }
        for (int p = 0; p < PIECES; p++) {
            boolean candidate = p % 2 == 0 && p % 3 != 0;
            if (candidate) {
                // 1,000 expected each; a fair draw stays within +-15% (more than 4 standard deviations)
                assertTrue(chosen[p] > 850 && chosen[p] < 1150, "piece " + p + " chosen " + chosen[p] + " times");
            } else {
                assertEquals(0, chosen[p], "piece " + p + " is not among the rarest the peer has");
            }
        }
    }

    @Test
    void emptiesAsPiecesStartAndRefillsWhenOneFails() {
        var index = new RarityIndex(3, new Bitfield(3));
        var seed = Bitfield.full(3);
        var random = new SplittableRandom(1);
        for (int i = 0; i < 3; i++) {
            int p = index.rarest(seed, random);
            assertTrue(index.isActive(p));
            index.remove(p);
            assertFalse(index.isActive(p));
        }
        assertTrue(index.isEmpty());
        assertEquals(-1, index.rarest(seed, random));
        index.add(1);
        assertEquals(1, index.rarest(seed, random));
        index.decrement(1);
        assertEquals(0, index.availability(1), "availability never goes below zero");
    }
}
