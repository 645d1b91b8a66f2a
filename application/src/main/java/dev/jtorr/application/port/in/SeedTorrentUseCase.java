package dev.jtorr.application.port.in;

/** Seeds a torrent's original data to the swarm until closed. */
public interface SeedTorrentUseCase {
    /**
     * Checks the data (unless told to trust it), then starts the session and returns at once.
     *
     * @throws InvalidCommandException when the data does not match the torrent
     */
    TorrentHandle start(SeedTorrentCommand command);

    /**
     * Starts several torrents in one engine: one listening port and one set of threads for all of them, the limits
     * of the first command's options as totals. If one cannot start, those already started are stopped.
     */
    java.util.List<TorrentHandle> startAll(java.util.List<SeedTorrentCommand> commands);
}
