package dev.jtorr.domain.metainfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every file of a torrent a path of its own, as libtorrent does, so that both clients store the same files
 * under the same names. Paths are compared ignoring ASCII case (what a case-insensitive file system would merge).
 * Every folder that holds a file is taken first, so a file never lands on a folder; then the files in torrent
 * order: one whose path is taken is renamed {@code name.1.ext} ({@code .2}, ... while those are taken too), the
 * number going before the last extension. Pad files of the same size may share a path (they are never written).
 */
public final class UniquePaths {
    private UniquePaths() {
    }

    /** {@code files} with the paths that collide renamed; the others as they are. */
    public static List<FileEntry> of(List<FileEntry> files) {
        Map<String, Integer> taken = new HashMap<>(); // lower-cased path -> file index, or -1 for a folder
        for (FileEntry f : files) {
            for (int k = 1; k < f.path().size(); k++) {
                taken.putIfAbsent(key(String.join("/", f.path().subList(0, k))), -1);
            }
        }
        var out = new ArrayList<FileEntry>(files.size());
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            String path = f.pathString();
            Integer other = taken.putIfAbsent(key(path), i);
            if (other == null || (other >= 0 && samePadding(f, files.get(other)))) {
                out.add(f);
                continue;
            }
            String base = withoutExtension(path);
            String extension = path.substring(base.length());
            String renamed;
            int n = 0;
            do {
                renamed = base + "." + ++n + extension;
            } while (taken.putIfAbsent(key(renamed), i) != null);
            out.add(f.withPath(Arrays.asList(renamed.split("/", -1))));
        }
        return out;
    }

    private static boolean samePadding(FileEntry a, FileEntry b) {
        return a.isPadding() && b.isPadding() && a.length() == b.length();
    }

    /** The path up to the last dot of its last element (a leading dot counts: {@code d/.bashrc} gives {@code d/}). */
    static String withoutExtension(String path) {
        int dot = path.lastIndexOf('.');
        return dot <= 0 || dot < path.lastIndexOf('/') ? path : path.substring(0, dot);
    }

    private static String key(String path) {
        var b = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }
}
