package dev.jtorr.application.port.out;

import dev.jtorr.domain.metainfo.Metainfo;
import java.nio.file.Path;

/**
 * Where a torrent's files live: opens them for reading pieces and writing verified ones. File names come from the
 * torrent and are never trusted: an implementation refuses any file that would land outside {@code content}.
 */
public interface PieceStorage {
    /**
     * Opens a torrent's files.
     *
     * @param content the file itself (single-file torrent) or the folder that stands for the torrent's name
     * @param create  create missing folders and files as pieces are written (download); otherwise only read (seed,
     *                verify)
     * @throws StorageException when the location cannot be used
     */
    TorrentStorage open(Metainfo metainfo, Path content, boolean create);
}
