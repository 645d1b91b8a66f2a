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
 * @param symlinkTarget a BEP 47 symbolic link ({@code l}): the path it points to, from the torrent's folder down,
 *                     sanitised like every path (so it cannot leave the folder); the link holds no data
 */
public record FileEntry(List<String> path, List<String> torrentPath, long length, long offset, String attributes,
                        Optional<Digest> piecesRoot, Optional<List<String>> symlinkTarget) {
    public FileEntry {
        path = List.copyOf(path);
        torrentPath = List.copyOf(torrentPath);
        symlinkTarget = symlinkTarget.map(List::copyOf);
        if (length < 0 || offset < 0) {
            throw new IllegalArgumentException("negative file length or offset");
        }
        if (symlinkTarget.isPresent() && length != 0) {
            throw new IllegalArgumentException("a symbolic link holds no data");
        }
    }

    /** A file (not a link). */
    public FileEntry(List<String> path, List<String> torrentPath, long length, long offset, String attributes,
                     Optional<Digest> piecesRoot) {
        this(path, torrentPath, length, offset, attributes, piecesRoot, Optional.empty());
    }

    public FileEntry withPath(List<String> newPath) {
        return new FileEntry(newPath, torrentPath, length, offset, attributes, piecesRoot, symlinkTarget);
    }

    public FileEntry withOffset(long newOffset) {
        return new FileEntry(path, torrentPath, length, newOffset, attributes, piecesRoot, symlinkTarget);
    }

    public FileEntry withPiecesRoot(Optional<Digest> root) {
        return new FileEntry(path, torrentPath, length, offset, attributes, root, symlinkTarget);
    }

    /** A BEP 47 symbolic link: created, never written to. */
    public boolean isSymlink() {
        return symlinkTarget.isPresent();
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
