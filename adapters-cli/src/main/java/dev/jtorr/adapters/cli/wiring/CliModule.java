package dev.jtorr.adapters.cli.wiring;

import com.google.inject.AbstractModule;
import dev.jtorr.adapters.cli.ThreadSchedulers;
import dev.jtorr.application.port.in.DownloadTorrentUseCase;
import dev.jtorr.application.port.in.ResolveMagnetUseCase;
import dev.jtorr.application.port.in.SeedTorrentUseCase;
import dev.jtorr.application.port.in.VerifyTorrentUseCase;
import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.application.port.out.LocalDiscovery;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.port.out.TrackerTransport;
import dev.jtorr.application.port.in.ServeTrackerUseCase;
import dev.jtorr.application.service.TrackerService;
import dev.jtorr.adapters.cli.DemoRuntime;
import dev.jtorr.application.port.out.PieceStorage;
import dev.jtorr.application.service.DownloadTorrentService;
import dev.jtorr.application.service.ResolveMagnetService;
import dev.jtorr.application.service.SeedTorrentService;
import dev.jtorr.adapters.cli.ApiServing;
import dev.jtorr.adapters.net.http.ApiConfig;
import dev.jtorr.adapters.net.http.HttpApiServer;
import dev.jtorr.application.daemon.DaemonService;
import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.StartDaemonUseCase;
import dev.jtorr.application.service.VerifyTorrentService;
import java.security.SecureRandom;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.jtorr.adapters.cli.ConsoleProgress;
import dev.jtorr.adapters.cli.SystemTimeSource;
import dev.jtorr.adapters.cli.Terminal;
import dev.jtorr.adapters.cli.VersionProvider;
import dev.jtorr.application.port.in.CreateTorrentUseCase;
import dev.jtorr.application.port.in.InspectTorrentUseCase;
import dev.jtorr.application.port.out.ContentReader;
import dev.jtorr.application.port.out.MetainfoStore;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.service.InspectTorrentService;
import java.nio.file.Path;

/** Builds the application's services from the adapters' ports. Does no I/O. */
final class CliModule extends AbstractModule {
    /** Where {@code create} writes when no output is given. */
    static final Path TORRENTS_FOLDER = Path.of("torrents");

    private final Terminal terminal;

    CliModule(Terminal terminal) {
        this.terminal = terminal;
    }

    @Provides
    @Singleton
    Terminal terminal() {
        return terminal;
    }

    @Provides
    @Singleton
    ConsoleProgress consoleProgress(Terminal t) {
        return new ConsoleProgress(t);
    }

    @Provides
    ProgressListener progressListener(ConsoleProgress progress) {
        return progress;
    }

    @Provides
    @Singleton
    TimeSource timeSource() {
        return new SystemTimeSource();
    }

    @Provides
    @Singleton
    CreateTorrentUseCase createTorrent(ContentReader reader, MetainfoStore store, TimeSource time,
                                       ProgressListener progress) {
        return new CreateTorrentService(reader, store, time, progress, TORRENTS_FOLDER,
                Runtime.getRuntime().availableProcessors(), "jtorr " + VersionProvider.version());
    }

    @Provides
    @Singleton
    SwarmRuntime swarmRuntime(MetainfoStore store, PieceStorage storage, PeerNetwork network, TrackerClient trackers,
                              TimeSource time, ProgressListener progress, DhtNetwork dht, LocalDiscovery lsd) {
        return new SwarmRuntime(store, storage, network, trackers, new ThreadSchedulers(), time, new SecureRandom(),
                progress, Runtime.getRuntime().availableProcessors(), dht, lsd);
    }

    @Provides
    @Singleton
    ServeTrackerUseCase serveTracker(TrackerTransport transport, TimeSource time) {
        return new TrackerService(transport, new ThreadSchedulers(), time, new SecureRandom());
    }

    @Provides
    @Singleton
    DemoRuntime demoRuntime(SwarmRuntime shared, ContentReader reader, ServeTrackerUseCase tracker) {
        return new DemoRuntime() {
            @Override
            public CreateTorrentUseCase creator() {
                return new CreateTorrentService(reader, shared.metainfoStore(), shared.time(), ProgressListener.NONE,
                        TORRENTS_FOLDER, shared.checkThreads(), "jtorr " + VersionProvider.version());
            }

            @Override
            public ServeTrackerUseCase tracker() {
                return tracker;
            }

            private SwarmRuntime with(ProgressListener p) {
                return new SwarmRuntime(shared.metainfoStore(), shared.storage(), shared.network(), shared.trackers(),
                        shared.schedulers(), shared.time(), shared.random(), p, shared.checkThreads(), shared.dht(),
                        shared.lsd());
            }

            @Override
            public SeedTorrentUseCase seeder(ProgressListener progress) {
                return new SeedTorrentService(with(progress));
            }

            @Override
            public DownloadTorrentUseCase downloader(ProgressListener progress) {
                return new DownloadTorrentService(with(progress));
            }

            @Override
            public VerifyTorrentUseCase verifier() {
                return new VerifyTorrentService(with(ProgressListener.NONE));
            }
        };
    }

    @Provides
    @Singleton
    DownloadTorrentUseCase downloadTorrent(SwarmRuntime runtime) {
        return new DownloadTorrentService(runtime);
    }

    @Provides
    @Singleton
    ResolveMagnetUseCase resolveMagnet(SwarmRuntime runtime) {
        return new ResolveMagnetService(runtime);
    }

    @Provides
    @Singleton
    SeedTorrentUseCase seedTorrent(SwarmRuntime runtime) {
        return new SeedTorrentService(runtime);
    }

    @Provides
    @Singleton
    VerifyTorrentUseCase verifyTorrent(SwarmRuntime runtime) {
        return new VerifyTorrentService(runtime);
    }

    @Provides
    @Singleton
    StartDaemonUseCase startDaemon(SwarmRuntime runtime) {
        return new DaemonService(runtime);
    }

    @Provides
    ApiServing apiServing() {
        return (bind, port, stateDir, hostNames, torrents) -> {
            HttpApiServer server = HttpApiServer.start(new ApiConfig(bind, port, stateDir, hostNames, false),
                    torrents);
            return new ApiServing.Served() {
                @Override
                public int port() {
                    return server.port();
                }

                @Override
                public void close() {
                    server.close();
                }
            };
        };
    }

    @Provides
    @Singleton
    InspectTorrentUseCase inspectTorrent(MetainfoStore store) {
        return new InspectTorrentService(store);
    }
}
