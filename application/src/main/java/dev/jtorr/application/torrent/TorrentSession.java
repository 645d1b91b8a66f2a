package dev.jtorr.application.torrent;

import dev.jtorr.application.discovery.Announcer;
import dev.jtorr.application.discovery.DhtPeers;
import dev.jtorr.application.discovery.LocalPeers;
import dev.jtorr.application.discovery.ManualPeers;
import dev.jtorr.application.discovery.PeerSource;
import dev.jtorr.application.discovery.PeerSources;
import dev.jtorr.application.extension.Extension;
import dev.jtorr.application.extension.Extensions;
import dev.jtorr.application.extension.MetadataServing;
import dev.jtorr.application.extension.PeerExchange;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.metainfo.FilePriority;
import dev.jtorr.domain.metainfo.FileSelection;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.PieceVerifier;
import dev.jtorr.domain.peer.RateLimit;
import dev.jtorr.domain.peer.TokenBucket;
import dev.jtorr.domain.picker.PiecePicker;
import dev.jtorr.domain.picker.PiecePriorities;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.PieceLayout;
import dev.jtorr.domain.swarm.TransferStatus;
import dev.jtorr.domain.swarm.TransferStatus.Phase;
import dev.jtorr.domain.torrent.TorrentLifecycle;
import dev.jtorr.domain.wire.Handshake;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.Optional;

/**
 * One torrent of an engine: its pieces and its peers. It ties together the peer set, requesting ({@link Requests}),
 * serving ({@link Uploads}), verify-then-write ({@link PieceCompletion}) and the peer sources, drives its
 * {@link TorrentLifecycle}, and reports through the engine's events. Everything runs on the engine's thread, so the
 * state needs no locks; a task of this torrent that throws stops this torrent only.
 */
public final class TorrentSession {
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    static final Duration SNUB_TIME = Duration.ofSeconds(60);

    private final Metainfo metainfo;
    private final TorrentStorage storage;
    private final SessionOptions options;
    private final boolean keepSeeding;
    private final TorrentContext ctx;
    private final String id;
    private final String name;
    /** Engine-thread, disk and write tasks of this torrent, each failing the torrent (not the engine) if it throws. */
    private final Scheduler loop;
    private final Scheduler disk;
    private final Scheduler writes;
    private final PieceLayout layout;
    private final FileSelection selection;
    /** The pieces with a byte in a wanted file. */
    private final Bitfield wanted;
    private PiecePicker picker;
    /** Pieces readers wait for (streaming): the picker, each picker made afresh too, fetches them first. */
    private final PiecePriorities priorities;
    /** The verified pieces as readers on other threads see them. */
    private final VerifiedPieces verifiedPieces;
    private final Bitfield have;
    private final List<Digest> infoHashes;
    private final TransferCounters counters;
    private final ResumeRecords resume;
    private final PieceCompletion completion;
    private final BanList bans = new BanList();
    private final PeerSet peers;
    private final PeerTalk talk;
    private final Extensions extensions;
    private final Uploads uploads;
    private final Requests requests;
    private final Announcer announcer;
    private final PeerSources sources;
    /** The engine's DHT node, unless there is none or the torrent is private. */
    private final Optional<DhtNetwork.Node> dht;
    private final TorrentLifecycle lifecycle = new TorrentLifecycle();
    private final boolean completeAtStart;
    private final SessionHandle handle;
    private TorrentLifecycle.State published;
    private TransferStatus lastProgress;
    private Scheduler.Cancellable tickTask;
    private int ticks;
    private final TorrentStopping stopping = new TorrentStopping(this);

