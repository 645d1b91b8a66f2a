package dev.jtorr.domain.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bencoded byte string. Bencode strings are bytes, not text: {@link #text()} decodes them as UTF-8 for display
 * and names. Ordered as unsigned bytes, which is the order of canonical dictionary keys.
 */
public record BString(byte[] bytes) implements BValue, Comparable<BString> {
    public BString {
        bytes = bytes.clone();
    }

    public static BString of(String text) {
        return new BString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes this string's bencoding ({@code LENGTH:BYTES}) without copying the bytes. */
    void encodeTo(java.io.ByteArrayOutputStream out) {
        BencodeEncoder.decimal(out, bytes.length);
        out.write(':');
        out.write(bytes, 0, bytes.length);
    }

    public int length() {
        return bytes.length;
    }

    /** The bytes decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int compareTo(BString other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BString s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "BString[" + text() + "]";
    }
}
