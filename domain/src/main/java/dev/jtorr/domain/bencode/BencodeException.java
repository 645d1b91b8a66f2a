package dev.jtorr.domain.bencode;

import dev.jtorr.domain.InvalidDataException;

/** Input that is not strict, canonical bencode, or exceeds a {@link BencodeLimits limit}; carries the byte offset. */
public final class BencodeException extends InvalidDataException {
    private final long offset;

    public BencodeException(String reason, long offset) {
        super(reason + " at offset " + offset);
        this.offset = offset;
    }

    /** Offset of the first byte that broke the rules, from the start of the input. */
    public long offset() {
        return offset;
    }
}
