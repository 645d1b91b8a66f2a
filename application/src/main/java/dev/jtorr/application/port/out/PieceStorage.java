package dev.jtorr.application.port.out;

import dev.jtorr.domain.metainfo.FileSelection;
import dev.jtorr.domain.metainfo.Metainfo;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a torrent's files live: opens them for reading pieces and writing verified ones. File names come from the
 * torrent and are never trusted: an implementation refuses any file that would land outside {@code content}.
 */
public interface PieceStorage {
    /**
     * Opens a torrent's files.
     *
     * @param content      the file itself (single-file torrent) or the folder that stands for the torrent's name
     * @param create       create missing folders and files as pieces are written (download); otherwise only read
     *                     (seed, verify)
     * @param resumeFolder where the torrent's fast-resume record is kept; empty for none. A folder that cannot be
     *                     created or written means no record (it only saves a check), not an error. A record is
     *                     trusted only for the same selection.
     * @param selection    the wanted files: unwanted ones are never created; the bytes of a wanted piece that fall in
     *                     an unwanted file are kept in {@code resumeFolder} (never in the user's files), and read
     *                     back from there
     * @throws StorageException when the location cannot be used
     */
    TorrentStorage open(Metainfo metainfo, Path content, boolean create, Optional<Path> resumeFolder,
                        FileSelection selection);

    /** Opens a torrent's files, every one of them wanted. */
    default TorrentStorage open(Metainfo metainfo, Path content, boolean create, Optional<Path> resumeFolder) {
        return open(metainfo, content, create, resumeFolder, FileSelection.all());
    }

    /**
     * Opens a torrent's files; a download keeps its fast-resume record in {@code .jtorr/} beside {@code content},
     * nothing else keeps one.
     */
    default TorrentStorage open(Metainfo metainfo, Path content, boolean create) {
        return open(metainfo, content, create,
                create ? Optional.of(content.toAbsolutePath().normalize().resolveSibling(".jtorr")) : Optional.empty());
    }
}
