package dev.jtorr.application.torrent;

import dev.jtorr.application.discovery.Announcer;
import dev.jtorr.application.discovery.DhtPeers;
import dev.jtorr.application.discovery.LocalPeers;
import dev.jtorr.application.discovery.ManualPeers;
import dev.jtorr.application.discovery.PeerSource;
import dev.jtorr.application.discovery.PeerSources;
import dev.jtorr.application.extension.ExtensionPeer;
import dev.jtorr.application.extension.Extensions;
import dev.jtorr.application.extension.MetadataFetching;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.metainfo.InfoDictionary;
import dev.jtorr.domain.metainfo.InfoHashes;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.torrent.TorrentLifecycle;
import dev.jtorr.domain.wire.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A magnet link's torrent before its info dictionary exists: in {@link TorrentLifecycle.State#WAITING_FOR_METADATA}
 * it finds peers (given ones, the link's {@code x.pe}, its trackers), speaks only the extension protocol with them,
 * and fetches the dictionary through {@link MetadataFetching}; for a v2-only torrent, then its piece layers through
 * {@link PieceLayerFetching} (BEP 52 hash requests) from the same peers. The result completes {@link #result()}; the
 * connections then close, and the torrent proper starts from what was fetched. Engine thread, like a torrent.
 */
public final class MetadataFetch {
    /**
     * The verified info dictionary, and for a v2-only torrent its files' verified piece layers (pieces root to piece
     * hashes; empty otherwise).
     */
    public record Fetched(byte[] info, Map<Digest, byte[]> pieceLayers) {
    }

    /** What to fetch and where to look. */
    public record Target(InfoHashes hashes, String name, List<PeerAddress> peers, List<List<String>> trackers,
                         int maxConnections, dev.jtorr.domain.wire.EncryptionPolicy encryption) {
    }

    private final TorrentContext ctx;
    private final String id;
    private final String name;
    private final Scheduler loop;
    private final PeerSet peers;
    private final Extensions extensions;
    private final MetadataFetching fetching;
    private final PeerSources sources;
    private final TorrentLifecycle lifecycle = new TorrentLifecycle();
    private final CompletableFuture<Fetched> result = new CompletableFuture<>();
    /** Set once the dictionary is in, when the torrent's pieces need piece layers fetched too. */
    private PieceLayerFetching layers;
    private byte[] info;
    private final BanList bans = new BanList();
    private Scheduler.Cancellable tickTask;
    private boolean stopped;

    public MetadataFetch(Target target, TorrentContext ctx) {
        this.ctx = ctx;
        Digest wire = target.hashes().v1().orElseGet(() -> target.hashes().v2Truncated().orElseThrow());
        var hashes = new ArrayList<Digest>(List.of(wire));
        target.hashes().v2Truncated().filter(h -> !h.equals(wire)).ifPresent(hashes::add);
        this.id = wire.hex();
        this.name = target.name();
        this.loop = new FailSafeScheduler(ctx.loop(), e -> fail("internal error: " + e));
        this.fetching = new MetadataFetching(target.hashes(), new MetadataFetching.Listener() {
            @Override
            public void resolved(byte[] info) {
                resolvedInfo(info);
            }

            @Override
            public void bad(ExtensionPeer peer, String reason) {
                notice(peer + " dropped: " + reason);
                if (peer instanceof ExtensionView v) {
                    bans.ban(v.peer().id);
                    peers.ban(v.peer().id);
                }
            }
        });
        this.extensions = new Extensions(List.of(fetching),
                new Extensions.Ours("jtorr", ctx.host().port(), Uploads.MAX_QUEUED_UPLOADS));
        this.peers = new PeerSet(new Talk(), ctx.host(), bans, ctx.network(), loop, () -> ctx.time().now(),
                List.copyOf(hashes), target.encryption(), target.maxConnections(), 0, true, false, false);
        var announcer = new Announcer(List.copyOf(hashes), target.trackers(), ctx.trackers(), loop, ctx.time(),
                ctx.random(), ctx.host().ourId(), Announcer.Session.of(
                        // the size is unknown: a small amount left says we still want data, as libtorrent does
                        () -> new Announcer.Counters(ctx.host().port(), 0, 0, 16 * 1024), peers::add, this::notice));
        var sourceList = new ArrayList<PeerSource>(List.of(new ManualPeers(target.peers(), peers::add), announcer));
        // a link says nothing of BEP 27 privacy, and a private torrent's link has trackers, so the DHT and local
        // discovery may help
        ctx.host().dht().ifPresent(d -> sourceList.add(new DhtPeers(List.copyOf(hashes), d, loop,
                ctx.host()::port, peers::add)));
        ctx.host().localSwarm().ifPresent(l -> sourceList.add(new LocalPeers(List.copyOf(hashes), l, loop,
                peers::add)));
        this.sources = new PeerSources(sourceList);
        lifecycle.awaitMetadata();
    }

    /** The torrent's id: its v1 info-hash in hex (the truncated v2 one for a v2-only link). */
    public String id() {
        return id;
    }

    /** Completes with the verified info dictionary, or exceptionally when the fetch stops without one. */
    public CompletableFuture<Fetched> result() {
        return result;
    }

    /** Starts finding peers and fetching, on the engine's thread. */
    public void start() {
        loop.execute(() -> {
            ctx.host().publish(new EngineEvent.StateChanged(id, name, lifecycle.state()));
            tick();
        });
    }

    /** Gives up (the user stopped it); the result completes exceptionally. */
    public void stop() {
        loop.execute(() -> fail("stopped before the metadata arrived"));
    }

    private void tick() {
        if (stopped) {
            return;
        }
        var now = ctx.time().now();
        fetching.tick(now);
        sources.tick(now);
        peers.dialDue(now);
        if (layers != null) {
            peers.all().forEach(layers::ask); // peers that refused some runs may have come and others gone
        }
        int[] progress = layers != null ? layers.progress() : fetching.progress();
        ctx.host().publish(new EngineEvent.FetchingMetadata(id, name, progress[0], progress[1],
                fetching.sourceCount(), peers.size()));
        tickTask = loop.after(TorrentSession.TICK, this::tick);
    }

    /** The dictionary is in: done, unless its pieces need piece layers first. */
    private void resolvedInfo(byte[] info) {
        this.info = info;
        var torrent = new java.io.ByteArrayOutputStream(info.length + 8);
        torrent.writeBytes("d4:info".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        torrent.writeBytes(info);
        torrent.write('e');
        InfoDictionary dictionary = MetainfoParser.parse(torrent.toByteArray()).info();
        if (!PieceLayerFetching.needed(dictionary)) {
            finish(() -> result.complete(new Fetched(info, Map.of())));
            return;
        }
        notice("fetching the piece layers of a v2 torrent from peers (BEP 52 hash requests)");
        layers = new PieceLayerFetching(dictionary);
        peers.all().forEach(layers::ask);
    }

    private void hashes(Peer peer, PeerMessage.Hashing message) {
        if (layers == null) {
            if (message instanceof PeerMessage.HashRequest r) {
                peer.connection.send(new PeerMessage.HashReject(r.range()));
                return;
            }
            throw new InvalidDataException("an answer to a hash request we did not make: " + message);
        }
        layers.received(peer, message);
        if (layers.done()) {
            Map<Digest, byte[]> fetched = Map.copyOf(layers.layers());
            finish(() -> result.complete(new Fetched(info, fetched)));
        } else {
            layers.ask(peer);
        }
    }

    private void fail(String reason) {
        if (!stopped) {
            lifecycle.fail(reason);
        }
        finish(() -> result.completeExceptionally(new IllegalStateException(reason)));
    }

    private void finish(Runnable complete) {
        if (stopped) {
            return;
        }
        stopped = true;
        if (tickTask != null) {
            tickTask.cancel();
        }
        peers.closeAll("metadata fetched");
        sources.stop(complete);
    }

    void notice(String message) {
        ctx.host().publish(new EngineEvent.Notice(id, name, message));
    }

    /** The peers' side: only extension messages matter before the dictionary exists. */
    private final class Talk implements PeerSet.Owner {
        @Override
        public void notice(String message) {
            MetadataFetch.this.notice(message);
        }

        @Override
        public void joined(Peer peer) {
            if (peer.connection.remote().supportsExtensions()) {
                peer.connection.send(extensions.handshake(peer.connection.address()));
            } else {
                peers.disconnect(peer, "no extension protocol: it cannot send metadata");
            }
        }

        @Override
        public void left(Peer peer) {
            if (peer.extensionView != null) {
                extensions.left(peer.extensionView);
            }
            if (layers != null) {
                layers.left(peer);
            }
        }

        @Override
        public void messages(Peer peer, List<PeerMessage> messages) {
            for (PeerMessage m : messages) {
                if (stopped || !peers.isConnected(peer)) {
                    return;
                }
                try {
                    if (m instanceof PeerMessage.Extended e) {
                        extensions.received(peer.extensions, ExtensionView.of(peer, peers), e);
                    } else if (m instanceof PeerMessage.Hashing h) {
                        hashes(peer, h);
                    }
                } catch (InvalidDataException bad) {
                    notice(peer + " dropped: " + bad.getMessage());
                    if (m instanceof PeerMessage.Hashing) {
                        bans.ban(peer.id); // hashes that do not prove out: never again for this torrent
                        peers.ban(peer.id);
                    }
                    peers.disconnect(peer, bad.getMessage());
                }
                // the rest (bitfield, have, requests) waits for the torrent proper: without the dictionary there are
                // no pieces to speak of
            }
        }

        @Override
        public void drained(Peer peer) {
        }

        @Override
        public boolean closed() {
            return stopped;
        }
    }
}
