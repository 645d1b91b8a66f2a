package dev.jtorr.domain.piece;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.InvalidDataException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PieceLayerTreeTest {
    private static final long PIECE = 64 * 1024; // 4 blocks: the piece layer is base layer 2
    private final MessageDigest sha = Sha.sha256();

    private static byte[] layer(int pieces, long seed) {
        byte[] layer = new byte[pieces * 32];
        new SplittableRandom(seed).nextBytes(layer);
        return layer;
    }

    private byte[] root(byte[] layer) {
        return MerkleTree.rootFromPieceLayer(layer, layer.length / 32, PIECE / MerkleTree.BLOCK_SIZE, sha);
    }

    @Test
    void theTreesRootIsTheFilesPiecesRoot() {
        byte[] layer = layer(5, 1);
        assertArrayEquals(root(layer), PieceLayerTree.of(layer, PIECE, sha).root().bytes());
        assertEquals(2, PieceLayerTree.baseLayer(PIECE));
        assertEquals(0, PieceLayerTree.baseLayer(MerkleTree.BLOCK_SIZE));
    }

    @Test
    void everyRunOfAnswersProvesOutToTheRoot() {
        for (int pieces : new int[] {2, 3, 5, 8, 511, 512, 513, 1300, 2048}) {
            byte[] layer = layer(pieces, pieces);
            var tree = PieceLayerTree.of(layer, PIECE, sha);
            byte[] got = new byte[0];
            for (int n = 0; n < PieceLayerTree.runs(pieces); n++) {
                HashRange request = PieceLayerTree.request(tree.root(), pieces, PIECE, n);
                byte[] answer = tree.answer(request).orElseThrow();
                byte[] verified = PieceLayerTree.verify(request, answer, pieces, PIECE, sha);
                got = concat(got, verified);
            }
            assertArrayEquals(layer, got, pieces + " pieces");
        }
    }

    @Test
    void theProofFollowsBep52() {
        // 5 pieces, padded to 8: asking for pieces 4..5 (with 6..7 of padding) at length 2 needs the uncles at
        // heights 1 and 2; asking for all 8 needs none
        byte[] layer = layer(5, 3);
        var tree = PieceLayerTree.of(layer, PIECE, sha);
        var two = new HashRange(tree.root(), 2, 4, 2, 2);
        assertEquals(2, two.uncleCount());
        byte[] answer = tree.answer(two).orElseThrow();
        assertEquals(4, answer.length / 32);
        byte[] pad = MerkleTree.zeroSubtreeHash(4, sha);
        assertArrayEquals(Arrays.copyOfRange(layer, 4 * 32, 5 * 32), Arrays.copyOfRange(answer, 0, 32));
        assertArrayEquals(pad, Arrays.copyOfRange(answer, 32, 64), "the padding's hash");
        byte[] padPair = h(pad, pad);
        assertArrayEquals(padPair, Arrays.copyOfRange(answer, 64, 96), "uncle at height 1: pieces 6..7");
        byte[] left = h(h(slice(layer, 0), slice(layer, 1)), h(slice(layer, 2), slice(layer, 3)));
        assertArrayEquals(left, Arrays.copyOfRange(answer, 96, 128), "uncle at height 2: pieces 0..3");
        assertEquals(1, PieceLayerTree.verify(two, answer, 5, PIECE, sha).length / 32, "padding left out");
        var all = new HashRange(tree.root(), 2, 0, 8, 2);
        assertEquals(0, all.uncleCount(), "the first log2(8) - 1 proof layers are omitted");
        assertEquals(8, tree.answer(all).orElseThrow().length / 32);
        var one = new HashRange(tree.root(), 2, 3, 1, 2);
        assertEquals(3, one.uncleCount(), "a single hash needs its own sibling too");
        PieceLayerTree.verify(one, tree.answer(one).orElseThrow(), 5, PIECE, sha);
    }

    @Test
    void tamperedHashesOrProofsAreRejected() {
        byte[] layer = layer(700, 4);
        var tree = PieceLayerTree.of(layer, PIECE, sha);
        HashRange request = PieceLayerTree.request(tree.root(), 700, PIECE, 1);
        byte[] answer = tree.answer(request).orElseThrow();
        for (int at : new int[] {0, 100 * 32 + 5, answer.length - 1, answer.length - 40}) {
            byte[] bad = answer.clone();
            bad[at] ^= 1;
            assertThrows(InvalidDataException.class, () -> PieceLayerTree.verify(request, bad, 700, PIECE, sha),
                    "byte " + at);
        }
        assertThrows(InvalidDataException.class, () -> PieceLayerTree.verify(request,
                Arrays.copyOf(answer, answer.length - 32), 700, PIECE, sha), "an uncle short");
        var otherRoot = new HashRange(new Digest(layer(1, 9)), request.baseLayer(), request.index(),
                request.length(), request.proofLayers());
        assertThrows(InvalidDataException.class, () -> PieceLayerTree.verify(otherRoot, answer, 700, PIECE, sha));
        var shortProof = new HashRange(tree.root(), 2, 512, 256, 8);
        byte[] partial = tree.answer(shortProof).orElseThrow();
        var e = assertThrows(InvalidDataException.class,
                () -> PieceLayerTree.verify(shortProof, partial, 700, PIECE, sha));
        assertTrue(e.getMessage().contains("below the pieces root"), e.getMessage());
    }

    @Test
    void requestsOutsideTheRulesAreNotAnswered() {
        var tree = PieceLayerTree.of(layer(700, 5), PIECE, sha);
        Digest root = tree.root();
        assertTrue(tree.answer(new HashRange(root, 0, 0, 512, 9)).isEmpty(), "leaf layer");
        assertTrue(tree.answer(new HashRange(root, 3, 0, 256, 1)).isEmpty(), "another layer");
        assertTrue(tree.answer(new HashRange(root, 2, 1024, 2, 1)).isEmpty(), "past the padded layer");
        assertTrue(tree.answer(new HashRange(root, 2, 2, 4, 1)).isEmpty(), "index not a multiple of length");
        assertTrue(tree.answer(new HashRange(root, 2, 0, 3, 1)).isEmpty(), "length not a power of two");
        assertTrue(tree.answer(new HashRange(root, 2, 0, 1024, 9)).isEmpty(), "over the cap");
        assertTrue(tree.answer(new HashRange(root, 2, 0, 512, 10)).isEmpty(), "proof past the root");
        assertTrue(tree.answer(new HashRange(root, 2, 0, 512, 9)).isPresent());
        assertThrows(InvalidDataException.class, () -> new HashRange(new Digest(new byte[20]), 2, 0, 2, 1));
        assertThrows(InvalidDataException.class, () -> new HashRange(root, 2, -2, 2, 1));
    }

    private static byte[] slice(byte[] layer, int i) {
        return Arrays.copyOfRange(layer, i * 32, i * 32 + 32);
    }

    private byte[] h(byte[] a, byte[] b) {
        sha.reset();
        sha.update(a);
        sha.update(b);
        return sha.digest();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
