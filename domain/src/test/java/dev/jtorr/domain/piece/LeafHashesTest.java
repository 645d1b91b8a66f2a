package dev.jtorr.domain.piece;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtorr.domain.InvalidDataException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeafHashesTest {
    private static final int PIECE = 64 * 1024; // 4 blocks a piece
    private static final int B = MerkleTree.BLOCK_SIZE;
    private final MessageDigest sha = Sha.sha256();
    private final Digest root = new Digest(new byte[32]); // the request names it; the check is against the piece

    private static byte[] data(int length) {
        byte[] data = new byte[length];
        new SplittableRandom(length).nextBytes(data);
        return data;
    }

    /** The leaf layer a peer would send for {@code request}: block hashes, then zero leaves past the file's end. */
    private byte[] answer(byte[] file, HashRange request) {
        byte[] out = new byte[request.length() * 32];
        for (int i = 0; i < request.length(); i++) {
            long from = (long) (request.index() + i) * B;
            if (from < file.length) {
                sha.reset();
                sha.update(file, (int) from, (int) Math.min(B, file.length - from));
                MerkleTree.digestInto(sha, out, i * 32);
            }
        }
        return out;
    }

    private byte[] pieceHash(byte[] file, int k, long width) {
        int from = k * PIECE;
        return MerkleTree.subtreeRoot(ByteBuffer.wrap(file, from, Math.min(PIECE, file.length - from)), width, sha);
    }

    @Test
    void aPiecesLeafHashesHashUpToItsHashAndTheLastPieceIsPaddedWithZeroLeaves() {
        byte[] file = data(3 * PIECE + B + 100); // the last piece: 2 blocks, the second short
        for (int k = 0; k < 4; k++) {
            LeafHashes.Request request = LeafHashes.request(root, file.length, PIECE, k);
            assertEquals(new HashRange(root, 0, 4 * k, 4, 0), request.range());
            assertEquals(k < 3 ? 4 : 2, request.blocks());
            byte[] leaves = LeafHashes.verify(request, answer(file, request.range()), pieceHash(file, k, 4), sha);
            assertArrayEquals(Arrays.copyOf(answer(file, request.range()), request.blocks() * 32), leaves);
        }
    }

    @Test
    void aFileOfOnePieceOrLessIsCheckedAgainstItsOwnPaddedTree() {
        byte[] file = data(2 * B + 5); // 3 blocks: a tree of 4 leaves, whose root is the pieces root
        LeafHashes.Request request = LeafHashes.request(root, file.length, 4 * PIECE, 0);
        assertEquals(new HashRange(root, 0, 0, 4, 0), request.range());
        LeafHashes.verify(request, answer(file, request.range()), pieceHash(file, 0, 4), sha);
        assertNull(LeafHashes.request(root, B, PIECE, 0), "one block: its hash is the piece's");
        assertNull(LeafHashes.request(root, 10 * B, B, 3), "pieces of one block");
    }

    @Test
    void aForgedLeafAPaddingLeafThatIsNotZeroOrAWrongCountIsRefused() {
        byte[] file = data(3 * PIECE + B + 100);
        LeafHashes.Request request = LeafHashes.request(root, file.length, PIECE, 3);
        byte[] good = answer(file, request.range());
        byte[] hash = pieceHash(file, 3, 4);
        for (int at : new int[] {0, 32, 64, 127}) {
            byte[] forged = good.clone();
            forged[at] ^= 1;
            assertThrows(InvalidDataException.class, () -> LeafHashes.verify(request, forged, hash, sha));
        }
        assertThrows(InvalidDataException.class,
                () -> LeafHashes.verify(request, Arrays.copyOf(good, good.length + 32), hash, sha));
        assertThrows(InvalidDataException.class,
                () -> LeafHashes.verify(request, Arrays.copyOf(good, 64), hash, sha));
    }
}
