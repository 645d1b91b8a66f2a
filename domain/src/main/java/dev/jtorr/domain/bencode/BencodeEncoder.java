package dev.jtorr.domain.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Canonical bencode encoder: dictionary keys ascending as raw bytes, integers in shortest form. Stateless. */
public final class BencodeEncoder {
    private BencodeEncoder() {
    }

    public static byte[] encode(BValue value) {
        var out = new ByteArrayOutputStream();
        write(value, out);
        return out.toByteArray();
    }

    private static void write(BValue value, ByteArrayOutputStream out) {
        switch (value) {
            case BString s -> s.encodeTo(out);
            case BInteger i -> {
                out.write('i');
                decimal(out, i.value());
                out.write('e');
            }
            case BList l -> {
                out.write('l');
                for (BValue v : l.values()) {
                    write(v, out);
                }
                out.write('e');
            }
            case BDictionary d -> {
                out.write('d');
                for (Map.Entry<BString, BValue> e : d.entries().entrySet()) {
                    e.getKey().encodeTo(out);
                    write(e.getValue(), out);
                }
                out.write('e');
            }
        }
    }

    /** Writes {@code value} in decimal ASCII, shortest form. */
    static void decimal(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                out.writeBytes(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write('-');
            value = -value;
        }
        var digits = new byte[19];
        int at = digits.length;
        do {
            digits[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        out.write(digits, at, digits.length - at);
    }
}
