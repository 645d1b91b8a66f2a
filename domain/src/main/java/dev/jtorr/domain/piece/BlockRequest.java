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

    /**
     * Written out rather than left to the record's generated method: blocks are looked up in hash sets once or more
     * per block downloaded, and the generated methods go through method handles that the JIT tier running most of
     * jtorr (C1, see the launcher) does not inline.
     */
    @Override
    public int hashCode() {
        return (piece * 31 + offset) * 31 + length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockRequest r && r.piece == piece && r.offset == offset && r.length == length;
    }

    /** The block's number within its piece. */
    public int block() {
        return offset / Blocks.SIZE;
    }
}
