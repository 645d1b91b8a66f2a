package dev.jtorr.adapters.net.dht;

import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.application.port.out.NetworkException;
import dev.jtorr.domain.dht.DhtNode;
import dev.jtorr.domain.dht.DhtSettings;
import dev.jtorr.domain.peer.PeerAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/** The DHT over one IPv4 UDP socket per engine (BEP 5), bound to the peer listener's port number. */
final class UdpDhtNetwork implements DhtNetwork {
    private final DhtConfig config;

    UdpDhtNetwork(DhtConfig config) {
        this.config = config;
    }

    @Override
    public Optional<Node> start(String bindAddress, int port, List<PeerAddress> bootstrap) {
        return start(bindAddress, port, new DhtSettings(true, bootstrap));
    }

    @Override
    public Optional<Node> start(String bindAddress, int port, DhtSettings settings) {
        DhtNode.Config node = settings.readOnly() ? DhtNode.Config.DEFAULT.asReadOnly() : DhtNode.Config.DEFAULT;
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.bind(bindAddress.isEmpty() ? new InetSocketAddress(port)
                    : new InetSocketAddress(bindAddress, port));
            return Optional.of(new UdpDhtNode(channel, settings.bootstrap(), node, config, new SecureRandom()));
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing more to release
                }
            }
            throw new NetworkException("cannot bind UDP port " + port + " for the DHT: " + e.getMessage(), e);
        }
    }
}
