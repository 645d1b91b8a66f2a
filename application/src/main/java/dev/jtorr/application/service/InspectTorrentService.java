package dev.jtorr.application.service;

import dev.jtorr.application.port.in.InspectTorrentCommand;
import dev.jtorr.application.port.in.InspectTorrentUseCase;
import dev.jtorr.application.port.out.MetainfoStore;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.metainfo.MagnetLink;
import dev.jtorr.domain.metainfo.MetainfoParser;
import java.nio.file.Path;

/** Reads and validates a .torrent file or a magnet link. */
public final class InspectTorrentService implements InspectTorrentUseCase {
    private final MetainfoStore store;

    public InspectTorrentService(MetainfoStore store) {
        this.store = store;
    }

    @Override
    public Inspection inspect(InspectTorrentCommand command) {
        String target = command.target();
        if (MagnetLink.looksLikeMagnet(target)) {
            return new Magnet(MagnetLink.parse(target));
        }
        Path file = Path.of(target);
        byte[] bytes = store.read(file, BencodeLimits.TORRENT_FILE.maxInputLength());
        return new TorrentFile(file, MetainfoParser.parse(bytes));
    }
}
