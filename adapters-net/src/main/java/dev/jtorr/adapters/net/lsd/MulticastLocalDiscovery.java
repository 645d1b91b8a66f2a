package dev.jtorr.adapters.net.lsd;

import dev.jtorr.application.port.out.LocalDiscovery;
import dev.jtorr.application.port.out.NetworkException;
import dev.jtorr.domain.lsd.LsdCodec;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local service discovery (BEP 14) over UDP multicast: one socket per address family on port 6771, bound to its
 * group, joined on each interface that is up and can multicast (loopback ones only when {@link LsdConfig} says so;
 * only the one holding the bind address when there is one). Interfaces are chosen when the engine starts.
 */
final class MulticastLocalDiscovery implements LocalDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(MulticastLocalDiscovery.class);

    private final LsdConfig config;

    MulticastLocalDiscovery(LsdConfig config) {
        this.config = config;
    }

    @Override
    public Optional<Service> start(String bindAddress, int peerPort, Listener listener) {
        List<NetworkInterface> interfaces;
        try {
            interfaces = interfaces(bindAddress);
        } catch (SocketException e) {
            throw new NetworkException("cannot list the network interfaces: " + e.getMessage(), e);
        }
        var groups = new ArrayList<MulticastGroup>();
        for (StandardProtocolFamily family : List.of(StandardProtocolFamily.INET, StandardProtocolFamily.INET6)) {
            List<NetworkInterface> usable = interfaces.stream().filter(i -> hasAddress(i, family)).toList();
            if (usable.isEmpty()) {
                continue;
            }
            try {
                groups.add(MulticastGroup.open(family, usable));
            } catch (IOException | RuntimeException e) {
                // IPv6 may be off, or its group unusable here: the other family still works
                LOG.debug("local discovery: no {} group: {}", family, e.toString());
            }
        }
        if (groups.isEmpty()) {
            LOG.info("local discovery: no interface that can multicast{}", config.loopbackOnly()
                    ? " (loopback only)" : "");
            return Optional.empty();
        }
        return Optional.of(new MulticastLsdService(groups, peerPort, listener));
    }

    private List<NetworkInterface> interfaces(String bindAddress) throws SocketException {
        InetAddress bound = null;
        if (!bindAddress.isEmpty()) {
            try {
                bound = InetAddress.getByName(bindAddress);
            } catch (IOException e) {
                throw new NetworkException("cannot resolve the bind address " + bindAddress + ": " + e.getMessage(),
                        e);
            }
        }
        var out = new ArrayList<NetworkInterface>();
        for (NetworkInterface i : NetworkInterface.networkInterfaces().toList()) {
            if (!i.isUp() || !i.supportsMulticast() || config.loopbackOnly() && !i.isLoopback()) {
                continue;
            }
            if (bound != null && !bound.isAnyLocalAddress() && !i.inetAddresses().toList().contains(bound)) {
                continue;
            }
            out.add(i);
        }
        return out;
    }

    private static boolean hasAddress(NetworkInterface i, StandardProtocolFamily family) {
        return i.inetAddresses().anyMatch(a -> family == StandardProtocolFamily.INET ? a instanceof Inet4Address
                : a instanceof Inet6Address);
    }

    /** The group address of {@code family}. */
    static InetAddress groupOf(StandardProtocolFamily family) {
        try {
            return InetAddress.getByName(family == StandardProtocolFamily.INET ? LsdCodec.IPV4_GROUP
                    : LsdCodec.IPV6_GROUP);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a literal: never resolved
        }
    }
}
