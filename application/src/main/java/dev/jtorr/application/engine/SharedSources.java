package dev.jtorr.application.engine;

import dev.jtorr.application.discovery.LocalSwarm;
import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.application.port.out.NetworkException;
import java.util.Optional;

/**
 * The peer sources an engine runs once for all its torrents: the DHT node on the listener's port number, and local
 * service discovery, each when the options ask for it and it could start. Either failing to start is a notice: the
 * torrents go on with their other sources.
 */
final class SharedSources {
    final Optional<DhtNetwork.Node> dht;
    final Optional<LocalSwarm> lsd;

    private SharedSources(Optional<DhtNetwork.Node> dht, Optional<LocalSwarm> lsd) {
        this.dht = dht;
        this.lsd = lsd;
    }

    /** Starts what {@code options} ask for, for a listener on {@code port}. */
    static SharedSources start(SwarmRuntime runtime, EngineOptions options, int port) {
        Optional<DhtNetwork.Node> dht = Optional.empty();
        if (options.dht().enabled()) {
            try {
                dht = runtime.dht().start(options.bindAddress(), port, options.dht());
            } catch (NetworkException e) {
                runtime.progress().notice("DHT off: " + e.getMessage());
            }
        }
        Optional<LocalSwarm> lsd = Optional.empty();
        if (options.lsd()) {
            try {
                lsd = LocalSwarm.start(runtime.lsd(), options.bindAddress(), port);
            } catch (NetworkException e) {
                runtime.progress().notice("local peer discovery off: " + e.getMessage());
            }
        }
        return new SharedSources(dht, lsd);
    }

    void close() {
        dht.ifPresent(DhtNetwork.Node::close);
        lsd.ifPresent(LocalSwarm::close);
    }
}
