package dev.jtorr.domain.piece;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * The SHA-256 merkle trees of BitTorrent v2 (BEP 52). Leaves are the hashes of 16 KiB blocks of one file (the last
 * block may be shorter); a tree is padded on the right up to a power of two with zero leaves, so a padding node
 * higher up is the hash of a subtree of zero leaves. Stateless; a {@link MessageDigest} passed in is reset and used
 * by one thread only.
 */
public final class MerkleTree {
    /** Bytes covered by one leaf. */
    public static final int BLOCK_SIZE = 16 * 1024;
    public static final int HASH_SIZE = 32;

    private MerkleTree() {
    }

    /** Smallest power of two that is at least {@code n} (and at least 1). */
    public static long nextPowerOfTwo(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    /** The hash of a subtree with {@code leaves} zero leaves ({@code leaves} a power of two). */
    public static byte[] zeroSubtreeHash(long leaves, MessageDigest sha256) {
        byte[] node = new byte[HASH_SIZE];
        for (long width = 1; width < leaves; width <<= 1) {
            sha256.reset();
            sha256.update(node);
            sha256.update(node);
            node = sha256.digest();
        }
        return node;
    }

    /**
     * The root over {@code count} consecutive 32-byte hashes in {@code hashes}, padded on the right with
     * {@code padHash} up to {@code width} nodes ({@code width} a power of two, at least {@code count}).
     */
    public static byte[] root(byte[] hashes, int count, long width, byte[] padHash, MessageDigest sha256) {
        if (count < 1 || width < count || Long.bitCount(width) != 1) {
            throw new IllegalArgumentException("bad merkle shape: " + count + " nodes in width " + width);
        }
        byte[] level = java.util.Arrays.copyOf(hashes, count * HASH_SIZE);
        int n = count;
        byte[] pad = padHash;
        for (long w = width; w > 1; w >>= 1) {
            int parents = (n + 1) / 2;
            byte[] next = new byte[parents * HASH_SIZE];
            for (int i = 0; i < parents; i++) {
                sha256.reset();
                sha256.update(level, 2 * i * HASH_SIZE, HASH_SIZE);
                if (2 * i + 1 < n) {
                    sha256.update(level, (2 * i + 1) * HASH_SIZE, HASH_SIZE);
                } else {
                    sha256.update(pad);
                }
                digestInto(sha256, next, i * HASH_SIZE);
            }
            sha256.reset();
            sha256.update(pad);
            sha256.update(pad);
            pad = sha256.digest();
            level = next;
            n = parents;
        }
        return java.util.Arrays.copyOf(level, HASH_SIZE);
    }

    /**
     * Hashes the blocks of {@code data} (from its position to its limit, which is consumed) and returns the root of
     * their subtree padded with zero leaves to {@code leafWidth} leaves.
     */
    public static byte[] subtreeRoot(ByteBuffer data, long leafWidth, MessageDigest sha256) {
        int blocks = (data.remaining() + BLOCK_SIZE - 1) / BLOCK_SIZE;
        byte[] leaves = new byte[Math.max(blocks, 1) * HASH_SIZE];
        for (int i = 0; i < blocks; i++) {
            ByteBuffer block = data.slice(data.position(), Math.min(BLOCK_SIZE, data.remaining()));
            data.position(data.position() + block.remaining());
            sha256.reset();
            sha256.update(block);
            digestInto(sha256, leaves, i * HASH_SIZE);
        }
        return root(leaves, Math.max(blocks, 1), leafWidth, new byte[HASH_SIZE], sha256);
    }

    /**
     * The root of a file from its piece layer: {@code count} subtree roots each covering {@code leavesPerPiece}
     * leaves, padded to a power of two with zero subtrees of the same size.
     */
    public static byte[] rootFromPieceLayer(byte[] layer, int count, long leavesPerPiece, MessageDigest sha256) {
        return root(layer, count, nextPowerOfTwo(count), zeroSubtreeHash(leavesPerPiece, sha256), sha256);
    }

    /** Finishes {@code sha256} into {@code out} at {@code offset}, without allocating. */
    public static void digestInto(MessageDigest sha256, byte[] out, int offset) {
        try {
            sha256.digest(out, offset, HASH_SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 digest did not fit", e);
        }
    }
}
