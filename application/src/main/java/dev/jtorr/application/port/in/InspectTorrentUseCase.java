package dev.jtorr.application.port.in;

import dev.jtorr.domain.metainfo.MagnetLink;
import dev.jtorr.domain.metainfo.Metainfo;
import java.nio.file.Path;

/** Describes a .torrent file or a magnet link. */
public interface InspectTorrentUseCase {
    /** What was inspected: a parsed torrent file or a parsed magnet link. */
    sealed interface Inspection permits TorrentFile, Magnet {
    }

    record TorrentFile(Path file, Metainfo metainfo) implements Inspection {
    }

    record Magnet(MagnetLink link) implements Inspection {
    }

    /**
     * Parses and validates the target of {@code command}.
     * @throws dev.jtorr.domain.InvalidDataException for a malformed torrent or link
     * @throws dev.jtorr.application.port.out.ContentException for a file that cannot be read
     */
    Inspection inspect(InspectTorrentCommand command);
}
