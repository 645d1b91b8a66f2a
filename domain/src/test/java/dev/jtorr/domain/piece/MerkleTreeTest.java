package dev.jtorr.domain.piece;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
    private final MessageDigest sha = Sha.sha256();

    private byte[] h(byte[]... parts) {
        sha.reset();
        for (byte[] p : parts) {
            sha.update(p);
        }
        return sha.digest();
    }

    @Test
    void aSingleShortBlockIsItsOwnRoot() {
        byte[] data = "hello".getBytes();
        assertArrayEquals(h(data), MerkleTree.subtreeRoot(ByteBuffer.wrap(data), 1, sha));
    }

    @Test
    void threeBlocksArePaddedWithAZeroLeaf() {
        byte[] data = new byte[2 * MerkleTree.BLOCK_SIZE + 100];
        new Random(1).nextBytes(data);
        byte[] l0 = h(Arrays.copyOfRange(data, 0, MerkleTree.BLOCK_SIZE));
        byte[] l1 = h(Arrays.copyOfRange(data, MerkleTree.BLOCK_SIZE, 2 * MerkleTree.BLOCK_SIZE));
        byte[] l2 = h(Arrays.copyOfRange(data, 2 * MerkleTree.BLOCK_SIZE, data.length));
        byte[] expected = h(h(l0, l1), h(l2, new byte[32]));
        assertArrayEquals(expected, MerkleTree.subtreeRoot(ByteBuffer.wrap(data), 4, sha));
    }

    @Test
    void paddingHigherUpIsTheHashOfZeroSubtrees() {
        byte[] zero = new byte[32];
        assertArrayEquals(zero, MerkleTree.zeroSubtreeHash(1, sha));
        assertArrayEquals(h(zero, zero), MerkleTree.zeroSubtreeHash(2, sha));
        assertArrayEquals(h(h(zero, zero), h(zero, zero)), MerkleTree.zeroSubtreeHash(4, sha));
    }

    @Test
    void theRootFromAPieceLayerEqualsTheRootOverAllLeaves() {
        int pieceBlocks = 4;
        byte[] file = new byte[9 * MerkleTree.BLOCK_SIZE + 7]; // 3 pieces of 4 blocks, the last one short
        new Random(2).nextBytes(file);
        byte[] layer = new byte[3 * 32];
        for (int p = 0; p < 3; p++) {
            int from = p * pieceBlocks * MerkleTree.BLOCK_SIZE;
            int to = Math.min(file.length, from + pieceBlocks * MerkleTree.BLOCK_SIZE);
            System.arraycopy(MerkleTree.subtreeRoot(ByteBuffer.wrap(file, from, to - from), pieceBlocks, sha),
                    0, layer, p * 32, 32);
        }
        byte[] whole = MerkleTree.subtreeRoot(ByteBuffer.wrap(file), 16, sha);
        assertArrayEquals(whole, MerkleTree.rootFromPieceLayer(layer, 3, pieceBlocks, sha));
    }

    @Test
    void nextPowerOfTwo() {
        assertEquals(1, MerkleTree.nextPowerOfTwo(0));
        assertEquals(1, MerkleTree.nextPowerOfTwo(1));
        assertEquals(4, MerkleTree.nextPowerOfTwo(3));
        assertEquals(4, MerkleTree.nextPowerOfTwo(4));
        assertEquals(1L << 40, MerkleTree.nextPowerOfTwo((1L << 39) + 1));
    }
}
