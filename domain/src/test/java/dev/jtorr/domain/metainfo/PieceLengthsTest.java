package dev.jtorr.domain.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PieceLengthsTest {
    private static final long KIB = 1024;
    private static final long MIB = KIB * KIB;

    @Test
    void followsTheDocumentedRule() {
        assertEquals(16 * KIB, PieceLengths.forTotal(1));
        assertEquals(16 * KIB, PieceLengths.forTotal(MIB));
        assertEquals(16 * KIB, PieceLengths.forTotal(32 * MIB));
        assertEquals(32 * KIB, PieceLengths.forTotal(32 * MIB + 1));
        assertEquals(512 * KIB, PieceLengths.forTotal(1024 * MIB));
        assertEquals(16 * MIB, PieceLengths.forTotal(100 * 1024 * MIB));
        assertEquals(16 * MIB, PieceLengths.forTotal(1024 * 1024 * MIB));
    }

    @Test
    void explicitLengthsArePowersOfTwoInRange() {
        assertTrue(PieceLengths.isValid(16 * KIB));
        assertTrue(PieceLengths.isValid(64 * MIB));
        assertFalse(PieceLengths.isValid(8 * KIB));
        assertFalse(PieceLengths.isValid(128 * MIB));
        assertFalse(PieceLengths.isValid(48 * KIB));
    }
}
