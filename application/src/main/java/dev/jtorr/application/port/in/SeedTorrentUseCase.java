package dev.jtorr.application.port.in;

/** Seeds a torrent's original data to the swarm until closed. */
public interface SeedTorrentUseCase {
    /**
     * Checks the data (unless told to trust it), then starts the session and returns at once.
     *
     * @throws InvalidCommandException when the data does not match the torrent
     */
    TorrentHandle start(SeedTorrentCommand command);
}
