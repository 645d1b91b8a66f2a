package dev.jtorr.application.engine;

import dev.jtorr.application.extension.Extension;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.StorageException;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.application.torrent.ExistingDataCheck;
import dev.jtorr.application.torrent.MetadataFetch;
import dev.jtorr.application.torrent.TorrentContext;
import dev.jtorr.application.torrent.TorrentSession;
import dev.jtorr.domain.metainfo.FilePriority;
import dev.jtorr.domain.metainfo.FileSelection;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.wire.Handshake;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Many torrents in one process, the way libtorrent's session holds them: one listening port whose incoming peers
 * are routed by the info-hash they name (v1, or a hybrid's truncated v2; an unknown hash is dropped), one peer id,
 * three threads whatever the number of torrents (the loop that runs every torrent, hashing, writing), total limits
 * on upload and download rate, on connections and on upload slots, and one stream of {@link EngineEvent}s.
 *
 * <p>Thread-safe: torrents may be added and events subscribed from any thread.
 */
public final class Engine implements AutoCloseable {
    private final SwarmRuntime runtime;
    /** The BEP 10 extensions every torrent gets an instance of. */
    private final List<Extension.Factory> extensions;
    private final EngineOptions options;
    private final Scheduler loop;
    private final Scheduler disk;
    private final Scheduler writes;
    private final PeerId ourId;
    private final java.util.random.RandomGenerator random;
    /** Incoming peers are routed by these (adapter threads read it). */
    private final Map<Digest, TorrentSession> routes = new ConcurrentHashMap<>();
    /** By id, in the order added; guarded by itself. */
    private final Map<String, TorrentSession> torrents = new LinkedHashMap<>();
    /** Magnet links waiting for their metadata; guarded by {@link #torrents}. */
    private final List<MetadataFetch> fetches = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final PeerNetwork.Listening listening;
    /** The DHT node and local service discovery, when the options ask for them and they could start. */
    private final SharedSources shared;
    private final EngineHost host;
    /** Engine thread only. */
    private boolean closing;
    private boolean closeWhenIdle;

    private Engine(SwarmRuntime runtime, EngineOptions options, List<Extension.Factory> extensions) {
        this.runtime = runtime;
        this.extensions = List.copyOf(extensions);
        this.options = options;
        this.loop = runtime.schedulers().create("jtorr-engine");
        this.disk = runtime.schedulers().create("jtorr-engine-disk");
        this.writes = runtime.schedulers().create("jtorr-engine-write");
        // the peer id from the runtime's generator (a SecureRandom in production); everyday randomness (tie-breaks,
        // shuffles) from a fast generator seeded from it: a system call per tie-break cost thousands a second
        long seed;
        synchronized (runtime.random()) {
            this.ourId = PeerId.generate(runtime.random());
            seed = runtime.random().nextLong();
        }
        this.random = new java.util.SplittableRandom(seed);
        try {
            this.listening = runtime.network().listen(options.bindAddress(), options.port(), options.encryption(),
                    new Router());
        } catch (RuntimeException e) {
            shutDownThreads();
            throw e;
        }
        this.shared = SharedSources.start(runtime, options, listening.port());
        this.host = new EngineHost(ourId, listening.port(), shared, options, this::stopped);
        host.subscribe(runtime.progress()::event);
    }

    /**
     * Starts an engine: binds its listening port (on the caller's thread, so that an error reaches the caller) and
     * starts its threads.
     *
     * @throws dev.jtorr.application.port.out.NetworkException when no port can be bound
     */
    public static Engine start(SwarmRuntime runtime, EngineOptions options) {
        return start(runtime, options, List.of());
    }

    /**
     * Starts an engine whose torrents speak the extension protocol (BEP 10) with {@code extensions}: each torrent
     * gets an instance of each, and our handshake offers them to every peer that speaks the protocol.
     */
    public static Engine start(SwarmRuntime runtime, EngineOptions options, List<Extension.Factory> extensions) {
        return new Engine(runtime, options, extensions);
    }

    /** The one port every torrent of this engine is reached on. */
    public int port() {
        return listening.port();
    }

    public PeerId peerId() {
        return ourId;
    }

    /**
     * Adds a torrent to download into {@code output}/name, first checking what is there (trusting the resume record
     * where the files are unchanged), and starts it.
     *
     * @param keepSeeding go on seeding once complete; otherwise the torrent stops when complete
     * @throws InvalidCommandException when the torrent cannot be read, is v2-only, or is in this engine already
     * @throws dev.jtorr.application.port.out.StorageException when the output cannot be used
     */
    public TorrentHandle download(Path torrent, Path output, SessionOptions torrentOptions, boolean keepSeeding) {
        return download(torrent, output, torrentOptions, keepSeeding, List.of());
    }

    /**
     * As {@link #download(Path, Path, SessionOptions, boolean)}, only the files numbered {@code select} (from 1, as
     * {@code jtorr info} lists them; empty for all). Unselected files are not created; the bytes of pieces shared
     * with a selected file are kept in {@code output/.jtorr/}, verified with their piece.
     */
    public TorrentHandle download(Path torrent, Path output, SessionOptions torrentOptions, boolean keepSeeding,
                                  List<Integer> select) {
        Metainfo metainfo = runtime.readSwarmTorrent(torrent);
        Path content = output.resolve(metainfo.info().name());
        return download(metainfo, torrent, output, torrentOptions, keepSeeding, select, Map.of(),
                content.toAbsolutePath().normalize().resolveSibling(".jtorr"));
    }

    /**
     * As {@link #download(Path, Path, SessionOptions, boolean, List)}, with the torrent's resume record (and the bytes
     * of shared pieces that fall in unselected files) kept in {@code records} rather than beside its files.
     */
    public TorrentHandle download(Path torrent, Path output, SessionOptions torrentOptions, boolean keepSeeding,
                                  List<Integer> select, Path records) {
        return download(torrent, output, torrentOptions, keepSeeding, select, Map.of(), records);
    }

    /**
     * As {@link #download(Path, Path, SessionOptions, boolean, List, Path)}, the files numbered as keys of
     * {@code priorities} (from 1) fetched at those priorities, the others at normal.
     */
    public TorrentHandle download(Path torrent, Path output, SessionOptions torrentOptions, boolean keepSeeding,
                                  List<Integer> select, Map<Integer, FilePriority> priorities, Path records) {
        return download(runtime.readSwarmTorrent(torrent), torrent, output, torrentOptions, keepSeeding, select,
                priorities, records);
    }

    /**
     * As {@link #download(Path, Path, SessionOptions, boolean, List, Map, Path)}, from a torrent already read (a
     * caller that keeps it shares it with the engine rather than have it read twice).
     */
    public TorrentHandle download(Metainfo metainfo, Path output, SessionOptions torrentOptions, boolean keepSeeding,
                                  List<Integer> select, Map<Integer, FilePriority> priorities, Path records) {
        Path label = Path.of(metainfo.info().name());
        return download(runtime.swarmable(metainfo, label), label, output, torrentOptions, keepSeeding, select,
                priorities, records);
    }

    private TorrentHandle download(Metainfo metainfo, Path torrent, Path output, SessionOptions torrentOptions,
                                  boolean keepSeeding, List<Integer> select, Map<Integer, FilePriority> priorities,
                                  Path records) {
        refuseKnown(metainfo);
        FileSelection selection;
        try {
            selection = (select.isEmpty() ? FileSelection.all() : FileSelection.of(metainfo.info(), select))
                    .withPriorities(metainfo.info(), priorities);
        } catch (IllegalArgumentException e) {
            throw new InvalidCommandException(torrent + ": " + e.getMessage());
        }
        Path content = output.resolve(metainfo.info().name());
        TorrentStorage storage = runtime.storage().open(metainfo, content, true, Optional.of(records), selection);
        try {
            Bitfield have = new ExistingDataCheck(metainfo, storage, runtime.progress(), runtime.checkThreads())
                    .run(true, selection.wantedPieces(metainfo.info().pieceLayout()));
            TorrentHandle handle = add(metainfo, storage, have, torrentOptions, keepSeeding, selection);
            boolean viaDhtOrLsd = (shared.dht.isPresent() || shared.lsd.isPresent()) && !metainfo.info().isPrivate();
            if (torrentOptions.peers().isEmpty() && torrentOptions.trackerTiers(metainfo.trackers()).isEmpty()
                    && !viaDhtOrLsd && !have.isComplete()) {
                runtime.progress().notice("no way to find peers: the torrent names no tracker and no --peer was "
                        + "given, so only peers that connect to port " + port() + " will be found; "
                        + "add --peer HOST:PORT or --tracker URL");
            }
            return handle;
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /**
     * Adds a torrent to seed from {@code content} (its file, or its folder), after checking every piece unless told
     * to trust the data, and starts it.
     *
     * @throws InvalidCommandException when the data does not match the torrent, or the torrent cannot be seeded
     */
    public TorrentHandle seed(Path torrent, Path content, SessionOptions torrentOptions, boolean skipCheck) {
        Metainfo metainfo = runtime.readSwarmTorrent(torrent);
        refuseKnown(metainfo);
        // a seed's resume record lives beside its .torrent: a restart with unchanged files then hashes nothing
        Path records = torrent.toAbsolutePath().normalize().resolveSibling(".jtorr");
        TorrentStorage storage = runtime.storage().open(metainfo, content, false, Optional.of(records));
        try {
            int pieces = metainfo.info().pieceCount();
            var check = new ExistingDataCheck(metainfo, storage, runtime.progress(), runtime.checkThreads());
            Bitfield have = skipCheck ? Bitfield.full(pieces) : check.run(true);
            if (!have.isComplete()) {
                throw new InvalidCommandException(content + " does not match " + torrent + ": "
                        + (pieces - have.count()) + " of " + pieces + " pieces are missing or wrong (see jtorr verify)");
            }
            if (!skipCheck && check.checked() > 0) { // a record that vouched for every piece stays as it is
                try {
                    storage.saveResume(have);
                } catch (StorageException e) {
                    runtime.progress().notice("could not save resume data: " + e.getMessage());
                }
            }
            return add(metainfo, storage, have, torrentOptions, true, FileSelection.all());
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** Adds a torrent whose data is open and checked, and starts it; only the pieces of selected files are wanted. */
    public TorrentHandle add(Metainfo metainfo, TorrentStorage storage, Bitfield verified,
                             SessionOptions torrentOptions, boolean keepSeeding, FileSelection selection) {
        var session = new TorrentSession(metainfo, storage, verified, selection, torrentOptions, keepSeeding,
                new TorrentContext(runtime.network(), runtime.trackers(), loop, disk, writes, runtime.time(),
                        random, runtime.checkThreads(), extensions, host));
        synchronized (torrents) {
            if (closing || closed.getCount() == 0) {
                throw new IllegalStateException("the engine is closed");
            }
            if (torrents.putIfAbsent(session.id(), session) != null) {
                throw new InvalidCommandException(metainfo.info().name() + " (" + session.id()
                        + ") is in this engine already");
            }
        }
        session.infoHashes().forEach(h -> routes.put(h, session));
        session.start();
        return session.handle();
    }

    private void refuseKnown(Metainfo metainfo) {
        synchronized (torrents) {
            metainfo.infoHashes().v1().ifPresent(h -> {
                if (routes.containsKey(h)) {
                    throw new InvalidCommandException(metainfo.info().name() + " is in this engine already");
                }
            });
        }
    }

    /**
     * Starts fetching a magnet link's info dictionary from its peers (BEP 9); the torrent waits for its metadata
     * meanwhile (and a v2-only torrent's piece layers, BEP 52). The future completes with the verified dictionary
     * (and layers), or exceptionally when stopped first (also by {@link #shutdown}).
     */
    public java.util.concurrent.CompletableFuture<MetadataFetch.Fetched> fetchMetadata(MetadataFetch.Target target) {
        var fetch = new MetadataFetch(target, new TorrentContext(runtime.network(), runtime.trackers(), loop, disk,
                writes, runtime.time(), random, runtime.checkThreads(), extensions, host));
        synchronized (torrents) {
            if (closing || closed.getCount() == 0) {
                throw new IllegalStateException("the engine is closed");
            }
            fetches.add(fetch);
        }
        fetch.result().whenComplete((info, e) -> {
            synchronized (torrents) {
                fetches.remove(fetch);
            }
            finishIfIdle(); // completed on the engine's thread
        });
        fetch.start();
        return fetch.result();
    }

    /** The torrents running now, in the order they were added. */
    public List<TorrentHandle> torrents() {
        synchronized (torrents) {
            return torrents.values().stream().map(TorrentSession::handle).toList();
        }
    }

    /**
     * Calls {@code listener} with every event from now on, on the engine's thread (it must return quickly).
     *
     * @return what ends the subscription when run
     */
    public Runnable subscribe(Consumer<EngineEvent> listener) {
        return host.subscribe(listener);
    }

    /**
     * Changes the engine's total upload and download rate limits from now on (bytes per second, 0 for unlimited).
     */
    public void limits(long uploadBytesPerSecond, long downloadBytesPerSecond) {
        if (uploadBytesPerSecond < 0 || downloadBytesPerSecond < 0) {
            throw new InvalidCommandException("a rate limit cannot be negative");
        }
        loop.execute(() -> {
            host.uploadLimit().rate(uploadBytesPerSecond);
            host.downloadLimit().rate(downloadBytesPerSecond);
        });
    }

    /** Stops fetching the metadata whose {@link #fetchMetadata} future is {@code result} (it completes exceptionally). */
    public void stopFetching(java.util.concurrent.CompletableFuture<MetadataFetch.Fetched> result) {
        loop.execute(() -> {
            List<MetadataFetch> fetching;
            synchronized (torrents) {
                fetching = fetches.stream().filter(f -> f.result() == result).toList();
            }
            fetching.forEach(MetadataFetch::stop);
        });
    }

    /** Lets the engine close itself (port and threads) once its last torrent has stopped. */
    public void closeWhenIdle() {
        loop.execute(() -> {
            closeWhenIdle = true;
            finishIfIdle();
        });
    }

    /** Stops every torrent (saving resume data), then the port and the threads; does not wait. */
    public void shutdown() {
        loop.execute(() -> {
            closing = true;
            torrents().forEach(TorrentHandle::close);
            List<MetadataFetch> fetching;
            synchronized (torrents) {
                fetching = List.copyOf(fetches);
            }
            fetching.forEach(MetadataFetch::stop);
            finishIfIdle();
        });
    }

    /** Waits until the engine has closed. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Stops every torrent and waits until they and the engine are closed. */
    @Override
    public void close() throws InterruptedException {
        shutdown();
        awaitClosed();
    }

    private void finishIfIdle() {
        boolean idle;
        synchronized (torrents) {
            idle = torrents.isEmpty() && fetches.isEmpty() && (closing || closeWhenIdle) && closed.getCount() > 0;
            if (idle) {
                closing = true;
            }
        }
        if (idle) {
            listening.close();
            shared.close();
            shutDownThreads();
            closed.countDown();
        }
    }

    private void shutDownThreads() {
        disk.shutdown();
        writes.shutdown();
        loop.shutdown();
    }

    /** Hands each incoming peer to the torrent it names. */
    private final class Router implements PeerNetwork.Acceptor {
        @Override
        public Optional<PeerNetwork.Accepted> accept(Handshake theirs, PeerAddress from) {
            TorrentSession torrent = routes.get(theirs.infoHash());
            return torrent == null ? Optional.empty() : torrent.accept(theirs);
        }

        @Override
        public List<Digest> infoHashes() {
            return new ArrayList<>(routes.keySet());
        }
    }

    /** One of the engine's torrents has stopped: it is no longer routed to, and the engine may close. */
    private void stopped(TorrentSession torrent) {
        synchronized (torrents) {
            torrents.remove(torrent.id(), torrent);
        }
        torrent.infoHashes().forEach(h -> routes.remove(h, torrent));
        finishIfIdle();
    }
}
