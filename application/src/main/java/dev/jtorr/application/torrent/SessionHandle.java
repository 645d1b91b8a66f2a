package dev.jtorr.application.torrent;

import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.swarm.TransferStatus;
import dev.jtorr.domain.torrent.TorrentLifecycle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The outside view of a torrent: thread-safe snapshots and waits, updated by the engine's thread. */
final class SessionHandle implements TorrentHandle {
    private final String id;
    private final String name;
    private final java.util.function.Consumer<Boolean> stopper;
    private final Runnable pauser;
    private final Runnable resumer;
    private final Runnable rechecker;
    private volatile TorrentLifecycle.State state = TorrentLifecycle.State.ADDED;
    private final CountDownLatch complete = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int port;
    private volatile TransferStatus status;
    private volatile String failure;
    private volatile List<PeerStats> peers = List.of();
    private volatile Bitfield verified;
    private volatile List<TrackerStatus> trackers = List.of();
    private final Streaming streaming;
    private final VerifiedPieces pieces;

    /**
     * @param stopper   stops the torrent; given true, also deletes its data
     * @param streaming prioritized pieces, for readers of the torrent's files
     * @param pieces    the verified pieces, for readers of the torrent's files
     */
    SessionHandle(String id, String name, java.util.function.Consumer<Boolean> stopper, Runnable pauser,
                  Runnable resumer, Runnable rechecker, Streaming streaming, VerifiedPieces pieces) {
        this.streaming = streaming;
        this.pieces = pieces;
        this.rechecker = rechecker;
        this.id = id;
        this.name = name;
        this.stopper = stopper;
        this.pauser = pauser;
        this.resumer = resumer;
    }

    void started(int boundPort, TorrentLifecycle.State now, TransferStatus initial) {
        port = boundPort;
        state = now;
        status = initial;
    }

    void update(TorrentLifecycle.State now, TransferStatus s) {
        state = now;
        status = s;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TorrentLifecycle.State state() {
        return state;
    }

    @Override
    public void pause() {
        pauser.run();
    }

    @Override
    public void resume() {
        resumer.run();
    }

    @Override
    public void recheck() {
        rechecker.run();
    }

    /** Takes a snapshot of the verified pieces when their number changed (engine thread). */
    void verified(Bitfield live) {
        Bitfield snapshot = verified;
        if (snapshot == null || snapshot.count() != live.count()) {
            verified = live.copy();
        }
    }

    @Override
    public Bitfield verifiedPieces() {
        Bitfield snapshot = verified;
        return snapshot == null ? new Bitfield(0) : snapshot.copy();
    }

    void trackers(List<TrackerStatus> list) {
        trackers = List.copyOf(list);
    }

    @Override
    public List<TrackerStatus> trackers() {
        return trackers;
    }

    void peers(List<PeerStats> list) {
        peers = List.copyOf(list);
    }

    @Override
    public List<PeerStats> peers() {
        return peers;
    }

    void completed() {
        complete.countDown();
    }

    void failed(String reason) {
        failure = reason;
    }

    void stopped(TransferStatus last) {
        pieces.stopped();
        status = last;
        stopped.countDown();
        complete.countDown();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public TransferStatus status() {
        return status;
    }

    @Override
    public boolean awaitComplete(Duration timeout) throws InterruptedException {
        complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        TransferStatus s = status;
        return s != null && s.verifiedBytes() == s.totalBytes() && failure == null;
    }

    @Override
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public Priority prioritize(int firstPiece, int lastPiece) {
        return streaming.prioritize(firstPiece, lastPiece);
    }

    @Override
    public boolean pieceVerified(int piece) {
        return pieces.has(piece);
    }

    @Override
    public boolean awaitPiece(int piece, Duration timeout) throws InterruptedException {
        return pieces.await(piece, timeout);
    }

    @Override
    public Optional<ByteBuffer> readVerified(int piece, int offset, int length) {
        return pieces.read(piece, offset, length);
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        remove(false);
    }

    @Override
    public void remove(boolean deleteData) {
        if (stopped.getCount() > 0) {
            stopper.accept(deleteData);
        }
    }
}
