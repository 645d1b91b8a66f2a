package dev.jtorr.application.extension;

import dev.jtorr.application.discovery.PeerSource;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.tracker.Endpoint;
import dev.jtorr.domain.wire.PexMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * BEP 11 {@code ut_pex} for one public torrent: tells each peer that speaks it which peers we connected to and lost
 * since our last message to it (the first message lists those connected now), at most once a minute, and hands the
 * peers others tell us of to the torrent's pool as a peer source. What one peer may add to the pool is bounded, and
 * so is the memory of what was passed on (the oldest is forgotten); a peer that sends messages faster than a few a minute is dropped. A private torrent (BEP 27) must
 * not register it at all. Engine thread.
 */
public final class PeerExchange implements Extension, PeerSource {
    public static final String NAME = "ut_pex";
    /** BEP 11: no more than one message a minute to a peer. */
    public static final Duration INTERVAL = Duration.ofMinutes(1);
    /** Messages a peer may send within one {@link #INTERVAL} before it counts as flooding. */
    static final int MAX_MESSAGES_PER_INTERVAL = 3;
    /** Addresses taken from one peer over its connection; the rest are ignored. */
    static final int MAX_FROM_ONE_PEER = 200;
    /**
     * Addresses PEX remembers having passed on, so that each is dialled once; past it the oldest is forgotten (it may
     * be passed on again later). Bounds the memory, not what a long-lived torrent can learn.
     */
    static final int MAX_LEARNED = 1000;

    private final Supplier<Collection<ExtensionPeer>> connected;
    private final Consumer<List<PeerAddress>> pool;
    private final Supplier<Instant> clock;
    private final Map<ExtensionPeer, Exchange> exchanges = new HashMap<>();
    /** Oldest first. */
    private final Set<PeerAddress> learned = new LinkedHashSet<>();

    /** What we told one peer and what it told us. */
    private static final class Exchange {
        final Set<Endpoint> told = new HashSet<>();
        Instant lastSent;
        Instant windowStart;
        int messagesInWindow;
        int taken;
    }

    /**
     * @param connected the torrent's connected peers, read when a message is made
     * @param pool      where learned addresses go to be dialled
     * @param clock     the engine's time
     */
    public PeerExchange(Supplier<Collection<ExtensionPeer>> connected, Consumer<List<PeerAddress>> pool,
                        Supplier<Instant> clock) {
        this.connected = connected;
        this.pool = pool;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void peerSupports(ExtensionPeer peer) {
        if (!exchanges.containsKey(peer)) {
            exchanges.put(peer, new Exchange());
            sendIfDue(peer, exchanges.get(peer), clock.get()); // the first message goes at once
        }
    }

    @Override
    public void received(ExtensionPeer peer, byte[] payload) {
        Exchange x = exchanges.computeIfAbsent(peer, p -> new Exchange());
        Instant now = clock.get();
        if (x.windowStart == null || !now.isBefore(x.windowStart.plus(INTERVAL))) {
            x.windowStart = now;
            x.messagesInWindow = 0;
        }
        if (++x.messagesInWindow > MAX_MESSAGES_PER_INTERVAL) {
            peer.close("ut_pex flood: more than " + MAX_MESSAGES_PER_INTERVAL + " messages a minute");
            return;
        }
        PexMessage message = PexMessage.decode(payload); // InvalidDataException drops the peer
        var found = new ArrayList<PeerAddress>();
        for (PexMessage.Added a : message.added()) {
            PeerAddress address = a.peer().toPeerAddress();
            if (x.taken >= MAX_FROM_ONE_PEER) {
                break;
            }
            if (!peer.listenAddress().map(address::equals).orElse(false) && learned.add(address)) {
                x.taken++;
                found.add(address);
                if (learned.size() > MAX_LEARNED) {
                    learned.remove(learned.iterator().next());
                }
            }
        }
        // a peer it says it dropped may come back, and be worth passing on then
        message.dropped().forEach(e -> learned.remove(e.toPeerAddress()));
        if (!found.isEmpty()) {
            pool.accept(found);
        }
    }

    @Override
    public void peerLeft(ExtensionPeer peer) {
        exchanges.remove(peer);
    }

    @Override
    public void tick(Instant now) {
        // a copy: a send that fails may end the connection, and with it the peer's entry, at once
        for (var e : List.copyOf(exchanges.entrySet())) {
            if (e.getKey().supports(NAME) && exchanges.containsKey(e.getKey())) {
                sendIfDue(e.getKey(), e.getValue(), now);
            }
        }
    }

    @Override
    public void stop(Runnable done) {
        done.run();
    }

    /** Sends what changed since the last message, if a minute has passed and something did change. */
    private void sendIfDue(ExtensionPeer to, Exchange x, Instant now) {
        if (x.lastSent != null && now.isBefore(x.lastSent.plus(INTERVAL))) {
            return;
        }
        Map<Endpoint, Integer> current = new LinkedHashMap<>();
        var own = to.listenAddress().flatMap(Endpoint::of);
        for (ExtensionPeer p : connected.get()) {
            if (p == to) {
                continue;
            }
            p.listenAddress().flatMap(Endpoint::of).filter(e -> own.map(o -> !o.equals(e)).orElse(true))
                    .ifPresent(e -> current.put(e, flags(p)));
        }
        var added = new ArrayList<PexMessage.Added>();
        current.forEach((e, flags) -> {
            if (added.size() < PexMessage.MAX_PEERS && !x.told.contains(e)) {
                added.add(new PexMessage.Added(e, flags));
            }
        });
        var dropped = x.told.stream().filter(e -> !current.containsKey(e)).limit(PexMessage.MAX_PEERS).toList();
        if (added.isEmpty() && dropped.isEmpty()) {
            return; // nothing to say: the next change may go at once
        }
        added.forEach(a -> x.told.add(a.peer()));
        dropped.forEach(x.told::remove);
        x.lastSent = now;
        to.send(NAME, new PexMessage(added, dropped).encode());
    }

    private static int flags(ExtensionPeer p) {
        return (p.seed() ? PexMessage.SEED : 0) | (p.encrypted() ? PexMessage.PREFERS_ENCRYPTION : 0)
                | (p.outgoing() ? PexMessage.REACHABLE : 0);
    }
}
