package dev.jtorr.application.service;

import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.DownloadTorrentCommand;
import dev.jtorr.application.port.in.DownloadTorrentUseCase;
import dev.jtorr.application.port.in.TorrentHandle;
import java.util.List;

/**
 * Downloads into {@code <output>/<name>}, resuming from what is there. Each call runs its torrents in an engine of
 * their own, which closes once they have all stopped.
 */
public final class DownloadTorrentService implements DownloadTorrentUseCase {
    private final SwarmRuntime runtime;

    public DownloadTorrentService(SwarmRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public TorrentHandle start(DownloadTorrentCommand command) {
        return startAll(List.of(command)).get(0);
    }

    @Override
    public List<TorrentHandle> startAll(List<DownloadTorrentCommand> commands) {
        return OwnEngine.startAll(runtime, commands, DownloadTorrentCommand::options,
                (engine, c) -> engine.download(c.torrent(), c.output(), c.options(), c.seed(), c.select()));
    }
}
