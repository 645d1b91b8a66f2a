package dev.jtorr.domain.piece;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable hash value: a SHA-1 (20 bytes) or SHA-256 (32 bytes) digest. Compared by content. */
public record Digest(byte[] bytes) {
    public Digest {
        bytes = bytes.clone();
    }

    public static Digest ofHex(String hex) {
        return new Digest(HexFormat.of().parseHex(hex));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The first {@code n} bytes, e.g. the 20-byte form of a v2 info-hash used on the v1 wire and by trackers. */
    public Digest truncated(int n) {
        return new Digest(Arrays.copyOf(bytes, n));
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
