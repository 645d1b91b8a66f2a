package dev.jtorr.domain.metainfo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The file names a torrent carries, made safe the way libtorrent makes them on Linux, so that jtorr stores every file
 * under the same name as libtorrent (and qBittorrent, Deluge) and finds data they downloaded. A name from a torrent
 * or from a peer is never trusted, and nothing here refuses a torrent: every name becomes a usable one.
 *
 * <p>Per path element (the raw bytes the torrent holds):
 * <ul>
 *   <li>{@code .} and {@code ..} are dropped, as is an element with nothing left after the rules below; an empty
 *       element becomes {@code _};</li>
 *   <li>{@code /}, {@code \} and NUL inside an element, and the Unicode controls that reverse the writing
 *       direction (U+202A–U+202E, U+200E, U+200F: they disguise {@code gpj.exe} as {@code exe.jpg}), are left
 *       out;</li>
 *   <li>another control character (below U+0020) and each invalid UTF-8 sequence become {@code _};</li>
 *   <li>an element is cut after 240 bytes, keeping an extension of up to 9 bytes, so it stays under 255 (and at
 *       255 bytes whatever happens).</li>
 * </ul>
 * A path whose elements are all dropped becomes {@code _}; a torrent name with nothing left becomes the info-hash in
 * hex. Two files that end up on one path (compared ignoring ASCII case, as libtorrent does), or a file on a path
 * that is another file's folder, are told apart by {@link UniquePaths}. The original spelling stays in {@link
 * FileEntry#torrentPath()}, and {@code jtorr info} lists every renamed file.
 */
public final class FileNames {
    /** Bytes of an element kept before only its extension is added. */
    static final int CUT_AFTER = 240;
    /** The longest file name Linux allows, in bytes. */
    static final int MAX_ELEMENT_BYTES = 255;
    /** How far from an element's end its extension's dot may be. */
    private static final int EXTENSION_REACH = 10;

    private FileNames() {
    }

    /** One element made safe; empty when it is dropped ({@code .}, {@code ..}, or nothing left). */
    public static Optional<String> element(byte[] raw) {
        if (raw.length == 1 && raw[0] == '.') {
            return Optional.empty();
        }
        if (raw.length == 0) {
            return Optional.of("_");
        }
        if (raw.length < CUT_AFTER && plainAscii(raw)) { // most names: nothing to change
            return raw.length <= 2 && raw[0] == '.' && raw[raw.length - 1] == '.' ? Optional.empty()
                    : Optional.of(new String(raw, StandardCharsets.ISO_8859_1));
        }
        var out = new ByteArrayOutputStream(raw.length);
        int added = 0;
        int dots = 0;
        boolean extension = false;
        int i = 0;
        while (i < raw.length) {
            int start = i;
            int codePoint = Utf8.codePoint(raw, i);
            i = Math.min(raw.length, i + Utf8.sequenceLength(raw, i));
            if (codePoint >= 0 && leftOut(codePoint)) {
                continue;
            }
            if (codePoint < 0x20) { // an invalid sequence (-1) too
                out.write('_');
                added++;
                continue;
            }
            out.write(raw, start, i - start);
            dots += codePoint == '.' ? 1 : 0;
            added += i - start;
            if (added >= CUT_AFTER && !extension) {
                int dot = -1;
                for (int j = raw.length - 1; j > Math.max(raw.length - EXTENSION_REACH, start); j--) {
                    if (raw[j] == '.') {
                        dot = j;
                        break;
                    }
                }
                if (dot < 0) {
                    break;
                }
                extension = true;
                i = dot;
            }
        }
        if (added == dots && added <= 2) {
            return Optional.empty();
        }
        String kept = out.toString(StandardCharsets.UTF_8);
        // libtorrent checks the cut only after a valid character, so a run of invalid ones ('_' each) can carry an
        // element past what Linux allows; such a name it could not create either, so cutting it costs nothing
        return Optional.of(out.size() <= MAX_ELEMENT_BYTES ? kept : cut(kept));
    }

    /** A file's path below the torrent's folder, from the torrent's elements: see the class description. */
    public static List<String> path(List<byte[]> raw) {
        var out = new ArrayList<String>(raw.size());
        for (byte[] e : raw) {
            element(e).ifPresent(out::add);
        }
        if (out.isEmpty()) {
            out.add("_");
        }
        return out;
    }

    /** The torrent's name (its folder, or its one file): {@code infoHashHex}, asked only then, when nothing of it is left. */
    public static String name(byte[] raw, java.util.function.Supplier<String> infoHashHex) {
        return element(raw).orElseGet(infoHashHex);
    }

    /** {@link #path} for names already decoded (a folder read from disk, say). */
    public static List<String> pathOf(List<String> elements) {
        return path(elements.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** The longest prefix of {@code s} (whole characters) that fits in {@value #MAX_ELEMENT_BYTES} bytes. */
    private static String cut(String s) {
        int bytes = 0;
        int end = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > MAX_ELEMENT_BYTES) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    /** Printable ASCII only, without {@code /} and {@code \}: kept as it is by every rule. */
    private static boolean plainAscii(byte[] raw) {
        for (byte b : raw) {
            if (b < 0x20 || b > 0x7e || b == '/' || b == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean leftOut(int codePoint) {
        return codePoint == 0 || codePoint == '/' || codePoint == '\\'
                || (codePoint >= 0x202a && codePoint <= 0x202e) || codePoint == 0x200e || codePoint == 0x200f;
    }

    /**
     * UTF-8 read as libtorrent reads it: a sequence with a bad lead byte is one byte long; otherwise it is as long as
     * its lead byte says (5 for the obsolete {@code 111110xx}), and invalid when a continuation byte is wrong, when
     * it is overlong, a surrogate or past U+10FFFF, or when the input ends inside it.
     */
    private static final class Utf8 {
        static int sequenceLength(byte[] b, int at) {
            int lead = b[at] & 0xff;
            if (lead < 0x80) {
                return 1;
            }
            if ((lead >> 5) == 0b110) {
                return 2;
            }
            if ((lead >> 4) == 0b1110) {
                return 3;
            }
            if ((lead >> 3) == 0b11110) {
                return 4;
            }
            return (lead >> 2) == 0b111110 ? 5 : 1;
        }

        /** The code point at {@code at}, or -1 when the sequence there is invalid. */
        static int codePoint(byte[] b, int at) {
            int lead = b[at] & 0xff;
            int length = sequenceLength(b, at);
            if (length == 1) {
                return lead < 0x80 ? lead : -1;
            }
            if (length > 4 || at + length > b.length) {
                return -1;
            }
            int cp = lead & (0xff >> (length + 1));
            for (int k = 1; k < length; k++) {
                int c = b[at + k] & 0xff;
                if (c < 0x80 || c > 0xbf) {
                    return -1;
                }
                cp = (cp << 6) | (c & 0x3f);
            }
            int least = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
            if (cp < least || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return -1;
            }
            return cp;
        }
    }
}
