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
import dev.jtorr.domain.metainfo.InfoHashes;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.torrent.TorrentLifecycle;
import dev.jtorr.domain.wire.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A magnet link's torrent before its info dictionary exists: in {@link TorrentLifecycle.State#WAITING_FOR_METADATA}
 * it finds peers (given ones, the link's {@code x.pe}, its trackers), speaks only the extension protocol with them,
 * and fetches the dictionary through {@link MetadataFetching}. The result completes {@link #result()}; the
 * connections then close, and the torrent proper starts from the dictionary. Engine thread, like a torrent.
 */
public final class MetadataFetch {
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
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
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
                done(info);
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
    public CompletableFuture<byte[]> result() {
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
        int[] progress = fetching.progress();
        ctx.host().publish(new EngineEvent.FetchingMetadata(id, name, progress[0], progress[1],
                fetching.sourceCount(), peers.size()));
        tickTask = loop.after(TorrentSession.TICK, this::tick);
    }

    private void done(byte[] info) {
        finish(() -> result.complete(info));
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
        }

        @Override
        public void messages(Peer peer, List<PeerMessage> messages) {
            for (PeerMessage m : messages) {
                if (stopped || !peers.isConnected(peer)) {
                    return;
                }
                if (m instanceof PeerMessage.Extended e) {
                    try {
                        extensions.received(peer.extensions, ExtensionView.of(peer, peers), e);
                    } catch (InvalidDataException bad) {
                        notice(peer + " dropped: " + bad.getMessage());
                        peers.disconnect(peer, bad.getMessage());
                    }
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
