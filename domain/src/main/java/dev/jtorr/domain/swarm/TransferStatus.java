package dev.jtorr.domain.swarm;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of one torrent's transfer.
 *
 * @param phase          checking existing data, downloading, seeding, or done
 * @param verifiedBytes  bytes of user data in verified pieces
 * @param totalBytes     bytes of user data in the torrent
 * @param downloadRate   bytes per second received (payload), over the last seconds
 * @param uploadRate     bytes per second sent (payload)
 * @param downloaded     payload bytes received so far, duplicates and failed pieces included
 * @param uploaded       payload bytes sent so far
 * @param peers          peers connected
 * @param failedPieces   pieces whose hash failed
 * @param bannedPeers    peers banned for sending bad data or abuse
 * @param eta            time left at the current rate, when it can be guessed
 */
public record TransferStatus(Phase phase, long verifiedBytes, long totalBytes, long downloadRate, long uploadRate,
                             long downloaded, long uploaded, int peers, int failedPieces, int bannedPeers,
                             Optional<Duration> eta) {
    public enum Phase { CHECKING, DOWNLOADING, SEEDING, DONE }

    /** Percent of user data verified, 0 to 100. */
    public double percent() {
        return totalBytes == 0 ? 100.0 : 100.0 * verifiedBytes / totalBytes;
    }
}
