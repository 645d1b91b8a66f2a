package dev.jtorr.adapters.net.dht;

import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.domain.dht.Contact;
import dev.jtorr.domain.dht.DhtNode;
import dev.jtorr.domain.dht.KrpcCodec;
import dev.jtorr.domain.dht.NodeId;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running DHT node: the domain's {@link DhtNode}, fed by a thread reading the socket and a thread ticking it;
 * both take the node's lock, and whatever the node wants sent goes out under that lock. Bootstrap names are resolved
 * on the ticking thread, off the caller's.
 */
final class UdpDhtNode implements DhtNetwork.Node {
    private static final Logger LOG = LoggerFactory.getLogger(UdpDhtNode.class);
    static final Duration TICK = Duration.ofMillis(250);

    private final DatagramChannel channel;
    private final DhtConfig config;
    private final DhtNode node;
    private final List<PeerAddress> bootstrap;
    private final Thread reader;
    private final Thread ticker;
    private volatile boolean closed;
    private final Thread exitHook;
    private boolean saved;
    /** Lookups asked for before the bootstrap nodes were resolved; run once they are. Guarded by the node. */
    private List<Runnable> waiting = new ArrayList<>();

    UdpDhtNode(DatagramChannel channel, List<PeerAddress> bootstrap, DhtNode.Config nodeConfig, DhtConfig config,
               java.util.Random seed) {
        this.channel = channel;
        this.config = config;
        this.bootstrap = List.copyOf(bootstrap);
        this.node = new DhtNode(NodeId.random(seed), List.of(), new SplittableRandom(seed.nextLong()),
                nodeConfig, Instant.now());
        this.reader = Thread.ofVirtual().name("jtorr-dht-read").unstarted(this::read);
        this.ticker = Thread.ofVirtual().name("jtorr-dht-tick").unstarted(this::tickLoop);
        reader.start();
        ticker.start();
        // the process may exit while the engine is still closing: the table is saved on the way out regardless
        this.exitHook = new Thread(this::save, "jtorr-dht-save");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    private void tickLoop() {
        config.stateFile().map(NodeFile::read).filter(n -> !n.isEmpty()).ifPresent(saved -> {
            synchronized (node) {
                node.load(saved.stream().filter(c -> allowed(c.address())).toList(), Instant.now());
                flush();
            }
        });
        List<PeerAddress> routers = resolve(bootstrap);
        synchronized (node) {
            node.addRouters(routers, Instant.now());
            List<Runnable> asked = waiting;
            waiting = null;
            asked.forEach(Runnable::run);
            flush();
        }
        while (!closed) {
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (node) {
                node.tick(Instant.now());
                flush();
            }
        }
    }

    /** The bootstrap nodes as IP literals: a reply is matched against the address the query went to. */
    private List<PeerAddress> resolve(List<PeerAddress> names) {
        List<PeerAddress> out = new ArrayList<>();
        for (PeerAddress a : names) {
            if (config.loopbackOnly() && !isLiteral(a.host())) {
                LOG.warn("DHT: not resolving bootstrap node {} (loopback only)", a);
                continue;
            }
            try {
                for (InetAddress ip : InetAddress.getAllByName(a.host())) {
                    if (ip instanceof java.net.Inet4Address) {
                        out.add(new PeerAddress(ip.getHostAddress(), a.port()));
                    }
                }
            } catch (UnknownHostException e) {
                LOG.debug("DHT: cannot resolve bootstrap node {}: {}", a, e.getMessage());
            }
        }
        return out;
    }

    private static boolean isLiteral(String host) {
        return dev.jtorr.domain.dht.Compact.ipv4(host) != null;
    }

    private boolean allowed(PeerAddress to) {
        if (!config.loopbackOnly()) {
            return true;
        }
        byte[] ip = dev.jtorr.domain.dht.Compact.ipv4(to.host());
        return ip != null && ip[0] == 127;
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocate(KrpcCodec.MAX_DATAGRAM + 1);
        while (!closed) {
            try {
                buffer.clear();
                var from = (InetSocketAddress) channel.receive(buffer);
                if (from == null || from.getPort() == 0) {
                    continue;
                }
                buffer.flip();
                byte[] data = new byte[buffer.remaining()];
                buffer.get(data);
                PeerAddress source = new PeerAddress(from.getAddress().getHostAddress(), from.getPort());
                synchronized (node) {
                    node.receive(source, data, Instant.now());
                    flush();
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.debug("DHT: receive failed: {}", e.toString());
            }
        }
    }

    /** Sends what the node queued; called holding the node's lock. */
    private void flush() {
        for (DhtNode.Datagram d : node.drain()) {
            if (!allowed(d.address())) {
                LOG.warn("DHT: not sending to {} (loopback only)", d.address());
                continue;
            }
            try {
                channel.send(ByteBuffer.wrap(d.bytes()), new InetSocketAddress(d.address().host(),
                        d.address().port()));
            } catch (IOException e) {
                LOG.debug("DHT: send to {} failed: {}", d.address(), e.toString());
            }
        }
    }

    @Override
    public void getPeers(Digest infoHash, int announcePort, Consumer<List<PeerAddress>> peers, IntConsumer done) {
        if (infoHash.length() != NodeId.LENGTH) {
            throw new IllegalArgumentException("a DHT key is 20 bytes");
        }
        int[] found = {0};
        synchronized (node) {
            if (waiting != null) {
                waiting.add(() -> getPeers(infoHash, announcePort, peers, done));
                return;
            }
            node.getPeers(new NodeId(infoHash.bytes()), announcePort, new DhtNode.LookupListener() {
                @Override
                public void peers(List<PeerAddress> batch) {
                    found[0] += batch.size();
                    peers.accept(batch);
                }

                @Override
                public void done(int queries) {
                    done.accept(found[0]);
                }
            }, Instant.now());
            flush();
        }
    }

    @Override
    public void ping(PeerAddress contact) {
        if (dev.jtorr.domain.dht.Compact.ipv4(contact.host()) == null || !allowed(contact)) {
            return; // this node speaks IPv4; under loopback-only it talks to this machine only
        }
        synchronized (node) {
            node.ping(contact, Instant.now());
            flush();
        }
    }

    @Override
    public int nodes() {
        synchronized (node) {
            return node.tableSize(Instant.now());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        save();
        ticker.interrupt();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("DHT: close failed: {}", e.toString());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs (or ran) anyway
        }
    }

    /**
     * Writes the routing table to the state file, once; a second caller (the exit hook while the engine closes) waits
     * until the first has finished writing, so that the process does not end halfway through.
     */
    private synchronized void save() {
        if (saved) {
            return;
        }
        saved = true;
        List<Contact> contacts;
        synchronized (node) {
            contacts = node.contacts(Instant.now());
        }
        if (config.stateFile().isPresent() && !contacts.isEmpty()) {
            try {
                NodeFile.write(config.stateFile().get(), contacts);
            } catch (IOException e) {
                LOG.warn("DHT: cannot save the routing table to {}: {}", config.stateFile().get(), e.toString());
            }
        }
    }
}
