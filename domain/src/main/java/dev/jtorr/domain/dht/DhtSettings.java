package dev.jtorr.domain.dht;

import dev.jtorr.domain.peer.PeerAddress;
import java.util.List;

/**
 * Whether a session uses the Mainline DHT, and the nodes it bootstraps from (host names are resolved by the
 * network adapter; an empty list means no bootstrap: the node only learns of others who contact it).
 *
 * @param readOnly a read-only node (BEP 43): it marks its queries {@code ro} and answers none, so that other nodes
 *                 leave it out of their tables (for a host behind a firewall, or one that should not be woken up)
 */
public record DhtSettings(boolean enabled, List<PeerAddress> bootstrap, boolean readOnly) {
    /** No DHT. */
    public static final DhtSettings OFF = new DhtSettings(false, List.of());

    /** The well-known public bootstrap nodes that BitTorrent clients use; for users, never for tests. */
    public static final List<PeerAddress> PUBLIC_BOOTSTRAP = List.of(new PeerAddress("router.bittorrent.com", 6881),
            new PeerAddress("router.utorrent.com", 6881), new PeerAddress("dht.transmissionbt.com", 6881),
            new PeerAddress("dht.libtorrent.org", 25401));

    public DhtSettings {
        bootstrap = List.copyOf(bootstrap);
    }

    /** A node that answers queries (not read-only). */
    public DhtSettings(boolean enabled, List<PeerAddress> bootstrap) {
        this(enabled, bootstrap, false);
    }
}
