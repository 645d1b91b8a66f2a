package dev.jtorr.domain.piece;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.InvalidDataException;
import org.junit.jupiter.api.Test;

class BitfieldTest {
    @Test
    void wireFormPutsPieceZeroInTheHighBitOfTheFirstByte() {
        var b = new Bitfield(10);
        b.set(0);
        b.set(7);
        b.set(9);
        assertArrayEquals(new byte[] {(byte) 0x81, 0x40}, b.toWire());
        assertEquals(b, Bitfield.fromWire(b.toWire(), 10));
        assertEquals("1000000101", b.toString());
    }

    @Test
    void countsAndFindsAcrossWordBoundaries() {
        var b = new Bitfield(200);
        assertTrue(b.set(63));
        assertTrue(b.set(64));
        assertFalse(b.set(64));
        assertTrue(b.set(199));
        assertEquals(3, b.count());
        assertEquals(63, b.nextSet(0));
        assertEquals(64, b.nextSet(64));
        assertEquals(199, b.nextSet(65));
        assertEquals(-1, b.nextSet(200));
        assertEquals(65, b.nextClear(63));
        assertTrue(b.clear(63));
        assertEquals(2, b.count());
        assertTrue(Bitfield.full(200).isComplete());
    }

    @Test
    void findsClearPiecesAndPiecesMissingFromAnotherSetWordByWord() {
        var full = Bitfield.full(130);
        assertEquals(-1, full.nextClear(0), "no clear piece, and none past the end");
        full.clear(129);
        assertEquals(129, full.nextClear(0));
        full.clear(64);
        assertEquals(64, full.nextClear(0));
        assertEquals(129, full.nextClear(65));
        assertEquals(-1, full.nextClear(130));

        var peer = Bitfield.full(130);
        var ours = Bitfield.full(130);
        assertEquals(-1, peer.nextSetAndClearIn(0, ours), "nothing the peer has that we lack");
        ours.clear(5);
        ours.clear(70);
        ours.clear(128);
        peer.clear(70);
        assertEquals(5, peer.nextSetAndClearIn(0, ours));
        assertEquals(128, peer.nextSetAndClearIn(6, ours), "70 is missing from both");
        assertEquals(-1, peer.nextSetAndClearIn(129, ours));
        assertThrows(IllegalArgumentException.class, () -> peer.nextSetAndClearIn(0, new Bitfield(131)));
        // the same answers as a piece-by-piece scan, on random sets
        var random = new java.util.Random(7);
        for (int round = 0; round < 50; round++) {
            var a = new Bitfield(300);
            var b = new Bitfield(300);
            for (int i = 0; i < 300; i++) {
                if (random.nextBoolean()) {
                    a.set(i);
                }
                if (random.nextInt(4) > 0) {
                    b.set(i);
                }
            }
            for (int from = 0; from <= 300; from++) {
                int clear = -1;
                int setAndClear = -1;
                for (int i = 299; i >= from; i--) {
                    if (!a.get(i)) {
                        clear = i;
                    }
                    if (a.get(i) && !b.get(i)) {
                        setAndClear = i;
                    }
                }
                assertEquals(clear, a.nextClear(from));
                assertEquals(setAndClear, a.nextSetAndClearIn(from, b));
            }
        }
    }

    @Test
    void rejectsWrongLengthAndSpareBits() {
        assertThrows(InvalidDataException.class, () -> Bitfield.fromWire(new byte[3], 10));
        var e = assertThrows(InvalidDataException.class, () -> Bitfield.fromWire(new byte[] {0, 0x20}, 10));
        assertTrue(e.getMessage().contains("spare bit 10"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> new Bitfield(5).get(5));
    }

    @Test
    void knowsWhetherAnotherSetLacksSomething() {
        var mine = Bitfield.fromWire(new byte[] {(byte) 0b1100_0000}, 4);
        var theirs = Bitfield.fromWire(new byte[] {(byte) 0b1000_0000}, 4);
        assertTrue(mine.hasAnyMissingFrom(theirs));
        assertFalse(theirs.hasAnyMissingFrom(mine));
    }

    @Test
    void blockGeometryHasAShortLastBlock() {
        assertEquals(3, Blocks.count(40_000));
        assertEquals(16384, Blocks.length(40_000, 1));
        assertEquals(40_000 - 32768, Blocks.length(40_000, 2));
        assertEquals(new BlockRequest(5, 32768, 40_000 - 32768), Blocks.request(5, 40_000, 2));
        assertTrue(Blocks.isValid(new BlockRequest(0, 100, 16384), 40_000));
        assertFalse(Blocks.isValid(new BlockRequest(0, 0, 16385), 40_000));
        assertFalse(Blocks.isValid(new BlockRequest(0, 32768, 16384), 40_000));
    }
}
