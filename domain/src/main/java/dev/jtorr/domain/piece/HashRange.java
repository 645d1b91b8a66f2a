package dev.jtorr.domain.piece;

import dev.jtorr.domain.InvalidDataException;

/**
 * The fields shared by BEP 52's hash request, hashes and hash reject messages: which hashes of one file's merkle tree
 * (named by its pieces root) are asked for, and how many ancestor layers of proof to add.
 *
 * <ul>
 *   <li>{@code baseLayer}: layers above the leaves (0 asks for block hashes; log2(piece length / 16 KiB) for the
 *       piece layer);</li>
 *   <li>{@code index}: the first hash, counted in the base layer, a multiple of {@code length};</li>
 *   <li>{@code length}: how many base-layer hashes, a power of two;</li>
 *   <li>{@code proofLayers}: ancestor layers of proof; the first log2(length) - 1 of them are implied by the hashes
 *       themselves and omitted from a {@code hashes} message (BEP 52), each other one adds one uncle hash.</li>
 * </ul>
 *
 * Only the wire's structural rules are invariants here (a 32-byte root, no negative numbers), so that a request we do
 * not like can still be answered with a hash reject; {@link #checkShape()} applies BEP 52's rules on index and length.
 */
public record HashRange(Digest piecesRoot, int baseLayer, int index, int length, int proofLayers) {
    /**
     * The most hashes we ask for or serve in one message: BEP 52's SHOULD NOT exceed 512 (libtorrent asks for at most
     * 512 too). A request for more is answered with a hash reject; a hashes message with more ends the connection.
     */
    public static final int MAX_LENGTH = 512;
    /** Bytes of the fixed fields on the wire: the root and four 4-byte integers. */
    public static final int WIRE_SIZE = MerkleTree.HASH_SIZE + 16;

    public HashRange {
        if (piecesRoot.length() != MerkleTree.HASH_SIZE) {
            throw new InvalidDataException("a pieces root of " + piecesRoot.length() + " bytes, expected 32");
        }
        if (baseLayer < 0 || index < 0 || length < 0 || proofLayers < 0) {
            throw new InvalidDataException("hash request with a negative field: base layer " + baseLayer + ", index "
                    + index + ", length " + length + ", proof layers " + proofLayers);
        }
    }

    /**
     * Applies BEP 52's rules on the shape: a length of 1 to {@link #MAX_LENGTH} that is a power of two, and an index
     * that is a multiple of it.
     *
     * @throws InvalidDataException naming the broken rule
     */
    public HashRange checkShape() {
        if (length < 1 || length > MAX_LENGTH || Integer.bitCount(length) != 1) {
            throw new InvalidDataException("hash request for " + length + " hashes: a power of two up to "
                    + MAX_LENGTH + " expected");
        }
        if (index % length != 0) {
            throw new InvalidDataException("hash request at index " + index + " not a multiple of its length "
                    + length);
        }
        return this;
    }

    /**
     * Uncle hashes a {@code hashes} answer carries after the base-layer ones: one per proof layer but the first
     * log2(length) - 1, which the base-layer hashes imply. A length of 1 implies none and its own sibling is the
     * first uncle, so it takes one more (as libtorrent counts it).
     */
    public int uncleCount() {
        int implied = 31 - Integer.numberOfLeadingZeros(Math.max(length, 1));
        return Math.max(0, proofLayers - implied + 1);
    }
}
