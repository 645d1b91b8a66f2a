package dev.jtorr.adapters.net;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.port.out.TrackerTransport;
import com.google.inject.Singleton;

/** Binds the network adapters to their ports. Does no I/O. */
public final class NetModule extends AbstractModule {
    private final NetConfig config;

    public NetModule(NetConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(PeerNetwork.class).to(TcpPeerNetwork.class);
        bind(TrackerClient.class).to(MultiTrackerClient.class).in(Singleton.class);
        bind(TrackerTransport.class).to(SocketTrackerTransport.class);
    }

    @Provides
    NetConfig config() {
        return config;
    }
}
