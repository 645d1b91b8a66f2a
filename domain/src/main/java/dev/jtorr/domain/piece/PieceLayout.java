package dev.jtorr.domain.piece;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps pieces onto the files of a torrent's byte stream: which runs of which files make up piece {@code i}.
 * Files are given by offset, length and whether they are padding; zero-length files take no part in any piece.
 * Immutable and thread-safe.
 */
public final class PieceLayout {
    private final long[] offsets;
    private final long[] lengths;
    private final boolean[] padding;
    private final long pieceLength;
    private final long streamLength;
    private final int pieceCount;
    private final boolean paddedTail;

    public PieceLayout(long[] offsets, long[] lengths, boolean[] padding, long pieceLength) {
        this(offsets, lengths, padding, pieceLength, false);
    }

    /**
     * @param paddedTail peers see the last piece as a whole piece, zeros past the end of the data: libtorrent pads a
     *                   v2-only torrent's last file as it pads every other one, and asks for whole blocks up to there
     */
    public PieceLayout(long[] offsets, long[] lengths, boolean[] padding, long pieceLength, boolean paddedTail) {
        if (offsets.length != lengths.length || offsets.length != padding.length || pieceLength <= 0) {
            throw new IllegalArgumentException("inconsistent piece layout");
        }
        this.offsets = offsets.clone();
        this.lengths = lengths.clone();
        this.padding = padding.clone();
        this.pieceLength = pieceLength;
        this.streamLength = offsets.length == 0 ? 0 : offsets[offsets.length - 1] + lengths[lengths.length - 1];
        long count = (streamLength + pieceLength - 1) / pieceLength;
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many pieces: " + count);
        }
        this.pieceCount = (int) count;
        this.paddedTail = paddedTail;
    }

    public int pieceCount() {
        return pieceCount;
    }

    public long pieceLength() {
        return pieceLength;
    }

    public long streamLength() {
        return streamLength;
    }

    /**
     * Bytes of piece {@code piece} that a peer may ask for: its size, or a whole piece for a padded tail (the bytes
     * past the data are zeros).
     */
    public int requestableSize(int piece) {
        return paddedTail ? (int) Math.min(pieceLength, Integer.MAX_VALUE) : pieceSize(piece);
    }

    /** Whether any file is a BEP 47 pad file. */
    public boolean hasPadding() {
        for (boolean p : padding) {
            if (p) {
                return true;
            }
        }
        return false;
    }

    /** Bytes in piece {@code piece}: the piece length, or less for the last piece. */
    public int pieceSize(int piece) {
        checkPiece(piece);
        return (int) Math.min(pieceLength, streamLength - piece * pieceLength);
    }

    /**
     * Bytes of piece {@code piece} worth asking a peer for: up to the end of its last run of file data, so that the
     * blocks that lie wholly in the pad bytes at its end (BEP 47) are never requested (they are zeros). At least one
     * byte, even for a piece of pad bytes alone, which a malformed torrent can make.
     */
    public int fetchLength(int piece) {
        List<FileSpan> spans = spans(piece);
        int end = 0;
        int at = 0;
        for (FileSpan s : spans) {
            at += s.length();
            if (!s.padding()) {
                end = at;
            }
        }
        return Math.max(end, Math.min(1, at));
    }

    /** The runs that make up piece {@code piece}, in stream order. */
    public List<FileSpan> spans(int piece) {
        checkPiece(piece);
        long start = piece * pieceLength;
        long end = start + pieceSize(piece);
        int i = firstFileAt(start);
        var out = new ArrayList<FileSpan>(2);
        for (; i < offsets.length && offsets[i] < end; i++) {
            long from = Math.max(start, offsets[i]);
            long to = Math.min(end, offsets[i] + lengths[i]);
            if (to > from) {
                out.add(new FileSpan(i, from - offsets[i], (int) (to - from), padding[i]));
            }
        }
        return out;
    }

    private int firstFileAt(long position) {
        // last file whose offset <= position; zero-length files share offsets, so step back over ties
        int i = Arrays.binarySearch(offsets, position);
        if (i < 0) {
            return Math.max(0, -i - 2);
        }
        while (i > 0 && offsets[i - 1] == position) {
            i--;
        }
        return i;
    }

    private void checkPiece(int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " of " + pieceCount);
        }
    }
}
