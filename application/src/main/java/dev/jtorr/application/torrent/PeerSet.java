package dev.jtorr.application.torrent;

import dev.jtorr.application.extension.ExtensionPeer;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One torrent's connected peers: which connections to keep (no self-connections, duplicates, banned peers or more
 * than the limits allow), whom to dial and when, and the payload counted per peer. Connection callbacks arrive on
 * the adapter's threads and are posted to the engine's thread; everything else runs there.
 */
final class PeerSet implements Uploads.Swarm {
    /** Batches (each at most one socket read) a connection may have waiting for the engine's thread. */
    private static final int MAX_UNHANDLED_BATCHES = 16;

    /** What the torrent does when peers come, go and talk; called on the engine's thread. */
    interface Owner {
        /** A peer joined; it may be sent messages now. */
        void joined(Peer peer);

        /** A peer left (or was dropped): what it had and what it was asked for goes back. */
        void left(Peer peer);

        /** Messages that arrived together from one peer. */
        void messages(Peer peer, List<PeerMessage> messages);

        /** A peer's send queue drained: more uploads may go to it. */
        void drained(Peer peer);

        /** Whether the torrent takes no more peers (stopping, paused). */
        boolean closed();

        void notice(String message);
    }

    private final Map<PeerConnection, Peer> peers = new IdentityHashMap<>();
    private final Map<PeerConnection, Backlog> backlogs = new ConcurrentHashMap<>();
    private final Map<String, Peer.Exchange> exchanged = new LinkedHashMap<>();
    private final Dialer dialer = new Dialer();
    private final BanList bans;
    private final Owner owner;
    /** The engine: our id, and the connections over all its torrents. */
    private final TorrentHost limits;
    private final PeerNetwork network;
    private final Scheduler loop;
    private final Supplier<Instant> clock;
    private final List<Digest> infoHashes;
    private final EncryptionPolicy encryption;
    private final int maxPeers;
    private final int pieceCount;
    /** Whether we speak the extension protocol, which our handshake then says. */
    private final boolean extensions;
    /** Whether we speak the Fast extension (BEP 6), which our handshake then says. */
    private final boolean fast;
    /** Whether our handshake says we run a DHT node (BEP 5). */
    private final boolean dht;
    private long nextKey;
    /** Set when stopping starts; read by connection readers waiting in a {@link Backlog}. */
    private volatile boolean closing;

    /**
     * @param infoHashes the hashes peers may name for this torrent; the first is the one we dial with
     * @param dht        whether our handshake offers our DHT node (BEP 5), so that peers send its {@code port}
     */
    PeerSet(Owner owner, TorrentHost limits, BanList bans, PeerNetwork network, Scheduler loop, Supplier<Instant> clock,
            List<Digest> infoHashes, EncryptionPolicy encryption, int maxPeers, int pieceCount, boolean extensions,
            boolean fast, boolean dht) {
        this.extensions = extensions;
        this.fast = fast;
        this.dht = dht;
        this.owner = owner;
        this.limits = limits;
        this.bans = bans;
        this.network = network;
        this.loop = loop;
        this.clock = clock;
        this.infoHashes = List.copyOf(infoHashes);
        this.encryption = encryption;
        this.maxPeers = maxPeers;
        this.pieceCount = pieceCount;
    }

    Collection<Peer> all() {
        return peers.values();
    }

    /** The connected peers as extensions see them. */
    Collection<ExtensionPeer> extensionViews() {
        var out = new ArrayList<ExtensionPeer>(peers.size());
        peers.values().forEach(p -> out.add(ExtensionView.of(p, this)));
        return out;
    }

    @Override
    public Collection<Peer> peers() {
        return peers.values();
    }

    @Override
    public void uploadedTo(Peer peer, long bytes) {
        count(peer, 0, bytes);
    }

    @Override
    public void notice(String message) {
        owner.notice(message);
    }

    Peer get(PeerConnection c) {
        return peers.get(c);
    }

    int size() {
        return peers.size();
    }

    @Override
    public boolean isConnected(Peer peer) {
        return !owner.closed() && peers.get(peer.connection) == peer;
    }

    /** Addresses to dial, at once as far as there is room (given by hand, from trackers, PEX, the DHT, LSD). */
    void add(List<PeerAddress> found) {
        found.forEach(dialer::add);
        if (!owner.closed() && !closing) {
            dialDue(clock.get()); // a lookup's or an announce's peers are dialled now, not at the next tick
        }
    }

    /** Our handshake for an incoming peer that named one of this torrent's info-hashes (adapter thread). */
    Optional<PeerNetwork.Accepted> accept(Handshake theirs) {
        int match = infoHashes.indexOf(theirs.infoHash());
        if (match < 0 || closing) {
            return Optional.empty();
        }
        return Optional.of(new PeerNetwork.Accepted(ours(infoHashes.get(match)), new Events(null)));
    }

    /** Dials the addresses that are due, as far as this torrent's and the engine's limits allow. */
    void dialDue(Instant now) {
        int room = Math.min(maxPeers - peers.size(), limits.room());
        for (PeerAddress a : dialer.due(now, room)) {
            network.connect(a, ours(infoHashes.get(0)), encryption, new Events(a));
        }
    }

    private Handshake ours(Digest infoHash) {
        Handshake h = Handshake.ours(infoHash, limits.ourId());
        h = fast ? h.withFast() : h;
        h = dht ? h.withDht() : h;
        return extensions ? h.withExtensions() : h;
    }

    /** Turns a connection's callbacks (adapter threads) into tasks on the engine's thread. */
    private final class Events implements PeerConnection.Handler {
        private final PeerAddress dialled;

