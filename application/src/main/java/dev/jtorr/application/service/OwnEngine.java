package dev.jtorr.application.service;

import dev.jtorr.application.engine.Engine;
import dev.jtorr.application.engine.EngineOptions;
import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs one command's torrents in an engine of their own, with the first torrent's options as the engine's totals;
 * the engine closes once they have all stopped, or at once if one of them cannot start.
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
        var handles = new ArrayList<TorrentHandle>();
        try {
            for (C c : commands) {
                handles.add(add.apply(engine, c));
            }
        } catch (RuntimeException e) {
            engine.shutdown();
            throw e;
        }
        engine.closeWhenIdle();
        return handles;
    }
}
