package dev.jtorr.application.daemon;

import dev.jtorr.application.engine.Engine;
import dev.jtorr.application.engine.EngineOptions;
import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.AddTorrentCommand;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.StartDaemonCommand;
import dev.jtorr.application.port.in.StartDaemonUseCase;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentExistsException;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.in.UnknownTorrentException;
import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.application.port.out.MetainfoStore;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.application.service.ResolveMagnetService;
import dev.jtorr.application.torrent.MetadataFetch;
import dev.jtorr.application.torrent.TorrentFileStream;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.metainfo.FilePriority;
import dev.jtorr.domain.metainfo.InfoHashes;
import dev.jtorr.domain.metainfo.MagnetLink;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.torrent.TorrentLifecycle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A long-running engine whose torrents and their settings persist in a state folder: each torrent is
 * {@code torrents/<id>.torrent} (once its metadata is known) and {@code torrents/<id>.entry} (its settings), its
 * resume record is in {@code resume/<id>/}. Starting a daemon takes up every torrent found there, trusting resume
 * records where the files are unchanged, so nothing verified is fetched again after a restart or a kill -9.
 *
 * <p>Thread-safe: request threads call in; the engine's events arrive on its thread and only update the change feed.
 */
final class Daemon implements StartDaemonUseCase.RunningDaemon {
    private static final String VERSION = Optional.ofNullable(Daemon.class.getPackage().getImplementationVersion())
            .orElse("dev");
    private final SwarmRuntime runtime;
    private final StartDaemonCommand options;
    private final Engine engine;
    private final MetainfoStore store;
    private final TimeSource time;
    private final ChangeFeed feed;
    /** By id, in the order added; guarded by itself. */
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Consumer<String> warn;
    private volatile long uploadLimit;
    private volatile long downloadLimit;

    /** One torrent of the daemon: its settings, and its handle once started (or its metadata fetch). */
    private static final class Slot {
        volatile DaemonEntry entry;
        volatile Metainfo metainfo;
        volatile TorrentHandle handle;
        volatile CompletableFuture<MetadataFetch.Fetched> fetch;
        volatile String failure;
        volatile String name;

        Slot(DaemonEntry entry, String name) {
            this.entry = entry;
            this.name = name;
        }
    }

    private Daemon(SwarmRuntime runtime, StartDaemonCommand options, Consumer<String> warn) {
        this.runtime = runtime;
        this.options = options;
        this.store = runtime.metainfoStore();
        this.time = runtime.time();
        this.feed = new ChangeFeed(time);
        this.warn = warn;
        this.uploadLimit = options.options().uploadLimit();
        this.downloadLimit = options.options().downloadLimit();
        this.engine = Engine.start(runtime, EngineOptions.of(options.options()));
        engine.subscribe(this::observe);
    }

    /**
     * Starts the engine and takes up every torrent in the state folder.
     *
     * @param warn told of each torrent that could not be taken up (it stays in the list, in error)
     */
    static Daemon start(SwarmRuntime runtime, StartDaemonCommand options, Consumer<String> warn) {
        var daemon = new Daemon(runtime, options, warn);
        daemon.load();
        return daemon;
    }

    @Override
    public int port() {
        return engine.port();
    }

    private Path torrentsDir() {
        return options.stateDir().resolve("torrents");
    }

    private Path torrentFile(String id) {
        return torrentsDir().resolve(id + ".torrent");
    }

    private Path entryFile(String id) {
        return torrentsDir().resolve(id + ".entry");
    }

    private Path resumeDir(String id) {
        return options.stateDir().resolve("resume").resolve(id);
    }

    private void load() {
        for (Path file : store.list(torrentsDir(), ".entry")) {
            DaemonEntry entry;
            try {
                entry = DaemonEntry.decode(store.read(file, 1 << 20));
            } catch (ContentException | InvalidDataException | ClassCastException | ArithmeticException e) {
                warn.accept("skipping " + file + ": " + e.getMessage());
                continue;
            }
            var slot = new Slot(entry, entry.id());
            synchronized (slots) {
                slots.put(entry.id(), slot);
            }
            try {
                if (store.exists(torrentFile(entry.id()))) {
                    slot.metainfo = MetainfoParser.parse(store.read(torrentFile(entry.id()),
                            BencodeLimits.TORRENT_FILE.maxInputLength()));
                    slot.name = slot.metainfo.info().name();
                }
                if (!entry.paused()) {
                    start(slot);
                }
            } catch (RuntimeException e) {
                slot.failure = e.getMessage();
                warn.accept(entry.id() + ": " + e.getMessage());
            }
            feed.changed(entry.id());
        }
    }

