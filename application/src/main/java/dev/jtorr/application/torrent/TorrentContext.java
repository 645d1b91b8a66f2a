package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.application.port.out.TrackerClient;
import java.util.random.RandomGenerator;

/**
 * The ports and threads a torrent runs with, all shared with the engine's other torrents. {@code disk} hashes
 * finished pieces (and reads what peers ask for), {@code writes} writes the pieces that verified, so that hashing and
 * slow writes never hold up the peers; neither touches torrent state, each posts its results to {@code loop}.
 *
 * @param checkThreads threads that hash at once when a torrent's data is checked again
 */
public record TorrentContext(PeerNetwork network, TrackerClient trackers, Scheduler loop, Scheduler disk,
                             Scheduler writes, TimeSource time, RandomGenerator random, int checkThreads,
                             TorrentHost host) {
}
