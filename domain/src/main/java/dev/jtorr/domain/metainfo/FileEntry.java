package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.piece.Digest;
import java.util.List;
import java.util.Optional;

/**
 * One file of a torrent, placed in the torrent's byte stream.
 *
 * @param path         safe relative path components, below the torrent's folder (see {@link FileNames})
 * @param torrentPath  the components as the torrent spells them; differs from {@code path} only when a name was
 *                     sanitised for portability
 * @param length       size in bytes
 * @param offset       where the file starts in the torrent's byte stream (for v2 and hybrid torrents every file
 *                     with data starts on a piece boundary)
 * @param attributes   BEP 47 attributes: {@code p} pad, {@code x} executable, {@code h} hidden, {@code l} symlink
 * @param piecesRoot   v2 merkle root of the file; empty for v1-only torrents, pad files and empty files
 */
public record FileEntry(List<String> path, List<String> torrentPath, long length, long offset, String attributes,
                        Optional<Digest> piecesRoot) {
    public FileEntry {
        path = List.copyOf(path);
        torrentPath = List.copyOf(torrentPath);
        if (length < 0 || offset < 0) {
            throw new IllegalArgumentException("negative file length or offset");
        }
    }

    /** A BEP 47 pad file: zeros that align the next file to a piece boundary; never written nor shown. */
    public boolean isPadding() {
        return attributes.indexOf('p') >= 0;
    }

    public boolean isExecutable() {
        return attributes.indexOf('x') >= 0;
    }

    public boolean isRenamed() {
        return !path.equals(torrentPath);
    }

    public long end() {
        return offset + length;
    }

    public String pathString() {
        return String.join("/", path);
    }
}
