package dev.jtorr.application.port.out;

import java.time.Duration;

/**
 * The single thread on which a torrent session runs: tasks run one at a time, in submission order, so the session's
 * state needs no locks. A simulated implementation runs tasks in virtual time.
 */
public interface Scheduler {
    /** Runs {@code task} on the session thread as soon as possible. Callable from any thread. */
    void execute(Runnable task);

    /** Runs {@code task} on the session thread after {@code delay}. */
    Cancellable after(Duration delay, Runnable task);

    /** Stops the thread; pending tasks are dropped. */
    void shutdown();

    /** A scheduled task that may still be cancelled. */
    interface Cancellable {
        void cancel();
    }
}
