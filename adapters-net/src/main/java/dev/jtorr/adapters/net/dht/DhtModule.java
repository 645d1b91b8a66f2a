package dev.jtorr.adapters.net.dht;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.jtorr.application.port.out.DhtNetwork;

/** Binds the DHT port to its UDP adapter. Does no I/O. */
public final class DhtModule extends AbstractModule {
    private final DhtConfig config;

    public DhtModule(DhtConfig config) {
        this.config = config;
    }

    @Provides
    @Singleton
    DhtNetwork dhtNetwork() {
        return new UdpDhtNetwork(config);
    }
}
