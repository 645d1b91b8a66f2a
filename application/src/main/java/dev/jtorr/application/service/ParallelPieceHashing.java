package dev.jtorr.application.service;

import dev.jtorr.application.port.out.ContentReader;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.TorrentHashes;
import dev.jtorr.domain.metainfo.TorrentHashes.PieceDigests;
import dev.jtorr.domain.piece.FileSpan;
import dev.jtorr.domain.piece.PieceHasher;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hashes every piece of a torrent on several platform threads (hashing is CPU work). Each worker owns one buffer of
 * one piece and claims the next piece in order, so reads stay nearly sequential and memory is
 * {@code threads × piece length} whatever the content's size. The calling thread records the results and reports
 * progress; the first failure stops every worker and is rethrown.
 */
final class ParallelPieceHashing {
    private final TorrentHashes hashes;
    private final int[] contentIndex;
    private final ContentReader.Source source;
    private final int threads;
    private final TimeSource time;
    private final ProgressListener progress;
    private final long progressIntervalNanos;

    private final AtomicInteger nextPiece = new AtomicInteger();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    ParallelPieceHashing(TorrentHashes hashes, List<FileEntry> placed, ContentReader.Source source, int threads,
                         TimeSource time, ProgressListener progress, long progressIntervalNanos) {
        this.hashes = hashes;
        this.source = source;
        this.threads = threads;
        this.time = time;
        this.progress = progress;
        this.progressIntervalNanos = progressIntervalNanos;
        // placed entries include pad files; map each real file to its index in the listed content
        this.contentIndex = new int[placed.size()];
        int next = 0;
        for (int i = 0; i < placed.size(); i++) {
            contentIndex[i] = placed.get(i).isPadding() ? -1 : next++;
        }
    }

    void run() {
        int pieces = hashes.layout().pieceCount();
        long total = hashes.layout().streamLength();
        var results = new PieceDigests[pieces];
        var workers = new ArrayList<Thread>(threads);
        for (int t = 0; t < Math.min(threads, Math.max(pieces, 1)); t++) {
            workers.add(Thread.ofPlatform().name("jtorr-hash-" + t).daemon().start(() -> work(results)));
        }
        long lastReport = time.nanoTime() - progressIntervalNanos;
        for (Thread worker : workers) {
            while (!join(worker)) {
                long now = time.nanoTime();
                if (now - lastReport >= progressIntervalNanos) {
                    progress.hashing(bytesDone.get(), total);
                    lastReport = now;
                }
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        for (int p = 0; p < pieces; p++) {
            hashes.record(p, results[p]);
        }
        progress.hashing(total, total);
    }

    private boolean join(Thread worker) {
        try {
            return worker.join(java.time.Duration.ofMillis(50));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new IllegalStateException("interrupted while hashing"));
            nextPiece.set(Integer.MAX_VALUE / 2);
            return true;
        }
    }

    private void work(PieceDigests[] results) {
        var hasher = new PieceHasher();
        var buffer = ByteBuffer.allocate((int) hashes.layout().pieceLength());
        // Bytes of the buffer from here on are zeros: a small file's piece is mostly padding, and zeroing all of it
        // again for every piece would write as many bytes as the hashing reads.
        int zerosFrom = 0;
        try {
            for (int p = nextPiece.getAndIncrement(); p < results.length && failure.get() == null;
                 p = nextPiece.getAndIncrement()) {
                buffer.clear().limit(hashes.layout().pieceSize(p));
                for (FileSpan span : hashes.layout().spans(p)) {
                    int at = buffer.position();
                    int end = at + span.length();
                    if (span.padding()) {
                        if (at < zerosFrom) {
                            Arrays.fill(buffer.array(), at, Math.min(end, zerosFrom), (byte) 0);
                        }
                        if (end >= zerosFrom) {
                            zerosFrom = Math.min(zerosFrom, at);
                        }
                    } else {
                        ByteBuffer target = buffer.slice(at, span.length());
                        source.read(contentIndex[span.fileIndex()], span.fileOffset(), target);
                        zerosFrom = Math.max(zerosFrom, end);
                    }
                    buffer.position(end);
                }
                buffer.flip();
                results[p] = hashes.digest(p, buffer, hasher);
                bytesDone.addAndGet(buffer.limit());
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }
}
