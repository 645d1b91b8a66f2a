package dev.jtorr.adapters.net.http;

import dev.jtorr.application.daemon.DaemonService;
import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.StartDaemonCommand;
import dev.jtorr.application.port.in.StartDaemonUseCase.RunningDaemon;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.SchedulerFactory;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.testing.CapturingNetwork;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real daemon ({@link DaemonService}) on the application's in-memory ports: torrents and state in memory, pieces in
 * memory, a network that connects nothing, no trackers; real threads and the real clock, as the HTTP server has.
 */
final class TestDaemon implements AutoCloseable {
    private static final TimeSource CLOCK = new TimeSource() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    };

    final RunningDaemon daemon;

    TestDaemon(Path stateDir) {
        var runtime = new SwarmRuntime(new InMemoryMetainfoStore(), new InMemoryPieceStorage(), new CapturingNetwork(),
                TrackerClient.NONE, new ExecutorSchedulers(), CLOCK, new SplittableRandom(7), ProgressListener.NONE,
                1);
        var options = new SessionOptions(List.of(), "", 0, 10, 2, 0, 0, false, 16L << 20, List.of(), true,
                EncryptionPolicy.PREFER);
        daemon = new DaemonService(runtime).start(new StartDaemonCommand(stateDir.resolve("state"),
                stateDir.resolve("downloads"), List.of(), options));
    }

    /** A single-file hybrid .torrent of {@code size} random bytes, made by the application's creation code. */
    static byte[] torrent(String name, int size, List<String> trackers) {
        byte[] data = new byte[size];
        new Random(name.hashCode()).nextBytes(data);
        var store = new InMemoryMetainfoStore();
        var created = new CreateTorrentService(new InMemoryContentReader().put(name, data), store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1,
                "test").create(new CreateTorrentCommand(Path.of(name), Optional.empty(), Optional.of(16 * 1024L),
                TorrentVersion.HYBRID, trackers.stream().map(List::of).toList(), List.of(), false, Optional.empty(),
                Optional.empty(), false, false));
        return store.get(created.file());
    }

    @Override
    public void close() {
        try {
            daemon.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the daemon closed", e);
        }
    }

    /**
     * One thread per scheduler, as the CLI's schedulers: tasks in submission order, timers on the real clock, a task
     * that throws logged and survived; shutting down drops what is pending and interrupts nothing (a session shuts
     * its own scheduler down from one of its tasks).
     */
    private static final class ExecutorSchedulers implements SchedulerFactory {
        private static final Logger LOG = LoggerFactory.getLogger(ExecutorSchedulers.class);

        @Override
        public Scheduler create(String name) {
            var executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            var stopped = new AtomicBoolean();
            Function<Runnable, Runnable> guarded = task -> () -> {
                if (stopped.get()) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("session task failed", e);
                }
            };
            return new Scheduler() {
                @Override
                public void execute(Runnable task) {
                    try {
                        executor.execute(guarded.apply(task));
                    } catch (RejectedExecutionException e) {
                        // shut down: late events are dropped, as the CLI's schedulers drop them
                    }
                }

                @Override
                public Cancellable after(Duration delay, Runnable task) {
                    try {
                        var future = executor.schedule(guarded.apply(task), delay.toNanos(), TimeUnit.NANOSECONDS);
                        return () -> future.cancel(false);
                    } catch (RejectedExecutionException e) {
                        return () -> { };
                    }
                }

                @Override
                public void shutdown() {
                    stopped.set(true);
                    executor.shutdown();
                }
            };
        }
    }
}
