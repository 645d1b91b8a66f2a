package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.SchedulerFactory;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.Encryption;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A whole swarm in one thread and in virtual time: a clock, the schedulers of every session, and a network of nodes
 * whose uplinks have a bandwidth and whose links have a latency. Every event runs in time order, so a run is
 * deterministic for a given seed. Not thread-safe: drive it from one thread with {@link #runUntil}.
 */
public final class SimulatedSwarm implements SchedulerFactory, TimeSource {
    private static final Duration LATENCY = Duration.ofMillis(10);

    private record Event(Instant at, long seq, Runnable task, SimScheduler owner) implements Comparable<Event> {
        public int compareTo(Event o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Map<PeerAddress, Node.Listener> listeners = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private long seq;
    private Duration diskDelay = Duration.ZERO;

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public long nanoTime() {
        return Duration.between(Instant.EPOCH, now).toNanos();
    }

    @Override
    public Scheduler create(String name) {
        return new SimScheduler(name.endsWith("-disk") ? diskDelay : Duration.ZERO);
    }

    /** Tasks on sessions' disk threads made from now on take {@code delay} each before they run: a slow disk. */
    public void diskDelay(Duration delay) {
        this.diskDelay = delay;
    }

    /** A host with its own address and an uplink of {@code uploadBytesPerSecond}. */
    public Node node(String host, long uploadBytesPerSecond) {
        var n = new Node(host, uploadBytesPerSecond);
        nodes.add(n);
        return n;
    }

    /** Runs events in time order until {@code done} holds or {@code limit} of virtual time has passed. */
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        Instant end = now.plus(limit);
        while (!done.getAsBoolean()) {
            Event e = events.poll();
            if (e == null || e.at.isAfter(end)) {
                if (e != null) {
                    events.add(e); // a later run takes it: dropping it lost a session's tick for good
                }
                return done.getAsBoolean();
            }
            now = e.at;
            if (e.owner == null || !e.owner.shut) {
                e.task.run();
            }
        }
        return true;
    }

    private void at(Instant when, SimScheduler owner, Runnable task) {
        events.add(new Event(when, seq++, task, owner));
    }

    private final class SimScheduler implements Scheduler {
        private final Duration delay;
        private Instant free = Instant.MIN;
        boolean shut;

        SimScheduler(Duration delay) {
            this.delay = delay;
        }

        @Override
        public void execute(Runnable task) {
            if (delay.isZero()) {
                at(now, this, task);
                return;
            }
            // one thread: each task starts when the one before it is done
            free = (free.isAfter(now) ? free : now).plus(delay);
            at(free, this, task);
        }

        @Override
        public Cancellable after(Duration delay, Runnable task) {
            boolean[] cancelled = {false};
            at(now.plus(delay), this, () -> {
                if (!cancelled[0]) {
                    task.run();
                }
            });
            return () -> cancelled[0] = true;
        }

        @Override
        public void shutdown() {
            shut = true;
        }
    }

    /** One host of the simulated network; its {@link PeerNetwork} face is what a session uses. */
    public final class Node implements PeerNetwork {
        private record Listener(Acceptor acceptor) {
        }

        private final String host;
        private final long bandwidth;
        private Instant uplinkFree = Instant.MIN;
        private long bytesSent;
        private final Map<Integer, Long> piecesSent = new HashMap<>();
        private int cancelsSent;

        Node(String host, long bandwidth) {
            this.host = host;
            this.bandwidth = bandwidth;
        }

        /** Payload bytes of {@code piece} messages this node has sent, by piece index. */
        public Map<Integer, Long> piecesSent() {
            return piecesSent;
        }

        public long bytesSent() {
            return bytesSent;
        }

        /** {@code cancel} messages this node has sent. */
        public int cancelsSent() {
            return cancelsSent;
        }

        @Override
        public Listening listen(String bindAddress, int port, EncryptionPolicy encryption, Acceptor acceptor) {
            int p = port == 0 ? 6881 : port;
            var address = new PeerAddress(host, p);
            listeners.put(address, new Listener(acceptor));
            return new Listening() {
                public int port() {
                    return p;
                }

                public void close() {
                    listeners.remove(address);
                }
            };
        }

        public PeerAddress address(int port) {
            return new PeerAddress(host, port);
        }

        @Override
        public void connect(PeerAddress address, Handshake ours, EncryptionPolicy encryption,
                            PeerConnection.Handler handler) {
            at(now.plus(LATENCY), null, () -> {
                Node.Listener l = listeners.get(address);
                Node remote = nodes.stream().filter(n -> n.host.equals(address.host())).findFirst().orElse(null);
                Optional<Accepted> accepted = l == null ? Optional.empty()
                        : l.acceptor.accept(ours, new PeerAddress(host, 40000));
                if (accepted.isEmpty() || !accepted.get().ours().infoHash().equals(ours.infoHash())) {
                    at(now.plus(LATENCY), null, () -> handler.failed(address, "connection refused"));
                    return;
                }
                var mine = new End(this, address, accepted.get().ours(), true, handler);
                var theirs = new End(remote, new PeerAddress(host, 40000), ours, false, accepted.get().handler());
                mine.other = theirs;
                theirs.other = mine;
                at(now, null, () -> theirs.handler.connected(theirs));
                at(now.plus(LATENCY), null, () -> mine.handler.connected(mine));
            });
        }
    }

    /** One end of a simulated connection. */
    private final class End implements PeerConnection {
        private final Node node;
        private final PeerAddress address;
        private final Handshake remote;
        private final boolean outgoing;
        private final PeerConnection.Handler handler;
        private End other;
        private boolean open = true;
        private long queued;

        End(Node node, PeerAddress address, Handshake remote, boolean outgoing, PeerConnection.Handler handler) {
            this.node = node;
            this.address = address;
            this.remote = remote;
            this.outgoing = outgoing;
            this.handler = handler;
        }

        public PeerAddress address() {
            return address;
        }

        public Handshake remote() {
            return remote;
        }

        public boolean outgoing() {
            return outgoing;
        }

        public Encryption encryption() {
            return Encryption.NONE;
        }

        public long queuedBytes() {
            return queued;
        }

        public void send(PeerMessage message) {
            if (!open) {
                return;
            }
            int size = message instanceof PeerMessage.Piece p ? 13 + p.data().remaining() : 17;
            if (message instanceof PeerMessage.Piece p) {
                node.piecesSent.merge(p.piece(), (long) p.data().remaining(), Long::sum);
            } else if (message instanceof PeerMessage.Cancel) {
                node.cancelsSent++;
            }
            Instant start = now.isAfter(node.uplinkFree) ? now : node.uplinkFree;
            Instant sent = start.plusNanos(size * 1_000_000_000L / node.bandwidth);
            node.uplinkFree = sent;
            node.bytesSent += size;
            queued += size;
            at(sent, null, () -> {
                queued -= size;
                if (queued == 0 && open) {
                    handler.drained(this);
                }
            });
            at(sent.plus(LATENCY), null, () -> {
                if (open && other.open) {
                    other.handler.received(other, message);
                }
            });
        }

        public void close(String reason) {
            if (open) {
                open = false;
                at(now, null, () -> handler.closed(this, reason));
                at(now.plus(LATENCY), null, () -> {
                    if (other.open) {
                        other.open = false;
                        other.handler.closed(other, "closed by peer");
                    }
                });
            }
        }
    }
}
