package dev.jtorr.domain.wire;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BInteger;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.bencode.BencodeException;
import dev.jtorr.domain.bencode.BencodeLimits;
import java.util.Arrays;

/**
 * A BEP 9 {@code ut_metadata} message: a bencoded dictionary with {@code msg_type} and {@code piece}, and for data
 * the {@code total_size} of the info dictionary followed by the piece's bytes. The info dictionary travels in pieces
 * of {@link #PIECE} bytes (the last one shorter).
 */
public sealed interface MetadataMessage {
    /** The size of a metadata piece, fixed by BEP 9. */
    int PIECE = 16 * 1024;

    /** A header is a handful of keys; anything larger is refused before it is decoded further. */
    BencodeLimits LIMITS = new BencodeLimits(PIECE + 1024, 4, 64);

    int piece();

    record Request(int piece) implements MetadataMessage {
    }

    /** @param totalSize the size of the whole info dictionary in bytes */
    record Data(int piece, int totalSize, byte[] data) implements MetadataMessage {
    }

    record Reject(int piece) implements MetadataMessage {
    }

    /** A message type this version does not know; BEP 9 says to ignore it. */
    record Unknown(int piece, long type) implements MetadataMessage {
    }

    /** The message's bytes, as carried in a BEP 10 extended message. */
    default byte[] encode() {
        var header = BDictionary.builder().put("piece", piece());
        switch (this) {
            case Request r -> header.put("msg_type", 0);
            case Data d -> header.put("msg_type", 1).put("total_size", d.totalSize());
            case Reject r -> header.put("msg_type", 2);
            case Unknown u -> header.put("msg_type", u.type());
        }
        byte[] head = BencodeEncoder.encode(header.build());
        if (!(this instanceof Data d)) {
            return head;
        }
        byte[] out = Arrays.copyOf(head, head.length + d.data().length);
        System.arraycopy(d.data(), 0, out, head.length, d.data().length);
        return out;
    }

    /**
     * Reads a message.
     *
     * @throws InvalidDataException when the payload is not a BEP 9 message (the peer broke the protocol)
     */
    static MetadataMessage decode(byte[] payload) {
        if (payload.length > LIMITS.maxInputLength()) {
            throw new InvalidDataException("ut_metadata message of " + payload.length + " bytes");
        }
        BencodeDecoder.Prefix prefix;
        try {
            prefix = BencodeDecoder.decodePrefix(payload, LIMITS);
        } catch (BencodeException e) {
            throw new InvalidDataException("bad ut_metadata message: " + e.getMessage());
        }
        if (!(prefix.value() instanceof BDictionary d)) {
            throw new InvalidDataException("ut_metadata message is not a dictionary");
        }
        long type = number(d, "msg_type");
        long piece = number(d, "piece");
        if (piece < 0 || piece > Integer.MAX_VALUE) {
            throw new InvalidDataException("ut_metadata piece " + piece);
        }
        int rest = payload.length - prefix.length();
        if (type != 1 && rest != 0) {
            throw new InvalidDataException("ut_metadata message type " + type + " with " + rest + " trailing bytes");
        }
        return switch ((int) Math.min(type, Integer.MAX_VALUE)) {
            case 0 -> new Request((int) piece);
            case 1 -> {
                long total = number(d, "total_size");
                if (total <= 0 || total > Integer.MAX_VALUE) {
                    throw new InvalidDataException("ut_metadata total_size " + total);
                }
                if (rest > PIECE) {
                    throw new InvalidDataException("ut_metadata piece of " + rest + " bytes, more than " + PIECE);
                }
                yield new Data((int) piece, (int) total, Arrays.copyOfRange(payload, prefix.length(), payload.length));
            }
            case 2 -> new Reject((int) piece);
            default -> new Unknown((int) piece, type);
        };
    }

    private static long number(BDictionary d, String key) {
        return d.getInteger(key).map(BInteger::value)
                .orElseThrow(() -> new InvalidDataException("ut_metadata message without an integer " + key));
    }
}
