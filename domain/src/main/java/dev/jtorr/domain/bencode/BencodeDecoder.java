package dev.jtorr.domain.bencode;

import java.util.Arrays;

/**
 * Strict decoder of canonical bencode (BEP 3). Rejects, with the offset of the offending byte: an unknown type
 * prefix, integers with leading zeros or {@code -0} or out of the {@code long} range, string lengths with leading
 * zeros or past the end of the input, unterminated values, trailing data, and dictionaries whose keys are
 * duplicated or out of order (non-canonical). Never allocates more than the input can justify.
 *
 * <p>Instances are single-use and not thread-safe; use the static methods.
 */
public final class BencodeDecoder {
    /** A range of the input: where a value's encoding starts and how many bytes it takes. */
    public record Span(int offset, int length) {
    }

    private final byte[] in;
    private final BencodeLimits limits;
    private boolean anyKeyOrder;
    /** Keys found out of order so far (with {@link #anyKeyOrder}). */
    private int keysOutOfOrder;
    private int pos;
    private int values;

    private BencodeDecoder(byte[] in, BencodeLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** Decodes exactly one value that spans the whole input. */
    public static BValue decode(byte[] input, BencodeLimits limits) {
        var decoder = new BencodeDecoder(input, limits);
        decoder.checkInputLength();
        BValue value = decoder.value(0);
        decoder.expectEnd();
        return value;
    }

    /**
     * Like {@link #decode}, but dictionary keys may come in any order (duplicates are still refused). For messages
     * from other software that is not always canonical, such as tracker responses; never for info dictionaries,
     * whose exact bytes are hashed.
     */
    public static BValue decodeAnyKeyOrder(byte[] input, BencodeLimits limits) {
        var decoder = new BencodeDecoder(input, limits);
        decoder.anyKeyOrder = true;
        decoder.checkInputLength();
        BValue value = decoder.value(0);
        decoder.expectEnd();
        return value;
    }

    /** A value at the start of an input, and how many bytes its encoding took (what follows is the caller's). */
    public record Prefix(BValue value, int length) {
    }

    /**
     * Decodes the one value at the start of {@code input}, keys in any order, and leaves what follows it: for
     * messages that carry raw bytes after a bencoded header, such as BEP 9's data message.
     */
    public static Prefix decodePrefix(byte[] input, BencodeLimits limits) {
        var decoder = new BencodeDecoder(input, limits);
        decoder.anyKeyOrder = true;
        decoder.checkInputLength();
        BValue value = decoder.value(0);
        return new Prefix(value, decoder.pos);
    }

    /**
     * A .torrent file as other clients read it: its top-level dictionary, dictionary keys in any order at every
     * level (old encoders did not sort them; duplicates are still refused), and whatever follows the dictionary
     * counted, not refused. Values themselves stay strict (no leading zeros, no {@code -0}).
     *
     * @param value    the top-level value
     * @param info     where the top-level {@code info} value is encoded (its exact bytes are hashed), or null
     * @param trailing bytes after the top-level value
     * @param infoCanonical whether the {@code info} value's keys are all in canonical order (then its bytes are its
     *                      canonical encoding: everything else is strict), so that no one need encode it again to
     *                      tell
     */
    public record TorrentFile(BValue value, Span info, int trailing, boolean infoCanonical) {
    }

    /** Decodes a .torrent file leniently: see {@link TorrentFile}. */
    public static TorrentFile decodeTorrentFile(byte[] input, BencodeLimits limits) {
        var decoder = new BencodeDecoder(input, limits);
        decoder.anyKeyOrder = true;
        decoder.checkInputLength();
        if (input.length == 0 || input[0] != 'd') {
            BValue value = decoder.value(0);
            return new TorrentFile(value, null, input.length - decoder.pos, true);
        }
        decoder.pos = 1;
        decoder.values = 1;
        var entries = new BDictionary.Owned();
        Span info = null;
        boolean infoCanonical = true;
        BString infoKey = BString.of("info");
        while (decoder.peek() != 'e') {
            int keyOffset = decoder.pos;
            BString k = decoder.key();
            int start = decoder.pos;
            int outOfOrderBefore = decoder.keysOutOfOrder;
            if (entries.put(k, decoder.value(1)) != null) {
                throw new BencodeException("duplicate dictionary key '" + k.text() + "'", keyOffset);
            }
            if (k.equals(infoKey)) {
                info = new Span(start, decoder.pos - start);
                infoCanonical = decoder.keysOutOfOrder == outOfOrderBefore;
            }
        }
        decoder.pos++;
        return new TorrentFile(new BDictionary(entries), info, input.length - decoder.pos, infoCanonical);
    }

    public static BValue decode(byte[] input) {
        return decode(input, BencodeLimits.TORRENT_FILE);
    }

    private void checkInputLength() {
        if (in.length > limits.maxInputLength()) {
            throw new BencodeException("input of " + in.length + " bytes exceeds the limit of "
                    + limits.maxInputLength() + " bytes", limits.maxInputLength());
        }
    }

    private BValue value(int depth) {
        if (++values > limits.maxValues()) {
            throw new BencodeException("more than " + limits.maxValues() + " values", pos);
        }
        int b = peek();
        return switch (b) {
            case 'i' -> integer();
            case 'l' -> list(depth + 1);
            case 'd' -> dictionary(depth + 1);
            default -> {
                if (b >= '0' && b <= '9') {
                    yield string();
                }
                throw new BencodeException("unexpected " + describe(b), pos);
            }
        };
    }

    private BInteger integer() {
        int start = pos;
        pos++; // 'i'
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        int digitsStart = pos;
        long value = 0;
        while (peek() != 'e') {
            int d = peek();
            if (d < '0' || d > '9') {
                throw new BencodeException("unexpected " + describe(d) + " in integer", pos);
            }
            // accumulate negatively so that Long.MIN_VALUE fits
            if (value < (Long.MIN_VALUE + (d - '0')) / 10) {
                throw new BencodeException("integer out of the 64-bit range", start);
            }
            value = value * 10 - (d - '0');
            pos++;
        }
        int digits = pos - digitsStart;
        if (digits == 0) {
            throw new BencodeException("integer without digits", start);
        }
        if (in[digitsStart] == '0' && (digits > 1 || negative)) {
            throw new BencodeException(negative ? "negative zero" : "integer with a leading zero", start);
        }
        pos++; // 'e'
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw new BencodeException("integer out of the 64-bit range", start);
            }
            value = -value;
        }
        return new BInteger(value);
    }

    private BString string() {
        int start = pos;
        long length = 0;
        while (peek() != ':') {
            int d = peek();
            if (d < '0' || d > '9') {
                throw new BencodeException("unexpected " + describe(d) + " in string length", pos);
            }
            length = length * 10 + (d - '0');
            if (length > in.length) {
                throw new BencodeException("string length runs past the end of the input", start);
            }
            pos++;
        }
        if (pos - start > 1 && in[start] == '0') {
            throw new BencodeException("string length with a leading zero", start);
        }
        pos++; // ':'
        if (length > in.length - pos) {
            throw new BencodeException("string of " + length + " bytes runs past the end of the input ("
                    + (in.length - pos) + " bytes left)", start);
        }
        byte[] bytes = Arrays.copyOfRange(in, pos, pos + (int) length);
        pos += (int) length;
        return new BString(bytes);
    }

    private BList list(int depth) {
        checkDepth(depth);
        pos++; // 'l'
        var items = new java.util.ArrayList<BValue>();
        while (peek() != 'e') {
            items.add(value(depth));
        }
        pos++;
        return new BList(items);
    }

    private BDictionary dictionary(int depth) {
        checkDepth(depth);
        pos++; // 'd'
        var entries = new BDictionary.Owned();
        BString previous = null;
        while (peek() != 'e') {
            int keyOffset = pos;
            BString key = key();
            if (!anyKeyOrder) {
                checkOrder(previous, key, keyOffset);
            } else if (previous != null && previous.compareTo(key) > 0) {
                keysOutOfOrder++;
            }
            previous = key;
            if (entries.put(key, value(depth)) != null) {
                throw new BencodeException("duplicate dictionary key '" + key.text() + "'", keyOffset);
            }
        }
        pos++;
        return new BDictionary(entries);
    }

    private BString key() {
        int b = peek();
        if (b < '0' || b > '9') {
            throw new BencodeException("dictionary key must be a string, found " + describe(b), pos);
        }
        if (++values > limits.maxValues()) {
            throw new BencodeException("more than " + limits.maxValues() + " values", pos);
        }
        return string();
    }

    private void checkOrder(BString previous, BString key, int keyOffset) {
        if (previous == null) {
            return;
        }
        int c = previous.compareTo(key);
        if (c == 0) {
            throw new BencodeException("duplicate dictionary key '" + key.text() + "' (non-canonical)", keyOffset);
        }
        if (c > 0) {
            throw new BencodeException("dictionary key '" + key.text() + "' out of order (non-canonical)",
                    keyOffset);
        }
    }

    private void checkDepth(int depth) {
        if (depth > limits.maxDepth()) {
            throw new BencodeException("nesting deeper than " + limits.maxDepth() + " levels", pos);
        }
    }

    private int peek() {
        if (pos >= in.length) {
            throw new BencodeException("unexpected end of input", pos);
        }
        return in[pos] & 0xff;
    }

    private int peekOrEnd() {
        return pos < in.length ? in[pos] & 0xff : -1;
    }

    private void expectEnd() {
        if (pos != in.length) {
            throw new BencodeException("trailing data after the value (" + (in.length - pos) + " bytes)", pos);
        }
    }

    private static String describe(int b) {
        if (b < 0) {
            return "end of input";
        }
        if (b >= 0x20 && b < 0x7f) {
            return "byte '" + (char) b + "'";
        }
        return String.format("byte 0x%02x", b);
    }
}
