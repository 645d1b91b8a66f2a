package dev.jtorr.adapters.cli.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.jtorr.adapters.cli.SystemTimeSource;
import dev.jtorr.adapters.cli.ThreadSchedulers;
import dev.jtorr.adapters.fs.FsConfig;
import dev.jtorr.adapters.fs.FsModule;
import dev.jtorr.adapters.net.NetConfig;
import dev.jtorr.adapters.net.NetModule;
import dev.jtorr.application.engine.Engine;
import dev.jtorr.application.engine.EngineOptions;
import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.application.port.out.MetainfoStore;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.PieceStorage;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Consumer;

/**
 * jtorr as a library: one engine with real sockets and files, to add torrents to, watch and stop. Build it with
 * {@link #builder()}; every torrent added shares its one listening port, its three threads and its limits.
 *
 * <pre>{@code
 * try (Jtorr jtorr = Jtorr.builder().port(0).downloadLimit(10 << 20).start()) {
 *     jtorr.subscribe(event -> System.out.println(event));
 *     TorrentHandle t = jtorr.download(Path.of("ubuntu.torrent"), Path.of("downloads"));
 *     t.awaitComplete(Duration.ofHours(1));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Events arrive on the engine's thread, so a listener must return quickly. Closing stops every
 * torrent (their resume data saved) and releases the port and the threads.
 */
public final class Jtorr implements AutoCloseable {
    private final Engine engine;

    private Jtorr(Engine engine) {
        this.engine = engine;
    }

    /** A builder with jtorr's defaults: any free port on every interface, encryption preferred, no limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** The one port every torrent is reached on. */
    public int port() {
        return engine.port();
    }

    /**
     * Downloads {@code torrent} (a .torrent file) into {@code folder}/its name, resuming from what is there, and
     * stops it once every piece is verified. Peers come from the torrent's trackers.
     *
     * @throws dev.jtorr.application.port.in.InvalidCommandException when the torrent cannot be read or downloaded
     * @throws dev.jtorr.application.port.out.StorageException when the folder cannot be used
     */
    public TorrentHandle download(Path torrent, Path folder) {
        return download(torrent, folder, List.of(), false);
    }

    /**
     * Downloads {@code torrent} into {@code folder}/its name from its trackers and {@code peers}.
     *
     * @param keepSeeding go on seeding once complete (until {@link TorrentHandle#close()} or {@link #close()})
     */
    public TorrentHandle download(Path torrent, Path folder, List<PeerAddress> peers, boolean keepSeeding) {
        return engine.download(torrent, folder, options(peers), keepSeeding);
    }

    /**
     * Seeds {@code torrent} from {@code content} (its file, or its folder) until closed, after checking every piece.
     *
     * @throws dev.jtorr.application.port.in.InvalidCommandException when the data does not match the torrent
     */
    public TorrentHandle seed(Path torrent, Path content) {
        return engine.seed(torrent, content, options(List.of()), false);
    }

    /** Downloads with per-torrent options of your own (peers, trackers, the torrent's own limits and slots). */
    public TorrentHandle download(Path torrent, Path folder, SessionOptions options, boolean keepSeeding) {
        return engine.download(torrent, folder, options, keepSeeding);
    }

    /** The torrents running now, in the order they were added. */
    public List<TorrentHandle> torrents() {
        return engine.torrents();
    }

    /**
     * Calls {@code listener} with every {@link EngineEvent} from now on (torrent added, progress about once a second,
     * state changes, notices, completed, stopped).
     *
     * @return what ends the subscription when run
     */
    public Runnable subscribe(Consumer<EngineEvent> listener) {
        return engine.subscribe(listener);
    }

    /** Stops every torrent, saving what is verified, and waits until the port and the threads are released. */
    @Override
    public void close() throws InterruptedException {
        engine.close();
    }

    private SessionOptions options(List<PeerAddress> peers) {
        return SessionOptions.defaults(peers, engine.port());
    }

    /** How the engine runs. */
    public static final class Builder {
        private String bind = "";
        private int port;
        private EncryptionPolicy encryption = EncryptionPolicy.PREFER;
        private long uploadLimit;
        private long downloadLimit;
        private int maxConnections = 500;
        private int uploadSlots;
        private boolean directIo = true;

        private Builder() {
        }

        /** The listening port; the next free one is used when it is taken, 0 (the default) for any. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** The local address to listen on (default: every interface). */
        public Builder bind(String address) {
            this.bind = address;
            return this;
        }

        /** Which connections to make and accept with respect to Message Stream Encryption (default: prefer). */
        public Builder encryption(EncryptionPolicy policy) {
            this.encryption = policy;
            return this;
        }

        /** Total upload rate over all torrents in bytes per second, 0 (the default) for unlimited. */
        public Builder uploadLimit(long bytesPerSecond) {
            this.uploadLimit = bytesPerSecond;
            return this;
        }

        /** Total download rate over all torrents in bytes per second, 0 (the default) for unlimited. */
        public Builder downloadLimit(long bytesPerSecond) {
            this.downloadLimit = bytesPerSecond;
            return this;
        }

        /** Peers unchoked at once over all torrents, 0 (the default) for a number that follows the upload capacity. */
        public Builder uploadSlots(int value) {
            this.uploadSlots = value;
            return this;
        }

        /** Peers connected at once over all torrents (default 500). */
        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        /** Whether long aligned writes may bypass the page cache (default: where the file system allows it). */
        public Builder directIo(boolean value) {
            this.directIo = value;
            return this;
        }

        /**
         * Starts the engine: binds the port and starts the threads.
         *
         * @throws dev.jtorr.application.port.in.InvalidCommandException for an option out of range
         * @throws dev.jtorr.application.port.out.NetworkException when no port can be bound
         */
        public Jtorr start() {
            var options = new EngineOptions(bind, port, encryption, uploadLimit, downloadLimit, maxConnections,
                    uploadSlots);
            return new Jtorr(Engine.start(runtime(directIo), options));
        }
    }

    /** The ports of an engine with real sockets and files, reporting only through events. */
    static SwarmRuntime runtime(boolean directIo) {
        return Guice.createInjector(new FsModule(new FsConfig(directIo)), new NetModule(NetConfig.defaults()),
                new LibraryModule()).getInstance(SwarmRuntime.class);
    }

    /** The engine's ports for a library: no terminal, progress only through events. */
    private static final class LibraryModule extends AbstractModule {
        @Provides
        @Singleton
        SwarmRuntime runtime(MetainfoStore store, PieceStorage storage, PeerNetwork network, TrackerClient trackers) {
            return new SwarmRuntime(store, storage, network, trackers, new ThreadSchedulers(), new SystemTimeSource(),
                    new SecureRandom(), ProgressListener.NONE, Runtime.getRuntime().availableProcessors());
        }
    }
}
