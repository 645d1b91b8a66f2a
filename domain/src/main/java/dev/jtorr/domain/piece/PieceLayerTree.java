package dev.jtorr.domain.piece;

import dev.jtorr.domain.InvalidDataException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * One file's merkle tree from its piece layer up to its pieces root (BEP 52), to answer hash requests, and the check
 * of a {@code hashes} answer against a pieces root. The piece layer is the base layer log2(piece length / 16 KiB)
 * layers above the leaves; it is padded on the right up to a power of two with the hashes of zero subtrees of one
 * piece, as BEP 52 pads the tree. A {@code hashes} message holds the requested base-layer hashes, then one uncle
 * hash per proof layer from the lowest to the one just below the root, leaving out the layers the base-layer hashes
 * imply ({@link HashRange#uncleCount()}); libtorrent's proofs have that form. Immutable once built; the
 * {@link MessageDigest} passed to a method is used by the calling thread only.
 */
public final class PieceLayerTree {
    private static final int H = MerkleTree.HASH_SIZE;
    /** levels[0] is the padded piece layer, each next one its parents, the last one the root alone. */
    private final byte[][] levels;
    private final int baseLayer;

    private PieceLayerTree(byte[][] levels, int baseLayer) {
        this.levels = levels;
        this.baseLayer = baseLayer;
    }

    /**
     * Builds the tree over {@code pieceLayer}, one file's concatenated 32-byte piece hashes (as a .torrent's piece
     * layers hold them: none for the padding).
     */
    public static PieceLayerTree of(byte[] pieceLayer, long pieceLength, MessageDigest sha256) {
        if (pieceLayer.length == 0 || pieceLayer.length % H != 0) {
            throw new IllegalArgumentException("a piece layer of " + pieceLayer.length + " bytes");
        }
        int count = pieceLayer.length / H;
        int width = (int) MerkleTree.nextPowerOfTwo(count);
        int height = Integer.numberOfTrailingZeros(width);
        byte[][] levels = new byte[height + 1][];
        byte[] pad = MerkleTree.zeroSubtreeHash(pieceLength / MerkleTree.BLOCK_SIZE, sha256);
        levels[0] = Arrays.copyOf(pieceLayer, width * H);
        for (int i = count; i < width; i++) {
            System.arraycopy(pad, 0, levels[0], i * H, H);
        }
        for (int h = 1; h <= height; h++) {
            byte[] below = levels[h - 1];
            byte[] level = new byte[below.length / 2];
            for (int i = 0; i < level.length / H; i++) {
                sha256.reset();
                sha256.update(below, 2 * i * H, 2 * H);
                MerkleTree.digestInto(sha256, level, i * H);
            }
            levels[h] = level;
        }
        return new PieceLayerTree(levels, baseLayer(pieceLength));
    }

    /** The base layer of the piece layer for pieces of {@code pieceLength} bytes: log2(pieceLength / 16 KiB). */
    public static int baseLayer(long pieceLength) {
        return Long.numberOfTrailingZeros(pieceLength / MerkleTree.BLOCK_SIZE);
    }

    /**
     * The node {@code height} layers above the piece layer at {@code position} in its layer (padding included), or
     * null past the layer's end.
     */
    public byte[] node(int height, int position) {
        if (height < 0 || height >= levels.length || position < 0 || (position + 1) * H > levels[height].length) {
            return null;
        }
        return Arrays.copyOfRange(levels[height], position * H, position * H + H);
    }

    /** Layers from the piece layer up to the root (0 for a tree of one piece). */
    public int height() {
        return levels.length - 1;
    }

    /** The file's pieces root. */
    public Digest root() {
        return new Digest(levels[levels.length - 1]);
    }

    /**
     * The hashes answering {@code request}, base-layer hashes then uncles, or empty when it must be rejected: another
     * base layer than the piece layer (leaf hashes are not kept), a shape BEP 52 forbids, a range past the padded
     * layer, or more proof layers than lie below the root. The pieces root is the caller's to match.
     */
    public Optional<byte[]> answer(HashRange request) {
        int width = levels[0].length / H;
        int height = levels.length - 1;
        if (request.baseLayer() != baseLayer || request.length() < 1 || request.length() > HashRange.MAX_LENGTH
                || Integer.bitCount(request.length()) != 1 || request.index() % request.length() != 0
                || (long) request.index() + request.length() > width || request.proofLayers() >= height) {
            return Optional.empty();
        }
        int uncles = request.uncleCount();
        byte[] out = new byte[(request.length() + uncles) * H];
        System.arraycopy(levels[0], request.index() * H, out, 0, request.length() * H);
        int first = Integer.numberOfTrailingZeros(request.length());
        for (int u = 0; u < uncles; u++) {
            int h = first + u;
            int sibling = (request.index() >> h) ^ 1;
            System.arraycopy(levels[h], sibling * H, out, (request.length() + u) * H, H);
        }
        return Optional.of(out);
    }

    /**
     * The request for the {@code n}th run of up to {@link HashRange#MAX_LENGTH} piece hashes of a file of
     * {@code pieceCount} pieces (more than one), with every proof layer up to its root: what the answer needs to be
     * checked against the pieces root alone. The length is a power of two of at least 2, so it may reach past the
     * file's last piece into the padding (as libtorrent asks).
     */
    public static HashRange request(Digest piecesRoot, int pieceCount, long pieceLength, int n) {
        int index = n * HashRange.MAX_LENGTH;
        if (pieceCount < 2 || index < 0 || index >= pieceCount) {
            throw new IllegalArgumentException("no run " + n + " in a piece layer of " + pieceCount);
        }
        int length = (int) Math.max(2, Math.min(HashRange.MAX_LENGTH, MerkleTree.nextPowerOfTwo(pieceCount - index)));
        int height = Long.numberOfTrailingZeros(MerkleTree.nextPowerOfTwo(pieceCount));
        return new HashRange(piecesRoot, baseLayer(pieceLength), index, length, height - 1);
    }

    /** How many runs of {@link HashRange#MAX_LENGTH} piece hashes a file of {@code pieceCount} pieces takes. */
    public static int runs(int pieceCount) {
        return (pieceCount + HashRange.MAX_LENGTH - 1) / HashRange.MAX_LENGTH;
    }

    /**
     * Checks a {@code hashes} answer to {@code request} for a file of {@code pieceCount} pieces against the request's
     * pieces root: the base-layer hashes and the uncles must hash up to it exactly, and the proof must reach it.
     * Returns the verified hashes of the file's pieces in the range (those of the padding left out).
     *
     * @throws InvalidDataException when the hashes are not the right number or do not prove out
     */
    public static byte[] verify(HashRange request, byte[] hashes, int pieceCount, long pieceLength,
                                MessageDigest sha256) {
        request.checkShape();
        int width = (int) MerkleTree.nextPowerOfTwo(pieceCount);
        int height = Integer.numberOfTrailingZeros(width);
        int uncles = request.uncleCount();
        int first = Integer.numberOfTrailingZeros(request.length());
        if (request.baseLayer() != baseLayer(pieceLength) || (long) request.index() + request.length() > width) {
            throw new InvalidDataException("hashes for base layer " + request.baseLayer() + " at " + request.index()
                    + " outside the piece layer of " + pieceCount + " pieces");
        }
        if (hashes.length != (request.length() + uncles) * H) {
            throw new InvalidDataException("hashes message with " + hashes.length / H + " hashes, expected "
                    + (request.length() + uncles));
        }
        if (first + uncles != height) {
            throw new InvalidDataException("hashes whose proof stops " + (height - first - uncles)
                    + " layers below the pieces root");
        }
        byte[] node = MerkleTree.root(hashes, request.length(), request.length(), new byte[H], sha256);
        int position = request.index() >> first;
        for (int u = 0; u < uncles; u++, position >>= 1) {
            int at = (request.length() + u) * H;
            sha256.reset();
            if ((position & 1) == 0) {
                sha256.update(node);
                sha256.update(hashes, at, H);
            } else {
                sha256.update(hashes, at, H);
                sha256.update(node);
            }
            node = sha256.digest();
        }
        if (!MessageDigest.isEqual(node, request.piecesRoot().bytes())) {
            throw new InvalidDataException("hashes that do not prove out to the pieces root "
                    + request.piecesRoot().hex());
        }
        int real = Math.max(0, Math.min(request.length(), pieceCount - request.index()));
        return Arrays.copyOf(hashes, real * H);
    }
}
