package dev.jtorr.adapters.net.lsd;

import dev.jtorr.application.port.out.LocalDiscovery;
import dev.jtorr.domain.lsd.LsdCodec;
import dev.jtorr.domain.lsd.LsdException;
import dev.jtorr.domain.lsd.LsdNode;
import dev.jtorr.domain.piece.Digest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running local discovery service: the domain's {@link LsdNode} writes our announces and reads what arrives, on one
 * virtual thread per group; received datagrams over {@link LsdCodec#MAX_DATAGRAM} bytes are dropped unread.
 */
final class MulticastLsdService implements LocalDiscovery.Service {
    private static final Logger LOG = LoggerFactory.getLogger(MulticastLsdService.class);

    private final List<MulticastGroup> groups;
    private final int peerPort;
    private final LocalDiscovery.Listener listener;
    /** Guarded by itself. */
    private final LsdNode node = new LsdNode(new SecureRandom());
    private volatile boolean closed;

    MulticastLsdService(List<MulticastGroup> groups, int peerPort, LocalDiscovery.Listener listener) {
        this.groups = List.copyOf(groups);
        this.peerPort = peerPort;
        this.listener = listener;
        for (MulticastGroup g : groups) {
            Thread.ofVirtual().name("jtorr-lsd-" + g.family.name().toLowerCase()).start(() -> read(g));
            LOG.debug("local discovery: {} on {}", g.host, g.interfaces.stream().map(i -> i.getName()).toList());
        }
    }

    @Override
    public void announce(List<Digest> infoHashes) {
        if (closed) {
            return;
        }
        for (MulticastGroup g : groups) {
            byte[] datagram;
            try {
                synchronized (node) {
                    datagram = node.announce(peerPort, infoHashes, g.host);
                }
            } catch (LsdException e) {
                LOG.warn("local discovery: cannot announce: {}", e.getMessage());
                return;
            }
            g.send(datagram);
        }
    }

    private void read(MulticastGroup g) {
        ByteBuffer buffer = ByteBuffer.allocate(LsdCodec.MAX_DATAGRAM + 1);
        while (!closed) {
            try {
                buffer.clear();
                var from = (InetSocketAddress) g.channel.receive(buffer);
                if (from == null || buffer.position() > LsdCodec.MAX_DATAGRAM) {
                    continue; // oversized (truncated to the buffer): not an announce
                }
                buffer.flip();
                byte[] data = new byte[buffer.remaining()];
                buffer.get(data);
                List<LsdNode.Heard> heard;
                synchronized (node) {
                    heard = node.receive(from.getAddress().getHostAddress(), data, Instant.now());
                }
                for (LsdNode.Heard h : heard) {
                    listener.heard(h.infoHash(), h.address());
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.debug("local discovery: receive failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        groups.forEach(MulticastGroup::close);
    }
}