    /**
     * @param verified     the pieces already on disk and checked
     * @param selection    the wanted files: complete once their pieces are verified
     * @param keepSeeding  go on seeding once complete (otherwise stop)
     */
    public TorrentSession(Metainfo metainfo, TorrentStorage storage, Bitfield verified, FileSelection selection,
                          SessionOptions options, boolean keepSeeding, TorrentContext ctx) {
        this.selection = selection;
        this.metainfo = metainfo;
        this.storage = storage;
        this.options = options;
        this.keepSeeding = keepSeeding;
        this.ctx = ctx;
        this.loop = new FailSafeScheduler(ctx.loop(), this::crashed);
        this.disk = new FailSafeScheduler(ctx.disk(), e -> loop.execute(() -> crashed(e)));
        this.writes = new FailSafeScheduler(ctx.writes(), e -> loop.execute(() -> crashed(e)));
        var verifier = new PieceVerifier(metainfo);
        this.layout = verifier.layout();
        this.have = verified.copy();
        this.name = metainfo.info().name();
        Digest wireHash = metainfo.infoHashes().v1().orElseGet(() -> metainfo.infoHashes().v2Truncated().orElseThrow());
        var hashes = new ArrayList<>(List.of(wireHash));
        metainfo.infoHashes().v2Truncated().ifPresent(hashes::add);
        this.infoHashes = List.copyOf(hashes);
        this.id = wireHash.hex();
        this.wanted = selection.wantedPieces(layout);
        this.priorities = new PiecePriorities(layout.pieceCount());
        this.verifiedPieces = new VerifiedPieces(storage, verified);
        this.picker = picker(verified);
        this.completion = new PieceCompletion(layout, verifier, storage, loop, disk, writes, maxPartialPieces(),
                new PieceVerdicts(this));
        this.counters = new TransferCounters(layout, have, selection);
        this.resume = new ResumeRecords(storage, have, loop, disk);
        TorrentHost host = ctx.host();
        // BEP 27: a private torrent's peers come from its trackers only: no DHT, no PEX, no local discovery
        this.dht = host.dht().filter(d -> !metainfo.info().isPrivate());
        var registered = new ArrayList<Extension>();
        registered.add(MetadataServing.of(metainfo));
        ctx.extensions().forEach(f -> registered.add(f.forTorrent(id)));
        // BEP 27: a private torrent gets peers from its trackers only, so it neither offers nor speaks ut_pex
        PeerExchange pex = metainfo.info().isPrivate() ? null : new PeerExchange(() -> peers().extensionViews(),
                found -> peers().add(found), () -> ctx.time().now());
        Stream.ofNullable(pex).forEach(registered::add);
        this.extensions = new Extensions(registered,
                new Extensions.Ours("jtorr", host.port(), Uploads.MAX_QUEUED_UPLOADS));
        this.talk = new PeerTalk(this);
        this.peers = new PeerSet(talk, host, bans, ctx.network(), loop, () -> ctx.time().now(), infoHashes,
                options.encryption(), options.maxConnections(), layout.pieceCount(), extensions.any(), true,
                dht.isPresent());
        this.requests = new Requests(() -> picker, peers::all, () -> stopped() || paused(), loop, () -> ctx.time().now(),
                ctx.random(), new RateLimit(List.of(new TokenBucket(options.downloadLimit()), host.downloadLimit())));
        this.uploads = new Uploads(peers, layout, have, storage, loop, disk,
                new RateLimit(List.of(new TokenBucket(options.uploadLimit()), host.uploadLimit())),
                options.uploadSlots(), host.uploadSlots(), () -> ctx.time().now(), ctx.random());
        this.completeAtStart = picker.isComplete();
        lifecycle.check();
        lifecycle.checked(completeAtStart);
        this.announcer = new Announcer(infoHashes, options.trackerTiers(metainfo.trackers()), ctx.trackers(),
                loop, ctx.time(), ctx.random(), host.ourId(), Announcer.Session.of(
                        () -> new Announcer.Counters(host.port(), uploads.uploaded(), counters.downloaded(),
                                counters.left()), peers::add, this::notice));
        var sourceList = new ArrayList<PeerSource>(List.of(new ManualPeers(options.peers(), peers::add), announcer));
        dht.ifPresent(d -> sourceList.add(new DhtPeers(infoHashes, d, loop, host::port, peers::add)));
        host.localSwarm().filter(l -> !metainfo.info().isPrivate()).ifPresent(l ->
                sourceList.add(new LocalPeers(infoHashes, l, loop, peers::add)));
        Stream.ofNullable(pex).forEach(sourceList::add);
        this.sources = new PeerSources(sourceList);
        var controls = new TorrentControls(this);
        this.handle = new SessionHandle(id, name, stopping::closeFromOutside, () -> loop.execute(controls::pause),
                () -> loop.execute(controls::resume), () -> loop.execute(controls::recheck),
                new Streaming(priorities, verifiedPieces, loop, () -> requests.moreFromAll()), verifiedPieces);
    }

