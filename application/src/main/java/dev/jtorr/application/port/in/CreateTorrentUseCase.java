package dev.jtorr.application.port.in;

import dev.jtorr.domain.metainfo.Metainfo;
import java.nio.file.Path;

/** Makes a .torrent file from content on disk (BEP 3, 47, 52), hashing with every core. */
public interface CreateTorrentUseCase {
    /** The torrent written and where. */
    record CreatedTorrent(Path file, Metainfo metainfo) {
    }

    /**
     * @throws InvalidCommandException for arguments that break the rules
     * @throws dev.jtorr.application.port.out.ContentException for content that cannot be read or a file that
     *         cannot be written
     */
    CreatedTorrent create(CreateTorrentCommand command);
}
