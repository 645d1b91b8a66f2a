package dev.jtorr.domain.tracker;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A tracker's answer to an announce, as a client sees it (BEP 3, 7, 15, 23).
 *
 * @param interval    how long to wait before the next regular announce
 * @param minInterval the tracker's floor for announces, when it gives one
 * @param trackerId   to echo in later announces, when given
 * @param seeders     peers with the whole torrent, or -1 when not reported
 * @param leechers    peers still downloading, or -1 when not reported
 * @param peers       peers to dial (IPv4 and IPv6)
 * @param warning     a {@code warning message} to show the user, when given
 */
public record AnnounceReply(Duration interval, Optional<Duration> minInterval, Optional<String> trackerId,
                            int seeders, int leechers, List<PeerAddress> peers, Optional<String> warning) {
    public AnnounceReply {
        peers = List.copyOf(peers);
    }
}
