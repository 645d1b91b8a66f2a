package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.piece.PieceLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The info dictionary of a torrent (BEP 3, 47, 52), validated.
 *
 * @param name        the suggested name of the file (single-file) or folder, sanitised like every file name
 * @param pieceLength bytes per piece; for v2 and hybrid a power of two of at least 16 KiB
 * @param version     v1, v2 or hybrid
 * @param isPrivate   BEP 27: peers only from the torrent's trackers
 * @param source      BEP 27's {@code source} field, if any
 * @param singleFile  the torrent is one file named {@code name}, not a folder
 * @param files       every file in stream order, pad files included; paths start with {@code name}
 * @param pieces      v1: the SHA-1 hashes of the pieces, 20 bytes each; empty for v2-only torrents
 */
public record InfoDictionary(String name, long pieceLength, TorrentVersion version, boolean isPrivate,
                             Optional<String> source, boolean singleFile, List<FileEntry> files, byte[] pieces) {
    public InfoDictionary {
        files = List.copyOf(files);
        pieces = pieces.clone();
        requireOnePathEach(files);
    }

    /**
     * Storage maps each file to its path: two files on one path, or a file on another's folder, would mix their
     * bytes. {@link UniquePaths} prevents it for parsed torrents; this holds every other way of building one to it.
     */
    private static void requireOnePathEach(List<FileEntry> files) {
        var paths = new java.util.HashSet<String>();
        var folders = new java.util.HashSet<String>();
        String parent = null;
        for (FileEntry f : files) {
            if (f.isPadding()) {
                continue;
            }
            String path = f.pathString();
            parent = UniquePaths.addFolders(path, parent, folders::add);
            if (!paths.add(path)) {
                throw new IllegalArgumentException("two files on one path: " + path);
            }
        }
        for (String p : paths) {
            if (folders.contains(p)) {
                throw new IllegalArgumentException("a file on another file's folder: " + p);
            }
        }
    }

    @Override
    public byte[] pieces() {
        return pieces.clone();
    }

    /** Whether {@code sha1} (20 bytes) is the v1 hash of piece {@code piece}; compares in place, without a copy. */
    public boolean pieceHashIs(int piece, byte[] sha1) {
        return Arrays.equals(sha1, 0, 20, pieces, piece * 20, piece * 20 + 20);
    }

    /** The files a user sees: every file but the pad files. */
    public List<FileEntry> userFiles() {
        return files.stream().filter(f -> !f.isPadding()).toList();
    }

    /** Bytes of user data, pad files excluded. */
    public long totalLength() {
        return userFiles().stream().mapToLong(FileEntry::length).sum();
    }

    /** Bytes of the piece stream, pad files included. */
    public long streamLength() {
        return FileLayout.streamLength(files);
    }

    /** Where each piece lies in the files. */
    public PieceLayout pieceLayout() {
        int n = files.size();
        long[] offsets = new long[n];
        long[] lengths = new long[n];
        boolean[] padding = new boolean[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = files.get(i).offset();
            lengths[i] = files.get(i).length();
            padding[i] = files.get(i).isPadding();
        }
        return new PieceLayout(offsets, lengths, padding, pieceLength, version == TorrentVersion.V2);
    }

    public int pieceCount() {
        return (int) ((streamLength() + pieceLength - 1) / pieceLength);
    }
}
