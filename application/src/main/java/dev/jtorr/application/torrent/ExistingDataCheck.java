package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.PieceVerifier;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.FileSpan;
import dev.jtorr.domain.piece.PieceLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finds which pieces of a torrent are already on disk and correct, hashing on every core (one piece buffer per
 * thread). With a fast-resume record whose files are unchanged, the pieces it lists are trusted and only the others
 * are hashed, so a piece verified before a crash is never lost and a finished download starts at once.
 */
public final class ExistingDataCheck {
    private final Metainfo metainfo;
    /** Built once: building it walks every file, and a check asks it about every piece. */
    private final PieceLayout layout;
    private final TorrentStorage storage;
    private final ProgressListener progress;
    private final int threads;
    private int hashed;

    public ExistingDataCheck(Metainfo metainfo, TorrentStorage storage, ProgressListener progress, int threads) {
        this.metainfo = metainfo;
        this.layout = metainfo.info().pieceLayout();
        this.storage = storage;
        this.progress = progress;
        this.threads = Math.max(1, threads);
    }

    /** The pieces that verify (or that the resume record vouches for). */
    public Bitfield run(boolean useResume) {
        return run(useResume, Bitfield.full(metainfo.info().pieceCount()));
    }

    /** The pieces among {@code wanted} that verify (or that the resume record vouches for); the others are not read. */
    public Bitfield run(boolean useResume, Bitfield wanted) {
        int pieces = metainfo.info().pieceCount();
        Optional<Bitfield> resume = useResume ? storage.loadResume() : Optional.empty();
        var result = new Bitfield(pieces);
        resume.filter(r -> r.size() == pieces).ifPresent(r -> {
            for (int i = r.nextSet(0); i >= 0; i = r.nextSet(i + 1)) {
                result.set(i);
            }
        });
        var todo = new ArrayList<Integer>();
        for (int i = result.nextClear(0); i >= 0; i = result.nextClear(i + 1)) {
            if (wanted.get(i)) {
                todo.add(i);
            }
        }
        hashed = todo.size();
        boolean[] good = hash(todo);
        for (int k = 0; k < todo.size(); k++) {
            if (good[k]) {
                result.set(todo.get(k));
            }
        }
        return result;
    }

    /** Pieces the last {@link #run} had to check (those the resume record did not vouch for). */
    public int checked() {
        return hashed;
    }

    /**
     * Verdicts for the given pieces, in order. Pieces that lie (partly) in files that are missing or too short are
     * not read: they fail without I/O, and the progress counts only the pieces read (none for a fresh download).
     */
    public boolean[] hash(List<Integer> pieces) {
        boolean[] good = new boolean[pieces.size()];
        if (pieces.isEmpty()) {
            return good; // a record vouched for everything: not even a stat of the files
        }
        long[] sizes = storage.fileSizes();
        var readable = new ArrayList<Integer>();
        var at = new ArrayList<Integer>();
        for (int k = 0; k < pieces.size(); k++) {
            if (onDisk(pieces.get(k), sizes)) {
                readable.add(pieces.get(k));
                at.add(k);
            }
        }
        if (readable.isEmpty()) {
            return good;
        }
        boolean[] read;
        try (TorrentStorage.ReadingAhead ahead = storage.readingAhead(readable)) {
            read = hashReadable(readable);
        }
        for (int k = 0; k < read.length; k++) {
            good[at.get(k)] = read[k];
        }
        return good;
    }

    private boolean onDisk(int piece, long[] sizes) {
        for (FileSpan span : layout.spans(piece)) {
            if (!span.padding() && sizes[span.fileIndex()] < span.fileOffset() + span.length()) {
                return false;
            }
        }
        return true;
    }

    private boolean[] hashReadable(List<Integer> todo) {
        boolean[] good = new boolean[todo.size()];
        var next = new AtomicInteger();
        var done = new AtomicLong();
        var failure = new AtomicReference<RuntimeException>();
        long total = (long) todo.size() * metainfo.info().pieceLength();
        var workers = new ArrayList<Thread>();
        for (int t = 0; t < Math.min(threads, Math.max(1, todo.size())); t++) {
            workers.add(Thread.ofPlatform().name("jtorr-check-" + t).daemon().start(() -> {
                var verifier = new PieceVerifier(metainfo);
                var buffer = ByteBuffer.allocate((int) metainfo.info().pieceLength());
                try {
                    for (int k = next.getAndIncrement(); k < todo.size() && failure.get() == null;
                         k = next.getAndIncrement()) {
                        int piece = todo.get(k);
                        buffer.clear().limit(verifier.dataLength(piece));
                        good[k] = storage.readPiece(piece, buffer) && verifier.verify(piece, buffer.flip());
                        done.addAndGet(metainfo.info().pieceLength());
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread w : workers) {
            try {
                while (!w.join(java.time.Duration.ofMillis(200))) {
                    progress.hashing(done.get(), total);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, new IllegalStateException("interrupted while checking data"));
                next.set(Integer.MAX_VALUE / 2);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        progress.hashing(total, total);
        return good;
    }
}
