package dev.jtorr.application.port.in;

import dev.jtorr.domain.dht.DhtSettings;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.util.List;

/**
 * How a torrent session talks to the swarm.
 *
 * @param peers           peers to dial (and re-dial with back-off)
 * @param bindAddress     local address to listen on, empty for every interface
 * @param port            listening port; the next free one is used when it is taken, 0 for any
 * @param maxConnections  peers connected at once
 * @param uploadSlots     peers unchoked at once, the optimistic one included; 0 for a number that follows the upload
 *                        capacity
 * @param uploadLimit     bytes per second of payload upload, 0 for unlimited
 * @param downloadLimit   bytes per second of payload requested from peers, 0 for unlimited
 * @param sequential      download pieces in order (streaming)
 * @param memoryBudget    bytes of unverified blocks held in memory at most
 * @param trackers        announce URLs to use besides the torrent's, each its own tier after the torrent's tiers
 * @param torrentTrackers whether to announce to the trackers the torrent names
 * @param encryption      which connections to make and accept with respect to Message Stream Encryption
 * @param dht             whether to use the Mainline DHT (never for a private torrent) and where it bootstraps
 * @param lsd             whether to use local service discovery (BEP 14; never for a private torrent)
 */
public record SessionOptions(List<PeerAddress> peers, String bindAddress, int port, int maxConnections,
                             int uploadSlots, long uploadLimit, long downloadLimit, boolean sequential,
                             long memoryBudget, List<String> trackers, boolean torrentTrackers,
                             EncryptionPolicy encryption, DhtSettings dht, boolean lsd) {
    public static final int DEFAULT_PORT = 6881;

    /** Options without local service discovery. */
    public SessionOptions(List<PeerAddress> peers, String bindAddress, int port, int maxConnections,
                          int uploadSlots, long uploadLimit, long downloadLimit, boolean sequential,
                          long memoryBudget, List<String> trackers, boolean torrentTrackers,
                          EncryptionPolicy encryption, DhtSettings dht) {
        this(peers, bindAddress, port, maxConnections, uploadSlots, uploadLimit, downloadLimit, sequential,
                memoryBudget, trackers, torrentTrackers, encryption, dht, false);
    }

    /** Options without the DHT and local service discovery. */
    public SessionOptions(List<PeerAddress> peers, String bindAddress, int port, int maxConnections,
                          int uploadSlots, long uploadLimit, long downloadLimit, boolean sequential,
                          long memoryBudget, List<String> trackers, boolean torrentTrackers,
                          EncryptionPolicy encryption) {
        this(peers, bindAddress, port, maxConnections, uploadSlots, uploadLimit, downloadLimit, sequential,
                memoryBudget, trackers, torrentTrackers, encryption, DhtSettings.OFF);
    }

    public SessionOptions {
        peers = List.copyOf(peers);
        trackers = List.copyOf(trackers);
        java.util.Objects.requireNonNull(encryption, "encryption");
        java.util.Objects.requireNonNull(dht, "dht");
        if (port < 0 || port > 65535) {
            throw new InvalidCommandException("port " + port + " is outside 0-65535");
        }
        if (maxConnections < 1) {
            throw new InvalidCommandException("need at least one connection");
        }
        if (uploadSlots < 0) {
            throw new InvalidCommandException("upload slots cannot be negative (0 for automatic)");
        }
        if (uploadLimit < 0 || downloadLimit < 0) {
            throw new InvalidCommandException("a rate limit cannot be negative");
        }
        if (memoryBudget < 1 << 20) {
            throw new InvalidCommandException("memory budget must be at least 1 MiB");
        }
    }

    /** These options with {@code newPeers} as the peers to connect to. */
    public SessionOptions withPeers(List<PeerAddress> newPeers) {
        return new SessionOptions(newPeers, bindAddress, port, maxConnections, uploadSlots, uploadLimit, downloadLimit,
                sequential, memoryBudget, trackers, torrentTrackers, encryption, dht, lsd);
    }

    /** These options with local service discovery on or off. */
    public SessionOptions withLsd(boolean on) {
        return new SessionOptions(peers, bindAddress, port, maxConnections, uploadSlots, uploadLimit, downloadLimit,
                sequential, memoryBudget, trackers, torrentTrackers, encryption, dht, on);
    }

    /** The announce tiers to use for {@code torrent}'s own tiers. */
    public List<List<String>> trackerTiers(List<List<String>> torrent) {
        var tiers = new java.util.ArrayList<List<String>>(torrentTrackers ? torrent : List.of());
        trackers.forEach(t -> tiers.add(List.of(t)));
        return List.copyOf(tiers);
    }

    public static SessionOptions defaults(List<PeerAddress> peers, int port) {
        return new SessionOptions(peers, "", port, 50, 0, 0, 0, false, 64L << 20, List.of(), true,
                EncryptionPolicy.PREFER);
    }
}
