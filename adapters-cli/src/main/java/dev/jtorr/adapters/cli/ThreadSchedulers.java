package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.SchedulerFactory;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One platform thread per torrent session, from a {@link ScheduledThreadPoolExecutor} of size one. */
public final class ThreadSchedulers implements SchedulerFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadSchedulers.class);

    @Override
    public Scheduler create(String name) {
        var executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return new Scheduler() {
            @Override
            public void execute(Runnable task) {
                try {
                    executor.execute(guarded(task));
                } catch (RejectedExecutionException e) {
                    // the session has stopped: late events from connections are dropped
                }
            }

            @Override
            public Cancellable after(Duration delay, Runnable task) {
                try {
                    var f = executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
                    return () -> f.cancel(false);
                } catch (RejectedExecutionException e) {
                    return () -> { };
                }
            }

            @Override
            public void shutdown() {
                executor.shutdownNow();
            }
        };
    }

    /** A task that throws must not kill the session's thread; it is a bug, so it is logged loudly. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("session task failed", e);
            }
        };
    }
}
