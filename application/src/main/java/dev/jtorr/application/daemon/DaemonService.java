package dev.jtorr.application.daemon;

import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.StartDaemonCommand;
import dev.jtorr.application.port.in.StartDaemonUseCase;

/** Starts daemons on one runtime; torrents that cannot be taken up on start are told to the runtime's progress. */
public final class DaemonService implements StartDaemonUseCase {
    private final SwarmRuntime runtime;

    public DaemonService(SwarmRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public RunningDaemon start(StartDaemonCommand command) {
        return Daemon.start(runtime, command, runtime.progress()::notice);
    }
}