    // ---- adding and removing ---------------------------------------------------------------------------------

    @Override
    public TorrentView add(AddTorrentCommand command) {
        Path dir = options.confine(command.downloadDir().orElse(options.downloadDir()));
        long now = time.now().getEpochSecond();
        Slot slot;
        if (command.torrent().isPresent()) {
            Metainfo metainfo;
            try {
                metainfo = MetainfoParser.parse(command.torrent().get());
            } catch (InvalidDataException e) {
                throw new InvalidCommandException("not a torrent: " + e.getMessage());
            }
            String id = idOf(metainfo.infoHashes());
            wantedInRange(metainfo, command.wantedFiles());
            slot = new Slot(new DaemonEntry(id, Optional.empty(), dir, command.paused(), command.wantedFiles(),
                    command.sequential(), 0, 0, now, Map.of()), metainfo.info().name());
            slot.metainfo = metainfo;
            claim(slot);
            store.write(torrentFile(id), command.torrent().get(), true);
        } else {
            MagnetLink link;
            try {
                link = MagnetLink.parse(command.magnet().orElseThrow());
            } catch (InvalidDataException e) {
                throw new InvalidCommandException("not a magnet link: " + e.getMessage());
            }
            String id = idOf(new InfoHashes(link.v1(), link.v2()));
            slot = new Slot(new DaemonEntry(id, command.magnet(), dir, command.paused(), command.wantedFiles(),
                    command.sequential(), 0, 0, now, Map.of()), link.displayName().orElse(id));
            claim(slot);
        }
        save(slot.entry);
        if (!command.paused()) {
            try {
                start(slot);
            } catch (RuntimeException e) {
                forget(slot.entry.id());
                throw e;
            }
        }
        feed.changed(slot.entry.id());
        return view(slot);
    }

    private void claim(Slot slot) {
        synchronized (slots) {
            if (slots.containsKey(slot.entry.id())) {
                throw new TorrentExistsException(slot.entry.id(), slot.name);
            }
            slots.put(slot.entry.id(), slot);
        }
    }

    private void forget(String id) {
        synchronized (slots) {
            slots.remove(id);
        }
        store.delete(entryFile(id));
        store.delete(torrentFile(id));
        feed.removed(id);
    }

    @Override
    public void remove(String id, boolean deleteData) {
        Slot slot = slot(id);
        halt(slot, deleteData);
        forget(id);
        try {
            store.delete(resumeDir(id)); // empty once the torrent's record went with it
        } catch (ContentException e) {
            // a folder left behind: nothing the daemon reads again
        }
    }

    // ---- running ---------------------------------------------------------------------------------------------

    /** Starts a torrent: its download (checking what is there first), or the fetch of its metadata. */
    private void start(Slot slot) {
        slot.failure = null;
        DaemonEntry entry = slot.entry;
        if (slot.metainfo == null) {
            fetch(slot);
            return;
        }
        List<Integer> numbers = entry.wantedFiles().stream().map(i -> i + 1).toList();
        var levels = new java.util.HashMap<Integer, FilePriority>();
        entry.priorities().forEach((file, level) -> levels.put(file + 1, level));
        slot.handle = engine.download(slot.metainfo, entry.downloadDir(), torrentOptions(entry), true, numbers,
                levels, resumeDir(entry.id()));
    }

    private SessionOptions torrentOptions(DaemonEntry entry) {
        SessionOptions o = options.options();
        List<PeerAddress> peers = new ArrayList<>(o.peers());
        entry.magnet().ifPresent(m -> peers.addAll(linkPeers(MagnetLink.parse(m))));
        return new SessionOptions(peers, o.bindAddress(), engine.port(), o.maxConnections(), o.uploadSlots(),
                entry.uploadLimit(), entry.downloadLimit(), entry.sequential(), o.memoryBudget(), o.trackers(),
                o.torrentTrackers(), o.encryption(), o.dht(), o.lsd());
    }

