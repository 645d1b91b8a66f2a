package dev.jtorr.domain.bencode;

/** A bencoded integer. Values outside the range of {@code long} are rejected by the decoder. */
public record BInteger(long value) implements BValue {
    public static BInteger of(long value) {
        return new BInteger(value);
    }
}
