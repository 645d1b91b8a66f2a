package dev.jtorr.domain.piece;

/**
 * A block of a piece, as requested, cancelled or delivered on the wire (BEP 3): {@code length} bytes at
 * {@code offset} within piece {@code piece}. Blocks are {@value Blocks#SIZE} bytes except the last of a piece.
 */
public record BlockRequest(int piece, int offset, int length) {
    public BlockRequest {
        if (piece < 0 || offset < 0 || length <= 0) {
            throw new IllegalArgumentException("bad block request " + piece + "/" + offset + "/" + length);
        }
    }

    /** The block's number within its piece. */
    public int block() {
        return offset / Blocks.SIZE;
    }
}
