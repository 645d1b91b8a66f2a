package dev.jtorr.domain.metainfo;

/**
 * The rule for choosing a piece length when the user gives none: the smallest power of two, at least 16 KiB, that
 * keeps the torrent at or under 2048 pieces, but never over 16 MiB. So 1 MiB of content gets 16 KiB pieces (64
 * pieces), 1 GiB gets 512 KiB (2048), 100 GiB gets 16 MiB (6400) and 1 TiB 16 MiB (65536).
 */
public final class PieceLengths {
    public static final long MIN = 16 * 1024;
    public static final long MAX_AUTO = 16L * 1024 * 1024;
    /** Largest piece length {@code create} accepts when given explicitly. */
    public static final long MAX = 64L * 1024 * 1024;
    static final long TARGET_PIECES = 2048;

    private PieceLengths() {
    }

    public static long forTotal(long totalBytes) {
        long length = MIN;
        while (length < MAX_AUTO && (totalBytes + length - 1) / length > TARGET_PIECES) {
            length <<= 1;
        }
        return length;
    }

    /** Checks an explicit piece length: a power of two from 16 KiB to 64 MiB. */
    public static boolean isValid(long length) {
        return length >= MIN && length <= MAX && Long.bitCount(length) == 1;
    }
}
