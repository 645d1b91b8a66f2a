package dev.jtorr.application.port.in;

/**
 * Downloads a torrent from its peers in parallel over the v1 wire (BEP 3), verifying every piece before it is
 * written, resuming from data already on disk.
 */
public interface DownloadTorrentUseCase {
    /**
     * Checks existing data, then starts the session and returns at once.
     *
     * @throws InvalidCommandException for a torrent that cannot be downloaded this way (e.g. v2-only)
     * @throws dev.jtorr.application.port.out.StorageException when the output cannot be used
     * @throws dev.jtorr.application.port.out.NetworkException when no port can be bound
     */
    TorrentHandle start(DownloadTorrentCommand command);

    /**
     * Starts several torrents in one engine: one listening port and one set of threads for all of them, the limits
     * of the first command's options as totals. If one cannot start, those already started are stopped.
     */
    java.util.List<TorrentHandle> startAll(java.util.List<DownloadTorrentCommand> commands);
}
