package dev.jtorr.domain.metainfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rules for the file names a torrent carries. A name from a torrent is never trusted.
 *
 * <p><b>Rejected</b> (a {@link MetainfoException}), because no renaming makes them mean what the author meant and
 * they are the tools of path traversal: an empty path or component, {@code .} and {@code ..}, a component that
 * holds {@code /} or {@code \} (so absolute paths and drive-relative tricks too), NUL or another control character
 * (U+0000–U+001F, U+007F), and a component longer than 255 bytes of UTF-8.
 *
 * <p><b>Sanitised</b>, as libtorrent and Transmission also do, because many real torrents carry them and they are
 * harmless on Linux yet invalid on Windows or FAT: the characters {@code < > : " | ? *} become {@code _}, a trailing
 * dot or space becomes {@code _}, a reserved device name ({@code CON}, {@code PRN}, {@code AUX}, {@code NUL},
 * {@code COM1}–{@code COM9}, {@code LPT1}–{@code LPT9}, with or without an extension) gets a {@code _} appended, and
 * bytes that are not UTF-8 become U+FFFD. A sanitised entry keeps its original spelling in
 * {@link FileEntry#torrentPath()} and {@code jtorr info} lists it as renamed.
 */
public final class FileNames {
    static final int MAX_COMPONENT_BYTES = 255;
    private static final Set<String> DEVICE_NAMES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private FileNames() {
    }

    /** Checks every component (see class doc) and returns the sanitised path. */
    public static List<String> safePath(List<String> components) {
        if (components.isEmpty()) {
            throw new MetainfoException("empty file path");
        }
        var out = new ArrayList<String>(components.size());
        for (String c : components) {
            out.add(safeComponent(c, components));
        }
        return out;
    }

    /** Checks one component (see class doc) and returns it sanitised. */
    public static String safeComponent(String component, List<String> wholePath) {
        String shown = String.join("/", wholePath);
        if (component.isEmpty()) {
            throw new MetainfoException("empty component in file path: \"" + shown + "\"");
        }
        if (component.equals(".") || component.equals("..")) {
            throw new MetainfoException("file name escapes the download folder: \"" + shown + "\"");
        }
        if (component.indexOf('/') >= 0 || component.indexOf('\\') >= 0) {
            throw new MetainfoException("path separator inside a file name: \"" + shown + "\"");
        }
        for (int i = 0; i < component.length(); i++) {
            char ch = component.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw new MetainfoException(String.format("control character U+%04X in file name: \"%s\"",
                        (int) ch, shown.replaceAll("\\p{Cntrl}", "?")));
            }
        }
        if (component.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
            throw new MetainfoException("file name longer than " + MAX_COMPONENT_BYTES + " bytes: \""
                    + component.substring(0, 40) + "...\"");
        }
        return portable(component);
    }

    private static String portable(String component) {
        var sb = new StringBuilder(component.length() + 1);
        for (int i = 0; i < component.length(); i++) {
            char ch = component.charAt(i);
            sb.append("<>:\"|?*".indexOf(ch) >= 0 ? '_' : ch);
        }
        char last = sb.charAt(sb.length() - 1);
        if (last == '.' || last == ' ') {
            sb.setCharAt(sb.length() - 1, '_');
        }
        int dot = sb.indexOf(".");
        String stem = (dot < 0 ? sb.toString() : sb.substring(0, dot)).toUpperCase(Locale.ROOT);
        if (DEVICE_NAMES.contains(stem)) {
            sb.insert(dot < 0 ? sb.length() : dot, '_');
        }
        return sb.toString();
    }
}
