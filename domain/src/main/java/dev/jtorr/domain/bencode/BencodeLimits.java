package dev.jtorr.domain.bencode;

/**
 * Bounds that keep any input from exhausting the stack or the heap while decoding.
 *
 * @param maxInputLength longest input accepted, in bytes
 * @param maxDepth       deepest nesting of lists and dictionaries
 * @param maxValues      most values (of any type) in one input; every value also costs at least two input bytes
 */
public record BencodeLimits(int maxInputLength, int maxDepth, int maxValues) {
    /** Limits for .torrent files: 64 MiB, 256 levels (deep v2 file trees), two million values. */
    public static final BencodeLimits TORRENT_FILE = new BencodeLimits(64 << 20, 256, 2_000_000);

    public BencodeLimits {
        if (maxInputLength < 0 || maxDepth < 1 || maxValues < 1) {
            throw new IllegalArgumentException("bencode limits must be positive");
        }
    }
}
