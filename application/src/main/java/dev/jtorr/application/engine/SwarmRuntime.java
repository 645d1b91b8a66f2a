package dev.jtorr.application.engine;

import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.application.port.out.LocalDiscovery;
import dev.jtorr.application.port.out.MetainfoStore;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.PieceStorage;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.SchedulerFactory;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.metainfo.TorrentVersion;
import java.nio.file.Path;
import java.util.random.RandomGenerator;

/**
 * The ports an engine runs on ({@code dht} is {@link DhtNetwork#OFF} unless the DHT is wanted, {@code lsd}
 * {@link LocalDiscovery#OFF} unless local service discovery is), and the steps the swarm use cases share: read a
 * torrent, check it can go over the v1 wire.
 */
public record SwarmRuntime(MetainfoStore metainfoStore, PieceStorage storage, PeerNetwork network,
                           TrackerClient trackers, SchedulerFactory schedulers, TimeSource time,
                           RandomGenerator random, ProgressListener progress, int checkThreads, DhtNetwork dht,
                           LocalDiscovery lsd) {

    /** A runtime without local service discovery. */
    public SwarmRuntime(MetainfoStore metainfoStore, PieceStorage storage, PeerNetwork network, TrackerClient trackers,
                        SchedulerFactory schedulers, TimeSource time, RandomGenerator random,
                        ProgressListener progress, int checkThreads, DhtNetwork dht) {
        this(metainfoStore, storage, network, trackers, schedulers, time, random, progress, checkThreads, dht,
                LocalDiscovery.OFF);
    }

    /** A runtime without the DHT and local service discovery. */
    public SwarmRuntime(MetainfoStore metainfoStore, PieceStorage storage, PeerNetwork network, TrackerClient trackers,
                        SchedulerFactory schedulers, TimeSource time, RandomGenerator random,
                        ProgressListener progress, int checkThreads) {
        this(metainfoStore, storage, network, trackers, schedulers, time, random, progress, checkThreads,
                DhtNetwork.OFF);
    }

    /** Reads and parses a torrent; what was odd but accepted in it becomes a notice. */
    public Metainfo readTorrent(Path torrent) {
        if (torrent.toString().startsWith("magnet:")) {
            throw new InvalidCommandException("this needs a .torrent file, not a magnet link: `jtorr download` "
                    + "resolves a magnet link into torrents/NAME.torrent");
        }
        Metainfo m = MetainfoParser.parse(metainfoStore.read(torrent, BencodeLimits.TORRENT_FILE.maxInputLength()));
        m.warnings().forEach(w -> progress.notice(torrent + ": " + w));
        return m;
    }

    /**
     * Reads a torrent whose pieces can be checked as they come: v1 and hybrid torrents by their SHA-1 hashes, v2-only
     * ones by their piece layers, which the .torrent file must hold (peers cannot supply them yet).
     */
    public Metainfo readSwarmTorrent(Path torrent) {
        return swarmable(readTorrent(torrent), torrent);
    }

    /**
     * {@code m} when it can go over the wire.
     *
     * @param label what to call it in an error (its file)
     * @throws InvalidCommandException for a v2-only torrent without its piece layers
     */
    public Metainfo swarmable(Metainfo m, Object label) {
        if (m.info().version() == TorrentVersion.V2 && m.missingPieceLayers() > 0) {
            throw new InvalidCommandException(label + " is a v2-only torrent without the piece layers of "
                    + m.missingPieceLayers() + " file(s); jtorr cannot ask peers for them yet (BEP 52 hash requests)");
        }
        return m;
    }
}
