package dev.jtorr.domain.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AllowedFastSetTest {
    private static final Digest AAAA = Digest.ofHex("aa".repeat(20));
    private static final byte[] IP = {80, 4, 4, (byte) 200};

    @Test
    void bep6sPublishedExample() {
        // BEP 6: 1313 pieces, info-hash aaaa...aa, node 80.4.4.200
        assertArrayEquals(new int[] {1059, 431, 808, 1217, 287, 376, 1188}, AllowedFastSet.of(7, 1313, IP, AAAA));
        assertArrayEquals(new int[] {1059, 431, 808, 1217, 287, 376, 1188, 353, 508},
                AllowedFastSet.of(9, 1313, IP, AAAA));
    }

    @Test
    void theLastByteOfTheAddressDoesNotMatterSoOneNetworkGetsOneSet() {
        assertArrayEquals(AllowedFastSet.of(10, 1313, IP, AAAA),
                AllowedFastSet.of(10, 1313, new byte[] {80, 4, 4, 1}, AAAA));
        assertFalse(Arrays.equals(AllowedFastSet.of(10, 1313, IP, AAAA),
                AllowedFastSet.of(10, 1313, new byte[] {80, 4, 5, (byte) 200}, AAAA)));
    }

    @Test
    void aLargerSetExtendsTheSmallerAndHoldsDistinctPiecesInRange() {
        int[] ten = AllowedFastSet.of(10, 50, IP, AAAA);
        int[] eleven = AllowedFastSet.of(11, 50, IP, AAAA);
        assertArrayEquals(ten, Arrays.copyOf(eleven, 10));
        assertEquals(10, Arrays.stream(ten).distinct().count());
        assertTrue(Arrays.stream(eleven).allMatch(p -> p >= 0 && p < 50));
    }

    @Test
    void aTorrentWithNoMorePiecesThanTheSetOffersEveryPiece() {
        assertArrayEquals(new int[] {0, 1, 2}, AllowedFastSet.of(10, 3, IP, AAAA));
        assertArrayEquals(new int[] {0}, AllowedFastSet.of(10, 1, IP, AAAA));
        assertEquals(0, AllowedFastSet.of(0, 5, IP, AAAA).length);
        assertThrows(IllegalArgumentException.class, () -> AllowedFastSet.of(10, 5, new byte[16], AAAA));
    }

    @Test
    void theFastBitIsTheThirdLowestOfTheLastReservedByte() {
        var h = Handshake.ours(AAAA, PeerId.generate(new SplittableRandom(1)));
        assertFalse(h.supportsFast());
        var fast = h.withFast().withExtensions();
        assertTrue(fast.supportsFast());
        assertTrue(fast.supportsExtensions());
        assertEquals(0x04, fast.reserved()[7]);
    }
}
