package dev.jtorr.application.service;

import dev.jtorr.application.port.in.DownloadTorrentCommand;
import dev.jtorr.application.port.in.DownloadTorrentUseCase;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.piece.Bitfield;

/** Downloads into {@code <output>/<name>}, resuming from what is there. */
public final class DownloadTorrentService implements DownloadTorrentUseCase {
    private final SwarmRuntime runtime;

    public DownloadTorrentService(SwarmRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public TorrentHandle start(DownloadTorrentCommand command) {
        Metainfo metainfo = runtime.readSwarmTorrent(command.torrent());
        TorrentStorage storage = runtime.storage().open(metainfo,
                command.output().resolve(metainfo.info().name()), true);
        try {
            Bitfield have = new ExistingDataCheck(metainfo, storage, runtime.progress(), runtime.checkThreads())
                    .run(true);
            var session = new TorrentSession(metainfo, storage, have, command.options(), command.seed(),
                    runtime.context("jtorr-download-" + metainfo.info().name()));
            session.start();
            if (command.options().peers().isEmpty()
                    && command.options().trackerTiers(metainfo.trackers()).isEmpty() && !have.isComplete()) {
                runtime.progress().notice("no way to find peers: the torrent names no tracker and no --peer was "
                        + "given, so only peers that connect to port " + session.handle().port() + " will be found; "
                        + "add --peer HOST:PORT or --tracker URL");
            }
            return session.handle();
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }
}
