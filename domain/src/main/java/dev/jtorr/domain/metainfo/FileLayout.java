package dev.jtorr.domain.metainfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Places files in a torrent's byte stream. A v1 torrent packs files back to back, so pieces span file boundaries.
 * A v2 or hybrid torrent starts every file that has data on a piece boundary: a hybrid torrent says so with BEP 47
 * pad files ({@code .pad/N}, attribute {@code p}) after every file but the last; a v2 torrent has no v1 file list,
 * and the same pad entries stand for the gaps in its stream. Empty files need no padding.
 */
public final class FileLayout {
    private FileLayout() {
    }

    /**
     * The order of files in a torrent: component by component, as UTF-8 bytes, which is the order of a BEP 52 file
     * tree (a bencoded dictionary) and so the only order a v2 or hybrid torrent can have.
     */
    public static int compareFileTreeOrder(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = java.util.Arrays.compareUnsigned(a.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    b.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** The files (their offsets ignored) placed in order, with pad entries where {@code version} needs them. */
    public static List<FileEntry> place(List<FileEntry> files, long pieceLength, TorrentVersion version) {
        var out = new ArrayList<FileEntry>(files.size() * 2);
        long offset = 0;
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            out.add(f.withOffset(offset));
            offset = add(offset, f.length());
            long gap = Math.floorMod(-offset, pieceLength);
            if (version.hasV2() && i < files.size() - 1 && gap != 0) {
                out.add(padEntry(f.path().get(0), gap, offset));
                offset = add(offset, gap);
            }
        }
        return out;
    }

    /** A pad file {@code folder/.pad/N}, as libtorrent names them. */
    private static long add(long offset, long length) {
        try {
            return Math.addExact(offset, length);
        } catch (ArithmeticException e) {
            throw new MetainfoException("the files add up to more than 2^63 bytes");
        }
    }

    public static FileEntry padEntry(String folder, long length, long offset) {
        List<String> path = List.of(folder, ".pad", Long.toString(length));
        return new FileEntry(path, path, length, offset, "p", Optional.empty());
    }

    /** Total bytes of the stream the files occupy, pad files included. */
    public static long streamLength(List<FileEntry> files) {
        return files.isEmpty() ? 0 : files.get(files.size() - 1).end();
    }
}
