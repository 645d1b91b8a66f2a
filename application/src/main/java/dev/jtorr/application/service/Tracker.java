package dev.jtorr.application.service;

import dev.jtorr.application.port.in.ServeTrackerCommand;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.application.port.out.TrackerTransport;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceRefusedException;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.Endpoint;
import dev.jtorr.domain.tracker.ScrapeStats;
import dev.jtorr.domain.tracker.SwarmRegistry;
import dev.jtorr.domain.tracker.TrackerStatistics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The tracker's request handling over the domain's {@link SwarmRegistry}. The registry is single-threaded, so every
 * call holds this object's lock; each call is a few hash-map operations, so the lock is short.
 */
final class Tracker implements TrackerTransport.Requests {
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    /** Clients may announce this much sooner than the interval, but no sooner. */
    private static final double MIN_INTERVAL_SHARE = 0.5;

    private final SwarmRegistry registry;
    private final TimeSource time;
    private final RandomGenerator random;
    private final Duration interval;
    private final Duration minInterval;
    private final Instant started;
    private long announces;
    private long scrapes;
    private long refused;

    Tracker(ServeTrackerCommand command, TimeSource time, RandomGenerator random) {
        var defaults = SwarmRegistry.Config.defaults(command.interval());
        this.registry = new SwarmRegistry(new SwarmRegistry.Config(defaults.peerTimeout(),
                Math.min(defaults.defaultNumWant(), command.maxNumWant()), command.maxNumWant(),
                defaults.maxSwarms(), defaults.maxPeersPerSwarm(), command.allowList()));
        this.time = time;
        this.random = random;
        this.interval = command.interval();
        this.minInterval = Duration.ofMillis(Math.max(1000, (long) (interval.toMillis() * MIN_INTERVAL_SHARE)));
        this.started = time.now();
    }

    @Override
    public synchronized TrackerTransport.Answer announce(AnnounceRequest request, Endpoint from) {
        try {
            var selection = registry.announce(request.infoHash(), from, request.left(), request.event(),
                    request.numWant(), time.now(), random);
            announces++;
            return new TrackerTransport.Answer(interval, minInterval, selection);
        } catch (AnnounceRefusedException e) {
            refused++;
            throw e;
        }
    }

    @Override
    public synchronized Map<Digest, ScrapeStats> scrape(List<Digest> infoHashes) {
        scrapes++;
        var out = new LinkedHashMap<Digest, ScrapeStats>();
        for (Digest h : infoHashes) {
            out.put(h, registry.scrape(h));
        }
        return out;
    }

    @Override
    public synchronized TrackerStatistics statistics() {
        return new TrackerStatistics(registry.totals(), announces, scrapes, refused,
                Duration.between(started, time.now()));
    }

    synchronized int expire() {
        return registry.expire(time.now());
    }
}