    /** A picker that takes the pieces not wanted as done, so it neither asks for them nor waits for them. */
    PiecePicker picker(Bitfield verified) {
        Bitfield done = verified.copy();
        for (int p = wanted.nextClear(0); p >= 0; p = wanted.nextClear(p + 1)) {
            done.set(p);
        }
        var picker = new PiecePicker(layout::pieceSize, layout::fetchLength, done,
                new PiecePicker.Options(4, options.sequential(), maxPartialPieces()), priorities);
        if (selection.hasPriorities()) {
            picker.levels(selection.piecesAt(layout, FilePriority.HIGH), selection.piecesAt(layout, FilePriority.LOW));
        }
        return picker;
    }

    /** Pieces in progress at once: as many as the memory budget holds. */
    private int maxPartialPieces() {
        return (int) Math.max(2, options.memoryBudget() / layout.pieceLength());
    }

    public TorrentHandle handle() {
        return handle;
    }

    /** The torrent's id: its v1 info-hash in hex. */
    public String id() {
        return id;
    }

    /** The info-hashes an incoming peer may name for this torrent (v1, and a hybrid's truncated v2). */
    public List<Digest> infoHashes() {
        return infoHashes;
    }

    /** Starts the torrent on the engine's thread; the engine routes incoming peers to it from now on. */
    public void start() {
        handle.started(ctx.host().port(), lifecycle.state(), status());
        handle.verified(have);
        if (complete()) {
            handle.completed();
        }
        loop.execute(() -> {
            ctx.host().publish(new EngineEvent.Added(id, name, status()));
            publishState();
            uploads.start(ctx.time().now());
            requests.start(ctx.time().now());
            tick();
        });
    }

    /** Our answer to an incoming peer that named one of {@link #infoHashes()} (adapter thread). */
    public Optional<PeerNetwork.Accepted> accept(Handshake theirs) {
        return peers.accept(theirs);
    }

    // ---- what peer talk and the verdicts need ---------------------------------------------------------------

    PeerSet peers() { return peers; }
    Requests requests() { return requests; }
    Uploads uploads() { return uploads; }
    PiecePicker picker() { return picker; }
    PieceCompletion completion() { return completion; }
    PieceLayout layout() { return layout; }
    Bitfield have() { return have; }
    Instant now() { return ctx.time().now(); }
    boolean stopped() { return stopping.stopped(); }
    Scheduler loop() { return loop; }
    Scheduler disk() { return disk; }
    Scheduler writes() { return writes; }
    TorrentHost host() { return ctx.host(); }
    PeerSources sources() { return sources; }
    TransferCounters counters() { return counters; }
    BanList bans() { return bans; }
    PeerTalk talk() { return talk; }
    Extensions extensions() { return extensions; }
    ResumeRecords resume() { return resume; }
    TorrentLifecycle lifecycle() { return lifecycle; }
    SessionHandle sessionHandle() { return handle; }
    VerifiedPieces verifiedPieces() { return verifiedPieces; }
    boolean keepSeeding() { return keepSeeding; }
    TorrentStorage storage() { return storage; }
    Metainfo metainfo() { return metainfo; }
    Announcer announcer() { return announcer; }

    /** The engine's DHT node as this torrent may use it: never for a private torrent. */
    Optional<DhtNetwork.Node> dht() {
        return dht;
    }

