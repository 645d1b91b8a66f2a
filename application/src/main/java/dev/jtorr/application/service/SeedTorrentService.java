package dev.jtorr.application.service;

import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.SeedTorrentCommand;
import dev.jtorr.application.port.in.SeedTorrentUseCase;
import dev.jtorr.application.port.in.TorrentHandle;
import java.util.List;

/**
 * Seeds torrents' data from where it lies, after checking it (unless told to trust it). Each call runs its torrents
 * in an engine of their own, which closes once they have all stopped.
 */
public final class SeedTorrentService implements SeedTorrentUseCase {
    private final SwarmRuntime runtime;

    public SeedTorrentService(SwarmRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public TorrentHandle start(SeedTorrentCommand command) {
        return startAll(List.of(command)).get(0);
    }

    @Override
    public List<TorrentHandle> startAll(List<SeedTorrentCommand> commands) {
        return OwnEngine.startAll(runtime, commands, SeedTorrentCommand::options,
                (engine, c) -> engine.seed(c.torrent(), c.content(), c.options(), c.skipCheck()));
    }
}
