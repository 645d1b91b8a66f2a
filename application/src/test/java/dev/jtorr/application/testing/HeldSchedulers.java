package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.SchedulerFactory;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Session threads whose tasks wait in queues until the test runs them, on the test's own thread: one queue for the
 * sessions' loops, one for their disk threads and one for their write threads (schedulers named "...-disk" and
 * "...-write"). Timers wait until {@link #fireTimers},
 * whatever their delay.
 */
public final class HeldSchedulers implements SchedulerFactory {
    private final ArrayDeque<Runnable> loop = new ArrayDeque<>();
    private final ArrayDeque<Runnable> disk = new ArrayDeque<>();
    private final ArrayDeque<Runnable> writes = new ArrayDeque<>();
    private final ArrayDeque<Runnable> timers = new ArrayDeque<>();

    @Override
    public Scheduler create(String name) {
        ArrayDeque<Runnable> queue = name.endsWith("-disk") ? disk : name.endsWith("-write") ? writes : loop;
        return new Scheduler() {
            @Override
            public void execute(Runnable task) {
                synchronized (queue) {
                    queue.add(task);
                }
            }

            @Override
            public Cancellable after(Duration delay, Runnable task) {
                synchronized (timers) {
                    timers.add(task);
                }
                return () -> {
                    synchronized (timers) {
                        timers.remove(task);
                    }
                };
            }

            @Override
            public void shutdown() {
            }
        };
    }

    /** Runs the loops' tasks, including those they queue meanwhile, until none is left. */
    public void runLoops() {
        drain(loop);
    }

    /**
     * Runs the disk threads' tasks, then the write threads', including those they queue meanwhile, until neither
     * has any left.
     */
    public void runDisks() {
        while (!isEmpty(disk) || !isEmpty(writes)) {
            drain(disk);
            drain(writes);
        }
    }

    /** Runs the disk threads' tasks (hashing pieces, reading blocks) only, until none is left. */
    public void runDisksOnly() {
        drain(disk);
    }

    /** Runs the write threads' tasks only, until none is left. */
    public void runWrites() {
        drain(writes);
    }

    /** Runs the timers set so far, as if their time had come (those they set in turn wait for the next call). */
    public void fireTimers() {
        ArrayDeque<Runnable> due;
        synchronized (timers) {
            due = new ArrayDeque<>(timers);
            timers.clear();
        }
        due.forEach(Runnable::run);
    }

    /** Runs every queued task, loop, disk and write, until none is left (timers are not fired). */
    public void runQueued() {
        while (!isEmpty(loop) || !isEmpty(disk) || !isEmpty(writes)) {
            runLoops();
            runDisks();
        }
    }

    private static boolean isEmpty(ArrayDeque<Runnable> queue) {
        synchronized (queue) {
            return queue.isEmpty();
        }
    }

    private static void drain(ArrayDeque<Runnable> queue) {
        while (true) {
            Runnable next;
            synchronized (queue) {
                next = queue.poll();
            }
            if (next == null) {
                return;
            }
            next.run();
        }
    }
}