    private void fetch(Slot slot) {
        MagnetLink link = MagnetLink.parse(slot.entry.magnet().orElseThrow());
        List<PeerAddress> peers = new ArrayList<>(options.options().peers());
        peers.addAll(linkPeers(link));
        List<List<String>> tiers = options.options().trackerTiers(link.trackers().stream().map(List::of).toList());
        var result = engine.fetchMetadata(new MetadataFetch.Target(new InfoHashes(link.v1(), link.v2()), slot.name,
                peers, tiers, options.options().maxConnections(), options.options().encryption()));
        slot.fetch = result;
        result.whenComplete((fetched, error) -> Thread.ofVirtual().start(() -> fetched(slot, link, fetched, error)));
    }

    private static List<PeerAddress> linkPeers(MagnetLink link) {
        var peers = new ArrayList<PeerAddress>();
        for (String p : link.peers()) {
            try {
                peers.add(PeerAddress.parse(p));
            } catch (InvalidDataException e) {
                // a bad x.pe is one peer fewer, not a torrent refused
            }
        }
        return peers;
    }

    /** The metadata arrived (or the fetch stopped): keep it as the torrent's .torrent file and start downloading. */
    private void fetched(Slot slot, MagnetLink link, MetadataFetch.Fetched fetched, Throwable error) {
        synchronized (slot) {
            if (slot.fetch == null || fetched == null || !known(slot.entry.id())) {
                return; // stopped, paused or removed meanwhile
            }
            slot.fetch = null;
            try {
                byte[] bytes = ResolveMagnetService.torrentFile(fetched.info(), link.trackers(), fetched.pieceLayers());
                slot.metainfo = MetainfoParser.parse(bytes);
                slot.name = slot.metainfo.info().name();
                store.write(torrentFile(slot.entry.id()), bytes, true);
                start(slot);
            } catch (RuntimeException e) {
                slot.failure = e.getMessage();
            }
        }
        feed.changed(slot.entry.id());
    }

    /** Stops a torrent's download or fetch and waits until the engine has let it go. */
    private void halt(Slot slot, boolean deleteData) {
        synchronized (slot) {
            var fetching = slot.fetch;
            slot.fetch = null;
            if (fetching != null) {
                engine.stopFetching(fetching);
            }
            TorrentHandle handle = slot.handle;
            slot.handle = null;
            if (handle != null) {
                handle.remove(deleteData);
                try {
                    handle.awaitStopped();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while stopping " + slot.entry.id(), e);
                }
            }
        }
    }

    @Override
    public void pause(String id) {
        Slot slot = slot(id);
        synchronized (slot) {
            slot.entry = slot.entry.withPaused(true);
            save(slot.entry);
            if (slot.handle != null && slot.handle.failure().isEmpty()) {
                slot.handle.pause();
                settle(slot.handle, s -> s != TorrentLifecycle.State.DOWNLOADING
                        && s != TorrentLifecycle.State.SEEDING);
            } else {
                halt(slot, false);
            }
        }
        feed.changed(id);
    }

    @Override
    public void resume(String id) {
        Slot slot = slot(id);
        synchronized (slot) {
            slot.entry = slot.entry.withPaused(false);
            save(slot.entry);
            TorrentHandle handle = slot.handle;
            if (handle != null && handle.failure().isEmpty()
                    && handle.state() != TorrentLifecycle.State.STOPPED) {
                handle.resume();
                settle(handle, s -> s != TorrentLifecycle.State.PAUSED);
            } else if (slot.fetch == null) {
                halt(slot, false);
                start(slot);
            }
        }
        feed.changed(id);
    }

