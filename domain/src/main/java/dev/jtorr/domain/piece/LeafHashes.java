package dev.jtorr.domain.piece;

import dev.jtorr.domain.InvalidDataException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The leaf hashes (16 KiB blocks, base layer 0) of one v2 piece, asked of a peer after the piece failed its hash so
 * that each block can be checked on its own (BEP 52). The request covers exactly the subtree under the piece's hash:
 * a piece's blocks for a file larger than a piece (the last piece's subtree padded with zero leaves), or the whole
 * file's padded leaf layer for a file of one piece or less. The base-layer hashes then imply every layer up to the
 * piece's hash, which we know, so no uncle is asked for (proof layers 0) and the answer is checked against that hash
 * alone. Stateless.
 */
public final class LeafHashes {
    private static final int H = MerkleTree.HASH_SIZE;

    /**
     * What to ask and how to check it.
     *
     * @param range  the hash request
     * @param blocks how many of the range's leaves are blocks of the file (the rest are the tree's zero padding)
     */
    public record Request(HashRange range, int blocks) {
    }

    private LeafHashes() {
    }

    /**
     * The request for the leaf hashes of the {@code k}th piece of a file of {@code fileLength} bytes, or null when
     * the piece is one block or less (its hash is its block's hash: nothing to learn).
     */
    public static Request request(Digest piecesRoot, long fileLength, long pieceLength, int k) {
        long leavesPerPiece = pieceLength / MerkleTree.BLOCK_SIZE;
        long start = k * pieceLength;
        if (k < 0 || start >= fileLength) {
            throw new IllegalArgumentException("no piece " + k + " in a file of " + fileLength + " bytes");
        }
        int blocks = (int) ((Math.min(pieceLength, fileLength - start) + MerkleTree.BLOCK_SIZE - 1)
                / MerkleTree.BLOCK_SIZE);
        long width = fileLength <= pieceLength ? MerkleTree.nextPowerOfTwo(blocks) : leavesPerPiece;
        if (width < 2 || width > HashRange.MAX_LENGTH) {
            return null;
        }
        int index = (int) (k * leavesPerPiece);
        return new Request(new HashRange(piecesRoot, 0, index, (int) width, 0), blocks);
    }

    /**
     * Checks a {@code hashes} answer to {@code request} against {@code pieceHash}, the piece's verified v2 hash, and
     * returns the leaf hashes of the piece's blocks (the padding left out).
     *
     * @throws InvalidDataException when the answer has the wrong number of hashes or they do not hash up to the
     *                              piece's hash
     */
    public static byte[] verify(Request request, byte[] hashes, byte[] pieceHash, MessageDigest sha256) {
        HashRange range = request.range();
        int expected = range.length() + range.uncleCount();
        if (hashes.length != expected * H) {
            throw new InvalidDataException("leaf hashes message with " + hashes.length / H + " hashes, expected "
                    + expected);
        }
        byte[] root = MerkleTree.root(hashes, range.length(), range.length(), new byte[H], sha256);
        if (!MessageDigest.isEqual(root, pieceHash)) {
            throw new InvalidDataException("leaf hashes that do not hash up to the piece's hash at leaf "
                    + range.index() + " of " + range.piecesRoot().hex());
        }
        return Arrays.copyOf(hashes, request.blocks() * H);
    }
}
