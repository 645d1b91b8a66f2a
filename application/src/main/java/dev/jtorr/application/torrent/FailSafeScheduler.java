package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.Scheduler;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A scheduler whose tasks cannot fail silently: a task that throws (a bug, or the heap running out) is handed to
 * {@code onFailure}, so the session can stop with a clear reason instead of carrying on with half-updated state or
 * waiting forever for an event that will not come.
 */
final class FailSafeScheduler implements Scheduler {
    private final Scheduler inner;
    private final Consumer<Throwable> onFailure;

    FailSafeScheduler(Scheduler inner, Consumer<Throwable> onFailure) {
        this.inner = inner;
        this.onFailure = onFailure;
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                onFailure.accept(e);
            }
        };
    }

    @Override
    public void execute(Runnable task) {
        inner.execute(guarded(task));
    }

    @Override
    public Cancellable after(Duration delay, Runnable task) {
        return inner.after(delay, guarded(task));
    }

    @Override
    public void shutdown() {
        inner.shutdown();
    }
}
