package dev.jtorr.domain.piece;

/** Block geometry: a piece is requested in blocks of 16 KiB, the last block of a piece may be shorter. */
public final class Blocks {
    /** Bytes per block, the size every client requests and the largest we serve (BEP 3, BEP 52). */
    public static final int SIZE = 16 * 1024;

    private Blocks() {
    }

    /** Blocks in a piece of {@code pieceSize} bytes. */
    public static int count(int pieceSize) {
        return (pieceSize + SIZE - 1) / SIZE;
    }

    /** Bytes in block {@code block} of a piece of {@code pieceSize} bytes. */
    public static int length(int pieceSize, int block) {
        return Math.min(SIZE, pieceSize - block * SIZE);
    }

    /** The request for block {@code block} of piece {@code piece} of {@code pieceSize} bytes. */
    public static BlockRequest request(int piece, int pieceSize, int block) {
        return new BlockRequest(piece, block * SIZE, length(pieceSize, block));
    }

    /**
     * Whether a request lies inside a piece of {@code pieceSize} bytes and is at most one block long: what we serve
     * to peers (BEP 3 lets a request start anywhere; clients that ask for more than 16 KiB are refused).
     */
    public static boolean isValid(BlockRequest r, int pieceSize) {
        return r.length() <= SIZE && (long) r.offset() + r.length() <= pieceSize;
    }
}
