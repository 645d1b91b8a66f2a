package dev.jtorr.application.service;

import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.SeedTorrentCommand;
import dev.jtorr.application.port.in.SeedTorrentUseCase;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.piece.Bitfield;

/** Seeds a torrent's data from where it lies, after checking it (unless told to trust it). */
public final class SeedTorrentService implements SeedTorrentUseCase {
    private final SwarmRuntime runtime;

    public SeedTorrentService(SwarmRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public TorrentHandle start(SeedTorrentCommand command) {
        Metainfo metainfo = runtime.readSwarmTorrent(command.torrent());
        TorrentStorage storage = runtime.storage().open(metainfo, command.content(), false);
        try {
            int pieces = metainfo.info().pieceCount();
            Bitfield have = command.skipCheck() ? Bitfield.full(pieces)
                    : new ExistingDataCheck(metainfo, storage, runtime.progress(), runtime.checkThreads()).run(false);
            if (!have.isComplete()) {
                throw new InvalidCommandException(command.content() + " does not match " + command.torrent() + ": "
                        + (pieces - have.count()) + " of " + pieces + " pieces are missing or wrong (see jtorr verify)");
            }
            var session = new TorrentSession(metainfo, storage, have, command.options(), true,
                    runtime.context("jtorr-seed-" + metainfo.info().name()));
            session.start();
            return session.handle();
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }
}
