package dev.jtorr.adapters.net.lsd;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.jtorr.application.port.out.LocalDiscovery;

/** Binds local service discovery to its multicast UDP adapter. Does no I/O. */
public final class LsdModule extends AbstractModule {
    private final LsdConfig config;

    public LsdModule(LsdConfig config) {
        this.config = config;
    }

    @Provides
    @Singleton
    LocalDiscovery localDiscovery() {
        return new MulticastLocalDiscovery(config);
    }
}
