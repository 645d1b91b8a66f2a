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
            case BString s -> writeString(s, out);
            case BInteger i -> ascii(out, "i" + i.value() + "e");
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
                    writeString(e.getKey(), out);
                    write(e.getValue(), out);
                }
                out.write('e');
            }
        }
    }

    private static void writeString(BString s, ByteArrayOutputStream out) {
        byte[] bytes = s.bytes();
        ascii(out, bytes.length + ":");
        out.writeBytes(bytes);
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
