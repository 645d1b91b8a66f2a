package dev.jtorr.adapters.net.lsd;

import dev.jtorr.domain.lsd.LsdCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One family's LSD group: a socket on port 6771, shared with other clients on the machine (SO_REUSEADDR), bound to
 * the group address where the system allows it (so that it hears only that group), and joined on each interface.
 * Sends go out of each interface in turn, with loopback on so that clients on this machine hear them too.
 */
final class MulticastGroup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MulticastGroup.class);
    /** Hops an announce may travel: BEP 14 suggests more than 1 for its organisation- and site-local groups. */
    static final int TTL = 16;

    final StandardProtocolFamily family;
    final DatagramChannel channel;
    final List<NetworkInterface> interfaces;
    final String host;
    private final InetSocketAddress group;

    private MulticastGroup(StandardProtocolFamily family, DatagramChannel channel, List<NetworkInterface> interfaces,
                           InetSocketAddress group) {
        this.family = family;
        this.channel = channel;
        this.interfaces = List.copyOf(interfaces);
        this.group = group;
        this.host = family == StandardProtocolFamily.INET ? LsdCodec.IPV4_HOST : LsdCodec.IPV6_HOST;
    }

    static MulticastGroup open(StandardProtocolFamily family, List<NetworkInterface> interfaces) throws IOException {
        InetAddress address = MulticastLocalDiscovery.groupOf(family);
        DatagramChannel channel = DatagramChannel.open(family);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, TTL);
            try {
                channel.bind(new InetSocketAddress(address, LsdCodec.PORT));
            } catch (IOException e) {
                channel.bind(new InetSocketAddress(LsdCodec.PORT)); // systems that cannot bind a group address
            }
            int joined = 0;
            for (NetworkInterface i : interfaces) {
                try {
                    channel.join(address, i);
                    joined++;
                } catch (IOException e) {
                    LOG.debug("local discovery: cannot join {} on {}: {}", address, i.getName(), e.toString());
                }
            }
            if (joined == 0) {
                throw new IOException("joined " + address.getHostAddress() + " on no interface");
            }
            return new MulticastGroup(family, channel, interfaces, new InetSocketAddress(address, LsdCodec.PORT));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Sends {@code datagram} to the group out of each interface; a failure on one is logged. */
    synchronized void send(byte[] datagram) {
        for (NetworkInterface i : interfaces) {
            try {
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, i);
                channel.send(ByteBuffer.wrap(datagram), group);
            } catch (IOException e) {
                LOG.debug("local discovery: announce on {} failed: {}", i.getName(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close(); // leaves the groups
        } catch (IOException e) {
            LOG.debug("local discovery: close failed: {}", e.toString());
        }
    }
}
