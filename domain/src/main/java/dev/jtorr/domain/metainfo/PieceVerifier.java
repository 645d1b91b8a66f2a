package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.FileSpan;
import dev.jtorr.domain.piece.LeafHashes;
import dev.jtorr.domain.piece.PieceHasher;
import dev.jtorr.domain.piece.PieceLayout;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks a piece's data against a torrent's hashes: v1 torrents by the SHA-1 in {@code pieces} (BEP 3; pad bytes
 * included), v2-only torrents by the SHA-256 merkle hash in the file's piece layer, or its pieces root when the file
 * is one piece or less (BEP 52), hybrid torrents by both. Holds digests: one instance per thread.
 */
public final class PieceVerifier {
    private final Metainfo metainfo;
    private final PieceLayout layout;
    private final boolean v1;
    private final boolean v2;
    private final PieceHasher hasher = new PieceHasher();

    public PieceVerifier(Metainfo metainfo) {
        this.metainfo = metainfo;
        this.layout = metainfo.info().pieceLayout();
        this.v1 = metainfo.info().version().hasV1();
        this.v2 = metainfo.info().version().hasV2();
    }

    public PieceLayout layout() {
        return layout;
    }

    /** Bytes of data that make up piece {@code piece}: the concatenation of its spans, pad bytes included. */
    public int dataLength(int piece) {
        return layout.spans(piece).stream().mapToInt(FileSpan::length).sum();
    }

    /**
     * Whether {@code data} (position to limit, left unchanged), the concatenation of the piece's spans, is piece
     * {@code piece}.
     */
    public boolean verify(int piece, ByteBuffer data) {
        if (data.remaining() != dataLength(piece)) {
            return false;
        }
        if (v1 && !metainfo.info().pieceHashIs(piece, hasher.sha1(data))) {
            return false;
        }
        if (!v2) {
            return true;
        }
        // BEP 52: a hybrid's piece must match both its hashes; one whose v2 hash is unknown (no piece layer) is
        // taken on its v1 hash alone
        FileSpan fileSpan = layout.spans(piece).stream().filter(s -> !s.padding()).findFirst().orElse(null);
        FileEntry file = fileSpan == null ? null : metainfo.info().files().get(fileSpan.fileIndex());
        byte[] expected = file == null ? null : expectedV2(piece, file, v1);
        if (expected == null) {
            return true;
        }
        // a v2 piece holds one file's bytes, then up to the piece's end the pad bytes BEP 52 leaves out of the tree
        ByteBuffer fileBytes = data.slice(data.position(), fileSpan.length());
        return MessageDigest.isEqual(hasher.v2(fileBytes, file.length(), layout.pieceLength()), expected);
    }

    /**
     * How a failed piece's blocks can be checked one by one (BEP 52): the leaf hashes to ask a peer for, and the
     * piece's v2 hash they must hash up to. The piece's first block is the request's first leaf. Empty for a v1-only
     * torrent, a piece of pad bytes or of one block, and a hybrid's piece whose v2 hash the torrent does not say.
     */
    public Optional<BlockCheck> blockCheck(int piece) {
        if (!v2) {
            return Optional.empty();
        }
        FileSpan span = layout.spans(piece).stream().filter(s -> !s.padding()).findFirst().orElse(null);
        if (span == null) {
            return Optional.empty();
        }
        FileEntry file = metainfo.info().files().get(span.fileIndex());
        byte[] expected = file.piecesRoot().isEmpty() ? null : expectedV2(piece, file, true);
        if (expected == null) {
            return Optional.empty();
        }
        int k = (int) ((piece * layout.pieceLength() - file.offset()) / layout.pieceLength());
        LeafHashes.Request request = LeafHashes.request(file.piecesRoot().get(), file.length(), layout.pieceLength(),
                k);
        return request == null ? Optional.empty() : Optional.of(new BlockCheck(request, expected));
    }

    /** The leaf hashes that check a piece's blocks, and the piece's v2 hash they must hash up to. */
    public record BlockCheck(LeafHashes.Request request, byte[] pieceHash) {
    }

    /** The piece's v2 hash; null, for a hybrid ({@code lenient}), when the torrent does not say it. */
    private byte[] expectedV2(int piece, FileEntry file, boolean lenient) {
        if (file.piecesRoot().isEmpty()) {
            if (lenient) {
                return null;
            }
            throw new MetainfoException("v2 file without pieces root: " + file.pathString());
        }
        Digest root = file.piecesRoot().get();
        if (file.length() <= layout.pieceLength()) {
            return root.bytes();
        }
        byte[] layer = metainfo.pieceLayers().get(root);
        if (layer == null) {
            if (lenient) {
                return null;
            }
            throw new MetainfoException("the torrent lacks the piece layer of " + file.pathString()
                    + ", so its pieces cannot be checked");
        }
        int k = (int) ((piece * layout.pieceLength() - file.offset()) / layout.pieceLength());
        return Arrays.copyOfRange(layer, k * 32, k * 32 + 32);
    }
}