        Events(PeerAddress dialled) {
            this.dialled = dialled;
        }

        @Override
        public void connected(PeerConnection c) {
            loop.execute(() -> onConnected(c, dialled));
        }

        @Override
        public void received(PeerConnection c, PeerMessage m) {
            loop.execute(() -> {
                Peer p = peers.get(c);
                if (p != null) {
                    owner.messages(p, List.of(m));
                }
            });
        }

        /** Called by a connection's reader; waits while this connection has too many batches unhandled. */
        @Override
        public void receivedAll(PeerConnection c, List<PeerMessage> messages, Runnable handled) {
            Backlog backlog = backlogs.computeIfAbsent(c, k -> new Backlog(MAX_UNHANDLED_BATCHES));
            if (!backlog.enter(() -> closing, 100)) {
                handled.run();
                return; // the torrent is stopping: the batch is dropped
            }
            loop.execute(() -> {
                try {
                    Peer p = peers.get(c);
                    if (p != null) {
                        owner.messages(p, messages); // block data is copied out, never kept
                    }
                } finally {
                    backlog.leave();
                    handled.run();
                }
            });
        }

        @Override
        public void drained(PeerConnection c) {
            loop.execute(() -> {
                Peer p = peers.get(c);
                if (p != null) {
                    owner.drained(p);
                }
            });
        }

        @Override
        public void closed(PeerConnection c, String reason) {
            loop.execute(() -> onClosed(c));
        }

        @Override
        public void failed(PeerAddress address, String reason) {
            loop.execute(() -> dialer.failed(address, clock.get()));
        }
    }

    private void onConnected(PeerConnection c, PeerAddress dialledAddress) {
        PeerAddress dialled = dialledAddress;
        PeerId id = c.remote().peerId();
        Peer existing = peers.values().stream().filter(p -> p.id.equals(id)).findFirst().orElse(null);
        String refuse = owner.closed() ? "shutting down"
                : id.equals(limits.ourId()) ? "connected to ourselves"
                : bans.isBanned(id) ? "banned"
                : existing != null && !survivesDuplicate(c) ? "already connected"
                : existing == null && (peers.size() >= maxPeers || limits.room() <= 0) ? "too many connections"
                : null;
        if (refuse != null) {
            c.close(refuse);
            if (dialled != null && id.equals(limits.ourId())) {
                dialer.forget(dialled); // a tracker handed us our own address
            } else if (dialled != null && existing != null) {
                // we reach this peer through the other connection: remember to dial it when that one ends
                existing.dialled = existing.dialled == null ? dialled : existing.dialled;
                dialer.connected(dialled);
            } else if (dialled != null) {
                dialer.failed(dialled, clock.get());
            }
            return;
        }
        if (existing != null) {
            PeerAddress keep = existing.dialled;
            existing.dialled = null;
            disconnect(existing, "already connected");
            dialled = dialled == null ? keep : dialled;
        }
        var peer = new Peer(nextKey++, c, dialled, pieceCount, clock.get(), fast && c.remote().supportsFast());
        peers.put(c, peer);
        limits.peersChanged(1);
        if (dialled != null) {
            dialer.connected(dialled);
        }
        owner.joined(peer);
    }

    /**
     * Both peers dialled each other at once: each side must keep the same one of the two connections, so the one
     * dialled by the smaller peer id survives.
     */
    private boolean survivesDuplicate(PeerConnection c) {
        byte[] mine = limits.ourId().bytes();
        byte[] theirs = c.remote().peerId().bytes();
        boolean weAreSmaller = java.util.Arrays.compareUnsigned(mine, theirs) < 0;
        return c.outgoing() == weAreSmaller;
    }

    private void onClosed(PeerConnection c) {
        backlogs.remove(c);
        Peer peer = peers.remove(c);
        if (peer == null) {
            return;
        }
        limits.peersChanged(-1);
        owner.left(peer);
        if (peer.dialled != null) {
            dialer.disconnected(peer.dialled, clock.get());
        }
    }

    @Override
    public void disconnect(Peer peer, String reason) {
        peer.connection.close(reason);
        onClosed(peer.connection);
    }

    /** Drops every connection of a peer whose data failed the hash check, and never dials it again. */
    void ban(PeerId id) {
        for (Peer p : List.copyOf(peers.values())) {
            if (p.id.equals(id)) {
                if (p.dialled != null) {
                    dialer.forget(p.dialled);
                }
                disconnect(p, "banned: sent corrupt data");
            }
        }
    }

    /** Closes every connection; connection readers waiting to hand over messages give up. */
    void closeAll(String reason) {
        closing = true;
        for (Peer p : List.copyOf(peers.values())) {
            p.connection.close(reason);
        }
        limits.peersChanged(-peers.size());
        peers.clear();
    }

    /** Counts payload exchanged with a peer; called per block, so the peer's counters are looked up once. */
    void count(Peer peer, long down, long up) {
        if (peer.exchange == null) {
            String address = peer.connection.address().toString();
            peer.exchange = exchanged.computeIfAbsent(address + " " + peer.id,
                    k -> new Peer.Exchange(address, peer.id.client(), peer.id.toString(),
                            peer.connection.encryption().label()));
        }
        peer.exchange.downloaded += down;
        peer.exchange.uploaded += up;
    }

    /** Every peer that sent or received payload so far, connected or not. */
    List<TorrentHandle.PeerStats> exchangedStats() {
        var out = new ArrayList<TorrentHandle.PeerStats>(exchanged.size());
        for (Peer.Exchange e : exchanged.values()) {
            out.add(new TorrentHandle.PeerStats(e.address, e.client, e.peerId, e.encryption, e.downloaded,
                    e.uploaded));
        }
        return out;
    }
}
