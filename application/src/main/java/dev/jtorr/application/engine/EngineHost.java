package dev.jtorr.application.engine;

import dev.jtorr.application.discovery.LocalSwarm;
import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.application.torrent.SlotPool;
import dev.jtorr.application.torrent.TorrentHost;
import dev.jtorr.application.torrent.TorrentSession;
import dev.jtorr.domain.choke.UploadSlots;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.peer.TokenBucket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The engine as each torrent sees it: what its torrents share (our peer id, the port, the DHT node and local
 * discovery, the connection budget, the upload and download limits, the upload slots) and where their events go.
 * Called on the engine's thread, but for the subscribers, which any thread may add.
 */
final class EngineHost implements TorrentHost {
    private final PeerId ourId;
    private final int port;
    private final SharedSources shared;
    private final int maxConnections;
    private final TokenBucket uploadLimit;
    private final TokenBucket downloadLimit;
    private final SlotPool uploadSlots;
    private final List<Consumer<EngineEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final Consumer<TorrentSession> stopped;
    private int connected;

    /** @param stopped what the engine does when one of its torrents has stopped */
    EngineHost(PeerId ourId, int port, SharedSources shared, EngineOptions options, Consumer<TorrentSession> stopped) {
        this.ourId = ourId;
        this.port = port;
        this.shared = shared;
        this.maxConnections = options.maxConnections();
        this.uploadLimit = new TokenBucket(options.uploadLimit());
        this.downloadLimit = new TokenBucket(options.downloadLimit());
        this.uploadSlots = new SlotPool(options.uploadSlots() == 0 ? UploadSlots.automatic()
                : UploadSlots.fixed(options.uploadSlots()));
        this.stopped = stopped;
    }

    /** Adds a reader of every event; the returned action removes it. */
    Runnable subscribe(Consumer<EngineEvent> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    @Override
    public PeerId ourId() {
        return ourId;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Optional<DhtNetwork.Node> dht() {
        return shared.dht;
    }

    @Override
    public Optional<LocalSwarm> localSwarm() {
        return shared.lsd;
    }

    @Override
    public int room() {
        return maxConnections - connected;
    }

    @Override
    public void peersChanged(int delta) {
        connected += delta;
    }

    @Override
    public TokenBucket uploadLimit() {
        return uploadLimit;
    }

    @Override
    public TokenBucket downloadLimit() {
        return downloadLimit;
    }

    @Override
    public SlotPool uploadSlots() {
        return uploadSlots;
    }

    @Override
    public void publish(EngineEvent event) {
        for (Consumer<EngineEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                // a reader's bug must not stop the torrents
            }
        }
    }

    @Override
    public void stopped(TorrentSession torrent) {
        stopped.accept(torrent);
    }
}
