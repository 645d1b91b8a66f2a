package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.extension.Extension;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The ports and threads a torrent runs with, all shared with the engine's other torrents. {@code disk} hashes
 * finished pieces (and reads what peers ask for), {@code writes} writes the pieces that verified, so that hashing and
 * slow writes never hold up the peers; neither touches torrent state, each posts its results to {@code loop}.
 *
 * @param checkThreads threads that hash at once when a torrent's data is checked again
 * @param extensions   the BEP 10 extensions each torrent gets an instance of
 */
public record TorrentContext(PeerNetwork network, TrackerClient trackers, Scheduler loop, Scheduler disk,
                             Scheduler writes, TimeSource time, RandomGenerator random, int checkThreads,
                             List<Extension.Factory> extensions, TorrentHost host) {
    public TorrentContext {
        extensions = List.copyOf(extensions);
    }
}
