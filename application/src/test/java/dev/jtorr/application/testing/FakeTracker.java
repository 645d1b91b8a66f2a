package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.port.out.TrackerException;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceEvent;
import dev.jtorr.domain.tracker.AnnounceReply;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.ScrapeStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Trackers for simulated swarms: every URL not marked dead answers at once from one shared registry of who
 * announced what. Each host gets its own client, because a tracker sees a peer's address from its connection.
 * Every announce is logged. Not thread-safe: for the single-threaded simulation.
 */
public final class FakeTracker {
    /** One announce as the tracker saw it. */
    public record Announce(String host, String url, Digest infoHash, AnnounceEvent event, long left, boolean answered) {
    }

    private final Map<Digest, LinkedHashMap<String, PeerAddress>> swarms = new LinkedHashMap<>();
    private final Set<String> dead = new HashSet<>();
    private final List<Announce> log = new ArrayList<>();
    private final Duration interval;

    public FakeTracker(Duration interval) {
        this.interval = interval;
    }

    /** Announces to {@code url} fail from now on, as if it were down. */
    public void kill(String url) {
        dead.add(url);
    }

    public List<Announce> log() {
        return List.copyOf(log);
    }

    public TrackerClient clientFor(String host) {
        return new TrackerClient() {
            @Override
            public boolean supports(String url) {
                return url.startsWith("http://") || url.startsWith("udp://");
            }

            @Override
            public CompletableFuture<AnnounceReply> announce(String url, AnnounceRequest r) {
                boolean up = !dead.contains(url);
                log.add(new Announce(host, url, r.infoHash(), r.event(), r.left(), up));
                if (!up) {
                    return CompletableFuture.failedFuture(new TrackerException("tracker " + url + " is down"));
                }
                var swarm = swarms.computeIfAbsent(r.infoHash(), h -> new LinkedHashMap<>());
                if (r.event() == AnnounceEvent.STOPPED) {
                    swarm.remove(host);
                    return CompletableFuture.completedFuture(reply(List.of()));
                }
                var others = new ArrayList<>(swarm.values());
                swarm.put(host, new PeerAddress(host, r.port()));
                others.remove(swarm.get(host));
                return CompletableFuture.completedFuture(reply(others));
            }

            @Override
            public CompletableFuture<Map<Digest, ScrapeStats>> scrape(String url, List<Digest> infoHashes) {
                return CompletableFuture.failedFuture(new TrackerException("no scrape here"));
            }
        };
    }

    private AnnounceReply reply(List<PeerAddress> peers) {
        return new AnnounceReply(interval, Optional.empty(), Optional.empty(), -1, -1, peers, Optional.empty());
    }
}
