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
