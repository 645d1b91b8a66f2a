package dev.jtorr.domain.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.Sha;
import dev.jtorr.domain.wire.MetadataMessage;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataAssemblyTest {
    private static final int PIECE = MetadataMessage.PIECE;
    private final byte[] info = random(2 * PIECE + 100);
    private final InfoHashes hashes = new InfoHashes(Optional.of(new Digest(Sha.sha1().digest(info))),
            Optional.of(new Digest(Sha.sha256().digest(info))));

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    private static MetadataMessage.Data piece(byte[] of, int p) {
        return new MetadataMessage.Data(p, of.length,
                Arrays.copyOfRange(of, p * PIECE, Math.min(of.length, (p + 1) * PIECE)));
    }

    @Test
    void piecesFromSeveralPeersMakeTheVerifiedDictionary() {
        var a = new MetadataAssembly(hashes, info.length);
        assertEquals(3, a.pieceCount());
        assertEquals(OptionalInt.of(0), a.claim());
        assertEquals(OptionalInt.of(1), a.claim());
        assertEquals(OptionalInt.of(2), a.claim());
        assertEquals(OptionalInt.empty(), a.claim());
        a.put(piece(info, 2), 1);
        a.put(piece(info, 0), 2);
        a.put(piece(info, 1), 1);
        assertTrue(a.isComplete());
        var verified = assertInstanceOf(MetadataAssembly.Outcome.Verified.class, a.verify());
        assertArrayEquals(info, verified.info());
    }

    @Test
    void aWrongPieceFailsTheHashAndEverythingIsFetchedAgain() {
        var a = new MetadataAssembly(hashes, info.length);
        byte[] forged = info.clone();
        forged[PIECE + 5] ^= 1;
        a.put(piece(info, 0), 1);
        a.put(piece(forged, 1), 2);
        a.put(piece(info, 2), 1);
        assertEquals(new MetadataAssembly.Outcome.Mismatch(Set.of(1L, 2L)), a.verify());
        assertEquals(0, a.held());
        assertEquals(OptionalInt.of(0), a.claim());
    }

    @Test
    void theV2HashIsCheckedToo() {
        byte[] small = random(100);
        var onlyV1Matches = new InfoHashes(Optional.of(new Digest(Sha.sha1().digest(small))),
                Optional.of(new Digest(new byte[32])));
        var a = new MetadataAssembly(onlyV1Matches, small.length);
        a.put(piece(small, 0), 3);
        assertEquals(new MetadataAssembly.Outcome.Mismatch(Set.of(3L)), a.verify());
    }

    @Test
    void anAbsurdSizeIsRefusedAndAnAllowedOneTakesNoMemoryUpFront() {
        var e = assertThrows(InvalidDataException.class,
                () -> new MetadataAssembly(hashes, MetadataAssembly.MAX_SIZE + 1L));
        assertTrue(e.getMessage().contains("metadata size"), e.getMessage());
        assertThrows(InvalidDataException.class, () -> new MetadataAssembly(hashes, 0));
        var big = new MetadataAssembly(hashes, MetadataAssembly.MAX_SIZE);
        assertEquals(MetadataAssembly.MAX_SIZE / PIECE, big.pieceCount());
    }

    @Test
    void piecesPastTheEndOrOfTheWrongLengthOrSizeAreRefused() {
        var a = new MetadataAssembly(hashes, info.length);
        assertTrue(assertThrows(InvalidDataException.class,
                () -> a.put(new MetadataMessage.Data(3, info.length, new byte[10]), 1)).getMessage()
                .contains("past the end"));
        assertTrue(assertThrows(InvalidDataException.class,
                () -> a.put(new MetadataMessage.Data(2, info.length, new byte[10]), 1)).getMessage()
                .contains("expected 100"));
        assertTrue(assertThrows(InvalidDataException.class,
                () -> a.put(new MetadataMessage.Data(0, info.length + 1, new byte[PIECE]), 1)).getMessage()
                .contains("expected " + info.length));
        assertEquals(0, a.held());
    }

    @Test
    void aReleasedPieceIsClaimedAgain() {
        var a = new MetadataAssembly(hashes, info.length);
        a.claim();
        a.claim();
        a.release(0);
        assertEquals(OptionalInt.of(0), a.claim());
        assertEquals(OptionalInt.of(2), a.claim());
    }
}
