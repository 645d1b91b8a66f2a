package dev.jtorr.application.torrent;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounds the work one connection has handed to the session thread and that is not handled yet. A connection's
 * reader calls {@link #enter} before handing over a batch of messages and the session calls {@link #leave} once it
 * has handled it; past {@code limit} batches the reader waits, so a peer that floods messages faster than the
 * session handles them is slowed by TCP's flow control instead of filling the heap.
 */
final class Backlog {
    private final Semaphore room;

    Backlog(int limit) {
        this.room = new Semaphore(limit);
    }

    /**
     * Waits for room for one more batch; gives up (returns false: drop the batch) once {@code abandon} holds, which
     * is checked every {@code pollMillis} while waiting, or when the thread is interrupted.
     */
    boolean enter(BooleanSupplier abandon, long pollMillis) {
        try {
            while (!room.tryAcquire(pollMillis, TimeUnit.MILLISECONDS)) {
                if (abandon.getAsBoolean()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One batch has been handled. */
    void leave() {
        room.release();
    }
}
