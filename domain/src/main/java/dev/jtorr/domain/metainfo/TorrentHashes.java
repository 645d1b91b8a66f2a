package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.FileSpan;
import dev.jtorr.domain.piece.MerkleTree;
import dev.jtorr.domain.piece.PieceHasher;
import dev.jtorr.domain.piece.PieceLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collects the hashes of a torrent being created, piece by piece, and assembles them: v1 {@code pieces}, v2 file
 * roots and piece layers (BEP 52).
 *
 * <p>{@link #digest} only reads immutable state and may run on many threads at once, each with its own
 * {@link PieceHasher}; {@link #record} and the getters belong to one thread.
 */
public final class TorrentHashes {
    /** The hashes of one piece: SHA-1 (v1) and merkle subtree root (v2); either may be null when not wanted. */
    public record PieceDigests(byte[] sha1, byte[] v2) {
    }

    private final List<FileEntry> files;
    private final long pieceLength;
    private final TorrentVersion version;
    private final PieceLayout layout;
    private final byte[] sha1;
    private final byte[] v2;
    private final boolean[] recorded;
    private int missing;

    /** @param files placed as {@link FileLayout#place} does for {@code version} */
    public TorrentHashes(List<FileEntry> files, long pieceLength, TorrentVersion version) {
        this.files = List.copyOf(files);
        this.pieceLength = pieceLength;
        this.version = version;
        long[] offsets = files.stream().mapToLong(FileEntry::offset).toArray();
        long[] lengths = files.stream().mapToLong(FileEntry::length).toArray();
        boolean[] padding = new boolean[files.size()];
        for (int i = 0; i < padding.length; i++) {
            padding[i] = files.get(i).isPadding();
        }
        this.layout = new PieceLayout(offsets, lengths, padding, pieceLength);
        int n = layout.pieceCount();
        this.sha1 = version.hasV1() ? new byte[n * 20] : new byte[0];
        this.v2 = version.hasV2() ? new byte[n * MerkleTree.HASH_SIZE] : new byte[0];
        this.recorded = new boolean[n];
        this.missing = n;
    }

    public PieceLayout layout() {
        return layout;
    }

    /**
     * Hashes piece {@code piece} from its stream bytes ({@code data}, position to limit: file data with pad bytes
     * as zeros). Thread-safe.
     */
    public PieceDigests digest(int piece, ByteBuffer data, PieceHasher hasher) {
        if (data.remaining() != layout.pieceSize(piece)) {
            throw new IllegalArgumentException("piece " + piece + " has " + layout.pieceSize(piece)
                    + " bytes, got " + data.remaining());
        }
        byte[] v1Hash = version.hasV1() ? hasher.sha1(data) : null;
        byte[] v2Hash = null;
        if (version.hasV2()) {
            FileSpan span = layout.spans(piece).stream().filter(s -> !s.padding()).findFirst().orElseThrow();
            ByteBuffer fileData = data.slice(data.position(), span.length());
            v2Hash = hasher.v2(fileData, files.get(span.fileIndex()).length(), pieceLength);
        }
        return new PieceDigests(v1Hash, v2Hash);
    }

    public void record(int piece, PieceDigests digests) {
        if (recorded[piece]) {
            throw new IllegalStateException("piece " + piece + " recorded twice");
        }
        if (version.hasV1()) {
            System.arraycopy(digests.sha1(), 0, sha1, piece * 20, 20);
        }
        if (version.hasV2()) {
            System.arraycopy(digests.v2(), 0, v2, piece * MerkleTree.HASH_SIZE, MerkleTree.HASH_SIZE);
        }
        recorded[piece] = true;
        missing--;
    }

    public boolean complete() {
        return missing == 0;
    }

    /** The v1 {@code pieces} string. */
    public byte[] pieces() {
        requireComplete();
        return sha1.clone();
    }

    /** The files with their v2 pieces roots filled in (unchanged for v1). */
    public List<FileEntry> filesWithRoots(PieceHasher hasher) {
        requireComplete();
        if (!version.hasV2()) {
            return files;
        }
        var out = new ArrayList<FileEntry>(files.size());
        for (FileEntry f : files) {
            Optional<Digest> root = f.isPadding() || f.length() == 0 ? Optional.empty()
                    : Optional.of(new Digest(fileRoot(f, hasher)));
            out.add(f.withPiecesRoot(root));
        }
        return out;
    }

    /** Piece layers of every file larger than one piece, by file root. */
    public Map<Digest, byte[]> pieceLayers(PieceHasher hasher) {
        requireComplete();
        var out = new HashMap<Digest, byte[]>();
        if (version.hasV2()) {
            for (FileEntry f : files) {
                if (!f.isPadding() && f.length() > pieceLength) {
                    out.put(new Digest(fileRoot(f, hasher)), layer(f));
                }
            }
        }
        return out;
    }

    private byte[] fileRoot(FileEntry f, PieceHasher hasher) {
        byte[] layer = layer(f);
        int count = layer.length / MerkleTree.HASH_SIZE;
        if (count == 1) {
            return layer;
        }
        return MerkleTree.rootFromPieceLayer(layer, count, pieceLength / MerkleTree.BLOCK_SIZE, hasher.sha256());
    }

    private byte[] layer(FileEntry f) {
        int first = (int) (f.offset() / pieceLength);
        int count = (int) ((f.length() + pieceLength - 1) / pieceLength);
        return Arrays.copyOfRange(v2, first * MerkleTree.HASH_SIZE, (first + count) * MerkleTree.HASH_SIZE);
    }

    private void requireComplete() {
        if (missing != 0) {
            throw new IllegalStateException(missing + " pieces not hashed yet");
        }
    }
}
