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
        var paths = new String[files.size()];
        Map<String, Integer> taken = new HashMap<>(); // lower-cased path -> file index, or -1 for a folder
        String parent = null;
        for (int i = 0; i < paths.length; i++) {
            paths[i] = files.get(i).pathString();
            parent = addFolders(paths[i], parent, folder -> taken.putIfAbsent(key(folder), -1));
        }
        var out = new ArrayList<FileEntry>(files.size());
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            String path = paths[i];
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

    /**
     * Gives {@code folder} every folder of {@code path} ({@code a}, {@code a/b} of {@code a/b/c}) unless its parent
     * folder is {@code previousParent} (a torrent lists the files of a folder together, so most share the last
     * one's); returns the parent folder of {@code path}, or null for a top-level file.
     */
    static String addFolders(String path, String previousParent, java.util.function.Consumer<String> folder) {
        int last = path.lastIndexOf('/');
        if (last < 0) {
            return null;
        }
        if (previousParent != null && previousParent.length() == last && path.startsWith(previousParent)) {
            return previousParent;
        }
        for (int slash = path.indexOf('/'); slash >= 0 && slash <= last; slash = path.indexOf('/', slash + 1)) {
            folder.accept(path.substring(0, slash));
        }
        return path.substring(0, last);
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
        int i = 0;
        while (i < path.length() && (path.charAt(i) < 'A' || path.charAt(i) > 'Z')) {
            i++;
        }
        if (i == path.length()) {
            return path;
        }
        var b = new StringBuilder(path.length()).append(path, 0, i);
        for (; i < path.length(); i++) {
            char c = path.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }
}
