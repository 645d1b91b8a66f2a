package dev.jtorr.adapters.net;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.jtorr.application.port.out.PeerNetwork;

/** Binds the network adapters to their ports. Does no I/O. */
public final class NetModule extends AbstractModule {
    private final NetConfig config;

    public NetModule(NetConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(PeerNetwork.class).to(TcpPeerNetwork.class);
    }

    @Provides
    NetConfig config() {
        return config;
    }
}