    /** The engine's listening port, whose number our DHT node's UDP port shares. */
    int listenPort() {
        return ctx.host().port();
    }
    boolean completeAtStart() { return completeAtStart; }

    /** A recheck made a new picker: the pieces are as found on disk now. */
    void picker(PiecePicker fresh) {
        picker = fresh;
    }

    /** A fresh check of every wanted piece, on the disk thread, once the pieces on the disk and write threads are done. */
    void checkAgain(java.util.function.Consumer<Bitfield> found) {
        disk.execute(() -> writes.execute(() -> disk.execute(() -> {
            Bitfield pieces = new ExistingDataCheck(metainfo, storage, ProgressListener.NONE, ctx.checkThreads())
                    .run(false, wanted);
            loop.execute(() -> found.accept(pieces));
        })));
    }

    /** Whether every wanted piece is verified. */
    boolean complete() {
        return picker.isComplete();
    }

    /** Whether the torrent takes no peers now (stopping, paused or checking). */
    boolean closed() {
        return stopped() || paused() || lifecycle.state() == TorrentLifecycle.State.CHECKING;
    }

    boolean paused() {
        return lifecycle.state() == TorrentLifecycle.State.PAUSED;
    }

    /** A block arrived that was asked for: counted towards the torrent's download. */
    void downloaded(int bytes, Instant now) {
        counters.downloaded(bytes, now);
    }

    void notice(String message) {
        publish(new EngineEvent.Notice(id, name, message));
    }

    void publish(EngineEvent event) {
        ctx.host().publish(event);
    }

    String name() { return name; }

    // ---- time -----------------------------------------------------------------------------------------------

    private void tick() {
        if (stopped()) {
            return;
        }
        Instant now = ctx.time().now();
        ticks++;
        talk.tick(now);
        if (ticks % 10 == 1) {
            uploads.rechoke(now);
        } else {
            uploads.tick(now);
        }
        if (!closed()) {
            sources.tick(now);
            if (!complete() || keepSeeding) {
                peers.dialDue(now);
            }
        }
        resume.tick(ticks, stopping::failUnlessStopped);
        TransferStatus s = status();
        handle.update(lifecycle.state(), s);
        handle.verified(have);
        handle.trackers(announcer.statuses());
        if (peers.size() > 0 || !s.equals(lastProgress)) {
            // an idle torrent (no peers, nothing changed) stays quiet: a thousand of them would say nothing new
            // a thousand times a second
            handle.peers(peers.exchangedStats());
            ctx.host().publish(new EngineEvent.Progress(id, name, s));
            lastProgress = s;
        }
        tickTask = loop.after(TICK, this::tick);
    }

    TransferStatus status() {
        Phase phase = switch (lifecycle.state()) {
            case SEEDING -> Phase.SEEDING;
            case CHECKING -> Phase.CHECKING;
            case STOPPED, ERROR -> complete() ? Phase.DONE : Phase.DOWNLOADING;
            case PAUSED -> complete() ? Phase.SEEDING : Phase.DOWNLOADING;
            default -> Phase.DOWNLOADING;
        };
        Instant now = ctx.time().now();
        return counters.status(phase, now, uploads.rate(now), uploads.uploaded(), peers.size(), bans.count());
    }

    void publishState() {
        if (lifecycle.state() != published) {
            published = lifecycle.state();
            handle.update(published, status());
            ctx.host().publish(new EngineEvent.StateChanged(id, name, published));
        }
    }

    // ---- pausing and stopping -------------------------------------------------------------------------------

    /** A task threw: stop with the reason rather than go on with state the task left half-updated. */
    private void crashed(Throwable e) {
        stopping.crashed(e);
    }

    void fail(String reason) {
        stopping.fail(reason);
    }

    void stop() {
        stopping.stop();
    }

    /** The tick stops; the peers are closed and no upload is served any more (first steps of stopping). */
    void quiet() {
        if (tickTask != null) {
            tickTask.cancel();
        }
        peers.closeAll("shutting down");
        uploads.close();
    }
}