    /**
     * Waits (up to 5 s) until the engine's loop has acted on a pause or a resume, so that the answer to the request
     * shows the torrent as it now is, not as it was.
     */
    private void settle(TorrentHandle handle, java.util.function.Predicate<TorrentLifecycle.State> done) {
        try {
            for (int i = 0; i < 500 && !done.test(handle.state()) && handle.failure().isEmpty(); i++) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void recheck(String id) {
        Slot slot = slot(id);
        TorrentHandle handle = slot.handle;
        if (handle != null) {
            handle.recheck();
        }
        feed.changed(id);
    }

    @Override
    public TorrentView change(String id, TorrentChanges changes) {
        Slot slot = slot(id);
        synchronized (slot) {
            DaemonEntry e = slot.entry;
            List<Integer> wanted = changes.wantedFiles().orElse(e.wantedFiles());
            if (slot.metainfo != null) {
                wantedInRange(slot.metainfo, wanted);
                if (new java.util.HashSet<>(wanted).size() == slot.metainfo.info().userFiles().size()) {
                    wanted = List.of();
                }
            }
            var levels = new java.util.HashMap<>(e.priorities());
            changes.priorities().forEach((file, level) -> {
                if (level == FilePriority.NORMAL) {
                    levels.remove(file);
                } else {
                    levels.put(file, level);
                }
            });
            if (slot.metainfo != null) {
                wantedInRange(slot.metainfo, List.copyOf(levels.keySet()));
            }
            DaemonEntry next = e.with(changes.downloadLimit().orElse(e.downloadLimit()),
                    changes.uploadLimit().orElse(e.uploadLimit()), wanted,
                    changes.sequential().orElse(e.sequential()), levels);
            if (!next.equals(e)) {
                slot.entry = next;
                save(next);
                if (slot.handle != null) {
                    // a torrent's options are fixed while it runs: stop and start it again (its resume record makes
                    // that cheap: nothing verified is hashed or fetched again)
                    boolean paused = slot.handle.state() == TorrentLifecycle.State.PAUSED;
                    halt(slot, false);
                    start(slot);
                    if (paused) {
                        slot.handle.pause();
                    }
                }
            }
        }
        feed.changed(id);
        return view(slot);
    }

    private static void wantedInRange(Metainfo metainfo, List<Integer> wanted) {
        int files = metainfo.info().userFiles().size();
        for (int i : wanted) {
            if (i < 0 || i >= files) {
                throw new InvalidCommandException("file " + i + " is not in the torrent (its files are numbered 0 to "
                        + (files - 1) + ")");
            }
        }
    }

    private void save(DaemonEntry entry) {
        store.write(entryFile(entry.id()), entry.encode(), true);
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    @Override
    public List<TorrentView> torrents() {
        return snapshot().stream().map(this::view).toList();
    }

    @Override
    public TorrentView torrent(String id) {
        return view(slot(id));
    }

    @Override
    public List<FileView> files(String id) {
        Slot slot = slot(id);
        return slot.metainfo == null ? List.of() : DaemonViews.files(slot.metainfo, slot.entry.wantedFiles(),
                slot.entry.priorities(),
                slot.handle == null ? new dev.jtorr.domain.piece.Bitfield(0) : slot.handle.verifiedPieces());
    }

    @Override
    public List<PeerView> peers(String id) {
        TorrentHandle handle = slot(id).handle;
        return handle == null ? List.of() : handle.peers().stream().map(p -> new PeerView(p.address(), p.client(),
                p.peerId(), p.encryption(), p.downloaded(), p.uploaded())).toList();
    }

    @Override
    public List<TrackerView> trackers(String id) {
        Slot slot = slot(id);
        TorrentHandle handle = slot.handle;
        if (handle != null && !handle.trackers().isEmpty()) {
            return handle.trackers().stream().map(t -> new TrackerView(t.url(), t.tier(),
                    t.lastAnnounce().map(java.time.Instant::getEpochSecond), t.error(), t.seeders(), t.leechers(),
                    t.peers(), t.nextAnnounce().map(java.time.Instant::getEpochSecond))).toList();
        }
        List<List<String>> tiers = slot.metainfo != null ? slot.metainfo.trackers()
                : MagnetLink.parse(slot.entry.magnet().orElseThrow()).trackers().stream().map(List::of).toList();
        var out = new ArrayList<TrackerView>();
        var all = options.options().trackerTiers(tiers);
        for (int t = 0; t < all.size(); t++) {
            for (String url : all.get(t)) {
                out.add(new TrackerView(url, t, Optional.empty(), Optional.empty(), -1, -1, 0, Optional.empty()));
            }
        }
        return out;
    }

    @Override
    public SessionView session() {
        List<TorrentView> all = torrents();
        int paused = (int) all.stream().filter(t -> t.state().equals("paused")).count();
        int active = (int) all.stream().filter(t -> t.downloadRate() > 0 || t.uploadRate() > 0).count();
        return new SessionView(all.size(), active, paused, all.stream().mapToLong(TorrentView::downloadRate).sum(),
                all.stream().mapToLong(TorrentView::uploadRate).sum(),
                all.stream().mapToLong(TorrentView::downloaded).sum(),
                all.stream().mapToLong(TorrentView::uploaded).sum(), engine.port(), options.downloadDir().toString(),
                downloadLimit, uploadLimit, options.options().dht().enabled(), options.options().lsd(), VERSION);
    }

    @Override
    public SessionView changeSettings(SettingsChanges changes) {
        uploadLimit = changes.uploadLimit().orElse(uploadLimit);
        downloadLimit = changes.downloadLimit().orElse(downloadLimit);
        engine.limits(uploadLimit, downloadLimit);
        return session();
    }

    @Override
    public Changes changesSince(long cursor, Duration wait) throws InterruptedException {
        ChangeFeed.Since since = feed.since(cursor, wait);
        var changed = new ArrayList<TorrentView>();
        for (String id : since.changed()) {
            Slot slot;
            synchronized (slots) {
                slot = slots.get(id);
            }
            if (slot != null) {
                changed.add(view(slot));
            }
        }
        return new Changes(since.cursor(), since.full(), changed, since.removed());
    }

    /**
     * {@inheritDoc}
     *
     * <p>A file that is not wanted is refused rather than made wanted: opening is a read (the API serves it on a GET),
     * and a read that changed what is downloaded, and started the torrent again as a change of wanted files does,
     * would surprise; a client makes the file wanted with {@link #change} first. A paused torrent is refused too (its
     * peers are gone, so what is not there would never come). The stream follows the torrent when it is started
     * again (a change of its settings); it ends with {@link IllegalStateException} once the torrent is paused by a
     * restart of the daemon, removed or stopped.
     *
     * @throws InvalidCommandException also for a file not wanted, or a torrent paused or not running
     */
    @Override
    public FileStream openFile(String id, int index) {
        Slot slot = slot(id);
        Metainfo metainfo = slot.metainfo;
        if (metainfo == null) {
            throw new InvalidCommandException(slot.name + " has no metadata yet: its files are not known");
        }
        var stream = TorrentFileStream.open(metainfo, index, () -> running(slot), TorrentFileStream.READ_AHEAD);
        List<Integer> wanted = slot.entry.wantedFiles();
        if (!wanted.isEmpty() && !wanted.contains(index)) {
            throw new InvalidCommandException("file " + index + " (" + stream.path() + ") is not wanted: make it "
                    + "wanted first");
        }
        TorrentHandle handle = slot.handle;
        if (slot.entry.paused() || handle == null || handle.failure().isPresent()) {
            throw new InvalidCommandException(slot.name + " is " + (slot.entry.paused() ? "paused" : "not running")
                    + ": resume it to read its files");
        }
        return stream;
    }

    /** The torrent's running handle, for a stream's next read. */
    private static TorrentHandle running(Slot slot) {
        TorrentHandle handle = slot.handle;
        if (handle == null) {
            throw new IllegalStateException(slot.name + " is not running");
        }
        return handle;
    }

    private TorrentView view(Slot slot) {
        return DaemonViews.torrent(slot.entry, slot.name, slot.metainfo, slot.handle, slot.fetch != null,
                slot.failure, feed.version(slot.entry.id()));
    }

    private List<Slot> snapshot() {
        synchronized (slots) {
            return List.copyOf(slots.values());
        }
    }

    private boolean known(String id) {
        synchronized (slots) {
            return slots.containsKey(id);
        }
    }

    private Slot slot(String id) {
        synchronized (slots) {
            Slot slot = slots.get(id);
            if (slot == null) {
                throw new UnknownTorrentException(id);
            }
            return slot;
        }
    }

    /** Engine thread: a torrent's event marks it changed when what a client sees of it changed. */
    private void observe(EngineEvent event) {
        Slot slot;
        synchronized (slots) {
            slot = slots.get(event.torrent());
        }
        if (slot != null) {
            if (event instanceof EngineEvent.Stopped stopped && stopped.failure().isPresent()) {
                slot.failure = stopped.failure().get();
            }
            TorrentView now = view(slot);
            // compared without its version, which every change moves
            feed.changedIfDifferent(event.torrent(), DaemonViews.withVersion(now, 0));
        }
    }

    static String idOf(InfoHashes hashes) {
        Digest wire = hashes.v1().or(hashes::v2Truncated).orElseThrow();
        return wire.hex();
    }

    @Override
    public void close() throws InterruptedException {
        engine.close();
    }
}
