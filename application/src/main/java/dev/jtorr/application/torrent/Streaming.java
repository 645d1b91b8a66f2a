package dev.jtorr.application.torrent;

import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.domain.picker.PiecePriorities;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What readers of a torrent's files (streaming) ask of its engine: pieces to fetch before any other. A reader's claim
 * is set, moved and dropped on the engine's thread, where the picker reads the {@link PiecePriorities}; requests go
 * out at once, so a reader does not wait for the next block to arrive before its pieces are asked for.
 */
final class Streaming {
    private final PiecePriorities priorities;
    private final VerifiedPieces verified;
    private final Scheduler loop;
    private final Runnable requestMore;
    private final AtomicInteger keys = new AtomicInteger();

    /**
     * @param priorities  the torrent's prioritized pieces, touched on the engine's thread only
     * @param requestMore tops up every peer's requests (engine thread)
     */
    Streaming(PiecePriorities priorities, VerifiedPieces verified, Scheduler loop, Runnable requestMore) {
        this.priorities = priorities;
        this.verified = verified;
        this.loop = loop;
        this.requestMore = requestMore;
    }

    /** Any thread: a claim on pieces {@code first..last}, held until it is closed. */
    TorrentHandle.Priority prioritize(int first, int last) {
        check(first, last);
        int key = keys.incrementAndGet();
        var claim = new Claim(key);
        claim.move(first, last);
        return claim;
    }

    private void check(int first, int last) {
        if (first < 0 || last < first || last >= verified.pieceCount()) {
            throw new IllegalArgumentException("pieces " + first + ".." + last + " are not in the torrent ("
                    + verified.pieceCount() + " pieces)");
        }
    }

    private final class Claim implements TorrentHandle.Priority {
        private final int key;
        private volatile boolean closed;

        Claim(int key) {
            this.key = key;
        }

        @Override
        public void move(int first, int last) {
            check(first, last);
            if (closed || verified.isStopped()) {
                return; // a stopped torrent's loop may be gone with its engine
            }
            loop.execute(() -> {
                if (!closed) {
                    priorities.set(key, first, last);
                    requestMore.run();
                }
            });
        }

        @Override
        public void close() {
            closed = true;
            if (!verified.isStopped()) {
                loop.execute(() -> priorities.remove(key));
            }
        }
    }
}
