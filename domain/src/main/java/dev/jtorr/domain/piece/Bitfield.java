package dev.jtorr.domain.piece;

import dev.jtorr.domain.InvalidDataException;
import java.util.Arrays;

/**
 * A set of piece indices in {@code [0, size)}: which pieces a peer (or we) have. Mutable, not thread-safe.
 * The wire form (BEP 3) is one bit per piece, high bit of the first byte for piece 0, spare bits zero.
 */
public final class Bitfield {
    private final long[] words;
    private final int size;
    private int count;

    public Bitfield(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative bitfield size");
        }
        this.size = size;
        this.words = new long[(size + 63) >>> 6];
    }

    /** Every piece set. */
    public static Bitfield full(int size) {
        var b = new Bitfield(size);
        for (int i = 0; i < size; i++) {
            b.set(i);
        }
        return b;
    }

    /**
     * Reads the wire form of a bitfield of {@code size} pieces.
     *
     * @throws InvalidDataException when the length is wrong or a spare bit is set
     */
    public static Bitfield fromWire(byte[] bytes, int size) {
        if (bytes.length != wireLength(size)) {
            throw new InvalidDataException("bitfield of " + bytes.length + " bytes, expected " + wireLength(size)
                    + " for " + size + " pieces");
        }
        var b = new Bitfield(size);
        for (int i = 0; i < bytes.length; i++) {
            int v = bytes[i] & 0xff;
            for (int bit = 0; bit < 8 && v != 0; bit++) {
                if ((v & (0x80 >>> bit)) != 0) {
                    int piece = i * 8 + bit;
                    if (piece >= size) {
                        throw new InvalidDataException("bitfield sets spare bit " + piece + " beyond " + size
                                + " pieces");
                    }
                    b.set(piece);
                }
            }
        }
        return b;
    }

    /** Bytes in the wire form of a bitfield of {@code size} pieces. */
    public static int wireLength(int size) {
        return (size + 7) >>> 3;
    }

    public byte[] toWire() {
        byte[] out = new byte[wireLength(size)];
        for (int i = nextSet(0); i >= 0; i = nextSet(i + 1)) {
            out[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return out;
    }

    public int size() {
        return size;
    }

    /** Pieces set. */
    public int count() {
        return count;
    }

    public boolean isComplete() {
        return count == size;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public boolean get(int piece) {
        check(piece);
        return (words[piece >>> 6] & (1L << piece)) != 0;
    }

    /** Sets {@code piece}; returns whether it was clear before. */
    public boolean set(int piece) {
        check(piece);
        long mask = 1L << piece;
        if ((words[piece >>> 6] & mask) != 0) {
            return false;
        }
        words[piece >>> 6] |= mask;
        count++;
        return true;
    }

    /** Clears {@code piece}; returns whether it was set before. */
    public boolean clear(int piece) {
        check(piece);
        long mask = 1L << piece;
        if ((words[piece >>> 6] & mask) == 0) {
            return false;
        }
        words[piece >>> 6] &= ~mask;
        count--;
        return true;
    }

    /** The first set index at or after {@code from}, or -1. */
    public int nextSet(int from) {
        return next(from, false, null);
    }

    /** The first clear index at or after {@code from}, or -1. */
    public int nextClear(int from) {
        return next(from, true, null);
    }

    /**
     * The first index at or after {@code from} that is set here and clear in {@code other} (of the same size), or
     * -1: for scans over the pieces a peer has and we lack.
     */
    public int nextSetAndClearIn(int from, Bitfield other) {
        requireSameSize(other);
        return next(from, false, other);
    }

    /** The first index at or after {@code from} that is set (or clear) here and clear in {@code except}: 64 a step. */
    private int next(int from, boolean clear, Bitfield except) {
        int start = Math.max(from, 0);
        if (start >= size) {
            return -1;
        }
        int w = start >>> 6;
        long word = word(w, clear, except) & (-1L << start);
        while (true) {
            if (word != 0) {
                int i = (w << 6) + Long.numberOfTrailingZeros(word);
                return i < size ? i : -1; // past size only when clear bits are sought in the last word
            }
            if (++w == words.length) {
                return -1;
            }
            word = word(w, clear, except);
        }
    }

    private long word(int w, boolean clear, Bitfield except) {
        long v = clear ? ~words[w] : words[w];
        return except == null ? v : v & ~except.words[w];
    }

    /** Whether this set has a piece that {@code other} lacks. */
    public boolean hasAnyMissingFrom(Bitfield other) {
        requireSameSize(other);
        for (int w = 0; w < words.length; w++) {
            if ((words[w] & ~other.words[w]) != 0) {
                return true;
            }
        }
        return false;
    }

    public Bitfield copy() {
        var b = new Bitfield(size);
        System.arraycopy(words, 0, b.words, 0, words.length);
        b.count = count;
        return b;
    }

    private void requireSameSize(Bitfield other) {
        if (other.size != size) {
            throw new IllegalArgumentException("bitfields of " + size + " and " + other.size + " pieces");
        }
    }

    private void check(int piece) {
        if (piece < 0 || piece >= size) {
            throw new IndexOutOfBoundsException("piece " + piece + " of " + size);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bitfield b && b.size == size && Arrays.equals(b.words, words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words) * 31 + size;
    }

    /** One character per piece, {@code 1} set and {@code 0} clear, for tests and logs. */
    @Override
    public String toString() {
        var sb = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            sb.append(get(i) ? '1' : '0');
        }
        return sb.toString();
    }
}
