package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.piece.Bitfield;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pieces of a torrent verified so far as readers on other threads see them, at once rather than as of the last
 * tick: waits for a piece to be verified, and reads of verified pieces from the torrent's storage on the reader's
 * thread (the storage is thread-safe, and a reader then neither waits behind the disk thread's hashing nor holds it
 * up). A piece is counted here only after it is written, so every byte read is a verified one.
 *
 * <p>Thread-safe: the engine's thread updates it, readers call in. A lock rather than the engine's loop, because a
 * reader blocks and the loop must not.
 */
final class VerifiedPieces {
    private final TorrentStorage storage;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Bitfield pieces;
    private boolean stopped;

    VerifiedPieces(TorrentStorage storage, Bitfield verified) {
        this.storage = storage;
        this.pieces = verified.copy();
    }

    int pieceCount() {
        return pieces.size();
    }

    /** Engine thread: {@code piece} verified and is written. */
    void verified(int piece) {
        lock.lock();
        try {
            pieces.set(piece);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Engine thread: the pieces are as {@code now} says (a recheck began, or found these). */
    void reset(Bitfield now) {
        lock.lock();
        try {
            for (int p = 0; p < pieces.size(); p++) {
                if (now.get(p)) {
                    pieces.set(p);
                } else {
                    pieces.clear(p);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The torrent is stopping: its storage closes soon, so nothing more is read and every wait ends. */
    void stopped() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    boolean has(int piece) {
        check(piece);
        lock.lock();
        try {
            return pieces.get(piece);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeout} for {@code piece} to be verified.
     *
     * @return whether it is
     * @throws IllegalStateException when the torrent stopped
     */
    boolean await(int piece, Duration timeout) throws InterruptedException {
        check(piece);
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!pieces.get(piece) && !stopped && left > 0) {
                left = changed.awaitNanos(left);
            }
            throwIfStopped();
            return pieces.get(piece);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads {@code length} bytes at {@code offset} inside {@code piece} if the piece is verified; empty if not.
     *
     * @throws IllegalStateException when the torrent stopped
     */
    Optional<ByteBuffer> read(int piece, int offset, int length) {
        throwIfStoppedLocked();
        if (!has(piece)) {
            return Optional.empty();
        }
        ByteBuffer bytes = storage.readBlock(piece, offset, length);
        // a recheck may have found the piece bad while it was read: then what was read is not vouched for
        return has(piece) ? Optional.of(bytes) : Optional.empty();
    }

    private void throwIfStoppedLocked() {
        lock.lock();
        try {
            throwIfStopped();
        } finally {
            lock.unlock();
        }
    }

    private void throwIfStopped() {
        if (stopped) {
            throw new IllegalStateException("the torrent stopped");
        }
    }

    private void check(int piece) {
        if (piece < 0 || piece >= pieces.size()) {
            throw new IllegalArgumentException("piece " + piece + " is not in the torrent (" + pieces.size()
                    + " pieces)");
        }
    }
}
