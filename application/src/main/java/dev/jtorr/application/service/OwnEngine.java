package dev.jtorr.application.service;

import dev.jtorr.application.engine.Engine;
import dev.jtorr.application.engine.EngineOptions;
import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs one command's torrents in an engine of their own, with the first torrent's options as the engine's totals;
 * the engine closes once they have all stopped, or at once if one of them cannot start (the first error found, in
 * the order given, is thrown).
 */
final class OwnEngine {
    private OwnEngine() {
    }

    static <C> List<TorrentHandle> startAll(SwarmRuntime runtime, List<C> commands, Function<C, SessionOptions> options,
                                            BiFunction<Engine, C, TorrentHandle> add) {
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("no torrent given");
        }
        Engine engine = Engine.start(runtime, EngineOptions.of(options.apply(commands.get(0))));
        try {
            List<TorrentHandle> handles = commands.size() == 1 ? List.of(add.apply(engine, commands.get(0)))
                    : addInParallel(engine, commands, add, runtime.checkThreads());
            engine.closeWhenIdle();
            return handles;
        } catch (RuntimeException e) {
            engine.shutdown();
            throw e;
        }
    }

    /**
     * Reading, opening and checking the torrents on every core: a thousand resumed torrents are a thousand small
     * parses and file checks, which one thread does one after the other. Their handles come back in the order given.
     */
    private static <C> List<TorrentHandle> addInParallel(Engine engine, List<C> commands,
                                                         BiFunction<Engine, C, TorrentHandle> add, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, commands.size())),
                Thread.ofPlatform().name("jtorr-add-", 0).daemon().factory());
        try {
            var futures = new ArrayList<Future<TorrentHandle>>();
            for (C c : commands) {
                futures.add(pool.submit(() -> add.apply(engine, c)));
            }
            var handles = new ArrayList<TorrentHandle>(commands.size());
            RuntimeException failed = null;
            for (Future<TorrentHandle> f : futures) {
                try {
                    handles.add(f.get()); // every add ends before a failure stops the engine: none comes after it
                } catch (ExecutionException e) {
                    if (failed == null) {
                        failed = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
            return handles;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while adding torrents", e);
        } finally {
            pool.shutdown();
        }
    }
}
