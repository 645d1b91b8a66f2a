package dev.jtorr.domain.piece;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Hashes one piece for v1 (SHA-1 of the whole piece, pad bytes included) and v2 (the SHA-256 merkle subtree root of
 * the piece's file data, BEP 52) in one call. Holds its digests, so use one instance per thread. They are made on
 * first use: an engine of a thousand idle torrents holds a hasher each, and a digest is about half a KiB.
 */
public final class PieceHasher {
    private MessageDigest sha1;
    private MessageDigest sha256;

    /** SHA-1 of {@code piece} from its position to its limit; the buffer's position is left unchanged. */
    public byte[] sha1(ByteBuffer piece) {
        if (sha1 == null) {
            sha1 = Sha.sha1();
        }
        sha1.reset();
        sha1.update(piece.duplicate());
        return sha1.digest();
    }

    /**
     * The v2 hash of a piece whose file data is {@code data} (position to limit; left unchanged).
     *
     * @param fileLength the length of the file the data belongs to; a file of at most one piece is a tree of its
     *                   own blocks, a larger file's piece is a subtree of {@code pieceLength / 16 KiB} leaves
     */
    public byte[] v2(ByteBuffer data, long fileLength, long pieceLength) {
        long leaves = fileLength <= pieceLength
                ? MerkleTree.nextPowerOfTwo((fileLength + MerkleTree.BLOCK_SIZE - 1) / MerkleTree.BLOCK_SIZE)
                : pieceLength / MerkleTree.BLOCK_SIZE;
        return MerkleTree.subtreeRoot(data.duplicate(), leaves, sha256());
    }

    /** The digest this hasher uses for merkle work, for callers that combine piece hashes into roots. */
    public MessageDigest sha256() {
        if (sha256 == null) {
            sha256 = Sha.sha256();
        }
        return sha256;
    }
}
