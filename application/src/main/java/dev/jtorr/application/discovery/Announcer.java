package dev.jtorr.application.discovery;

import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.port.out.TrackerException;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceEvent;
import dev.jtorr.domain.tracker.AnnounceReply;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.TrackerTiers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;

/**
 * A session's announces, driven from the session thread: {@code started} first, then a regular announce at the
 * tracker's interval, {@code completed} once when the download finishes, {@code stopped} when the session ends.
 * Each info-hash (a hybrid torrent has two) is announced on its own, through the BEP 12 tiers: URLs are tried in
 * order until one answers, and that one moves to the front of its tier. When every URL fails the round is retried
 * with back-off, and a URL that failed is passed over (while others remain) until its own back-off ends, so a dead
 * first tier does not cost a timeout at every announce. Tracker failures are only reported: the session goes on
 * with whatever other peers it has.
 */
public final class Announcer implements PeerSource {
    static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
    static final Duration MAX_INTERVAL = Duration.ofHours(1);
    static final Duration FIRST_RETRY = Duration.ofSeconds(15);
    static final Duration MAX_RETRY = Duration.ofMinutes(30);
    static final Duration STOP_WAIT = Duration.ofSeconds(3);
    /** A URL that failed is skipped for this long (doubling with each failure, up to an hour) while others work. */
    static final Duration URL_BACKOFF = Duration.ofMinutes(5);
    static final int NUM_WANT = 50;

    /** What the session reports in each announce. */
    public record Counters(int port, long uploaded, long downloaded, long left) {
    }

    /** The session side: counters now, where peers go, where problems go. All called on the session thread. */
    public interface Session {
        Counters counters();

        void peers(List<PeerAddress> peers);

        void notice(String message);

        /** A session side made of its three parts. */
        static Session of(Supplier<Counters> counters, Consumer<List<PeerAddress>> peers,
                          Consumer<String> notices) {
            return new Session() {
                @Override
                public Counters counters() {
                    return counters.get();
                }

                @Override
                public void peers(List<PeerAddress> found) {
                    peers.accept(found);
                }

                @Override
                public void notice(String message) {
                    notices.accept(message);
                }
            };
        }
    }

    private final class Track {
        final Digest infoHash;
        final TrackerTiers tiers;
        Instant next = Instant.MIN;
        boolean inFlight;
        boolean started;
        AnnounceEvent pending = AnnounceEvent.STARTED;
        Optional<String> trackerId = Optional.empty();
        String working;
        int failedRounds;
        String lastProblem;

        Track(Digest infoHash, List<List<String>> trackers) {
            this.infoHash = infoHash;
            this.tiers = new TrackerTiers(trackers, random);
        }
    }

    private final TrackerClient client;
    private final Scheduler scheduler;
    private final TimeSource time;
    private final RandomGenerator random;
    private final PeerId ourId;
    private final int key;
    private final Session session;
    private final List<Track> tracks = new ArrayList<>();
    private final java.util.Map<String, Instant> skipUntil = new java.util.HashMap<>();
    private final java.util.Map<String, Integer> urlFailures = new java.util.HashMap<>();
    private boolean stopping;
    /** What each URL last answered, in tier order: the first track's (a hybrid's v1 swarm). */
    private final java.util.Map<String, TorrentHandle.TrackerStatus> statuses = new java.util.LinkedHashMap<>();

    public Announcer(List<Digest> infoHashes, List<List<String>> trackers, TrackerClient client, Scheduler scheduler,
              TimeSource time, RandomGenerator random, PeerId ourId, Session session) {
        this.client = client;
        this.scheduler = scheduler;
        this.time = time;
        this.random = random;
        this.ourId = ourId;
        this.key = random.nextInt();
        this.session = session;
        var usable = trackers.stream().map(t -> t.stream().filter(client::supports).toList()).toList();
        trackers.stream().flatMap(List::stream).filter(u -> !client.supports(u))
                .forEach(u -> session.notice("ignoring tracker " + u + ": not an http, https or udp URL"));
        for (Digest h : infoHashes) {
            var t = new Track(h, usable);
            if (!t.tiers.isEmpty()) {
                tracks.add(t);
            }
        }
        for (int tier = 0; tier < usable.size(); tier++) {
            for (String url : usable.get(tier)) {
                statuses.putIfAbsent(url, new TorrentHandle.TrackerStatus(url, tier, Optional.empty(),
                        Optional.empty(), -1, -1, 0, Optional.empty()));
            }
        }
    }

    /** Every tracker as last heard from, in tier order. */
    public List<TorrentHandle.TrackerStatus> statuses() {
        return List.copyOf(statuses.values());
    }

    private void heard(Track t, String url, Optional<String> error, AnnounceReply reply) {
        if (t != tracks.get(0)) {
            return;
        }
        TorrentHandle.TrackerStatus before = statuses.get(url);
        if (before == null) {
            return;
        }
        Instant next = t.next == Instant.MIN ? null : t.next;
        statuses.put(url, new TorrentHandle.TrackerStatus(url, before.tier(), Optional.of(now()), error,
                reply == null ? before.seeders() : reply.seeders(), reply == null ? before.leechers() : reply.leechers(),
                reply == null ? 0 : reply.peers().size(), Optional.ofNullable(next)));
    }

    public boolean hasTrackers() {
        return !tracks.isEmpty();
    }

    /** Sends whatever announce is due. */
    @Override
    public void tick(Instant now) {
        if (stopping) {
            return;
        }
        for (Track t : tracks) {
            if (!t.inFlight && !now.isBefore(t.next)) {
                t.inFlight = true;
                attempt(t, t.pending, order(t, now), 0);
            }
        }
    }

    /** The tiers' order without the URLs in back-off, unless that leaves nothing. */
    private List<String> order(Track t, Instant now) {
        List<String> all = t.tiers.order();
        List<String> live = all.stream().filter(u -> !now.isBefore(skipUntil.getOrDefault(u, Instant.MIN))).toList();
        return live.isEmpty() ? all : live;
    }

    /** The download finished: say {@code completed} to each tracker that knows us, at once. */
    public void completed() {
        for (Track t : tracks) {
            if (t.started) {
                t.pending = AnnounceEvent.COMPLETED;
                t.next = Instant.MIN;
            }
        }
    }

    /**
     * Says {@code stopped} (after {@code completed}, when that is still due) to the tracker of each info-hash that
     * heard {@code started}, then runs {@code done} once
     * they answered or {@link #STOP_WAIT} passed.
     */
    @Override
    public void stop(Runnable done) {
        stopping = true;
        var targets = tracks.stream().filter(t -> t.started && t.working != null).toList();
        if (targets.isEmpty()) {
            done.run();
            return;
        }
        int[] waiting = {targets.size()};
        boolean[] ran = {false};
        Runnable finish = () -> {
            if (!ran[0]) {
                ran[0] = true;
                done.run();
            }
        };
        for (Track t : targets) {
            // a download that just finished says completed before stopped, so the tracker counts it
            var sent = t.pending == AnnounceEvent.COMPLETED
                    ? client.announce(t.working, request(t, AnnounceEvent.COMPLETED))
                            .handle((r, e) -> null)
                            .thenCompose(x -> client.announce(t.working, request(t, AnnounceEvent.STOPPED)))
                    : client.announce(t.working, request(t, AnnounceEvent.STOPPED));
            sent.whenComplete((r, e) ->
                    scheduler.execute(() -> {
                        if (--waiting[0] == 0) {
                            finish.run();
                        }
                    }));
        }
        scheduler.after(STOP_WAIT, finish);
    }

    private AnnounceRequest request(Track t, AnnounceEvent event) {
        Counters c = session.counters();
        int want = event == AnnounceEvent.STOPPED ? 0 : NUM_WANT;
        return new AnnounceRequest(t.infoHash, ourId, c.port(), c.uploaded(), c.downloaded(), c.left(), event, want,
                key, t.trackerId);
    }

    private void attempt(Track t, AnnounceEvent event, List<String> order, int index) {
        String url = order.get(index);
        client.announce(url, request(t, event)).whenComplete((reply, error) -> scheduler.execute(() -> {
            if (stopping) {
                return;
            }
            if (error == null) {
                skipUntil.remove(url);
                urlFailures.remove(url);
                answered(t, event, url, reply);
                return;
            }
            int failures = urlFailures.merge(url, 1, Integer::sum);
            Duration skip = URL_BACKOFF.multipliedBy(1L << Math.min(4, failures - 1));
            skipUntil.put(url, now().plus(skip.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : skip));
            if (index + 1 < order.size()) {
                problem(t, url, error);
                attempt(t, event, order, index + 1);
            } else {
                problem(t, url, error);
                t.inFlight = false;
                t.failedRounds++;
                long factor = 1L << Math.min(10, t.failedRounds - 1);
                Duration wait = FIRST_RETRY.multipliedBy(factor);
                t.next = now().plus(wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait);
            }
        }));
    }

    private void answered(Track t, AnnounceEvent event, String url, AnnounceReply reply) {
        t.inFlight = false;
        t.failedRounds = 0;
        t.lastProblem = null;
        t.working = url;
        t.tiers.succeeded(url);
        if (reply.trackerId().isPresent()) {
            t.trackerId = reply.trackerId();
        }
        if (event == AnnounceEvent.STARTED) {
            t.started = true;
        }
        if (t.pending == event) {
            t.pending = AnnounceEvent.NONE;
        }
        reply.warning().ifPresent(w -> session.notice("tracker " + url + " warns: " + w));
        Duration wait = reply.interval();
        if (reply.minInterval().isPresent() && reply.minInterval().get().compareTo(wait) > 0) {
            wait = reply.minInterval().get();
        }
        wait = wait.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : wait.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : wait;
        t.next = t.pending == AnnounceEvent.NONE ? now().plus(wait) : Instant.MIN;
        heard(t, url, Optional.empty(), reply);
        if (!reply.peers().isEmpty()) {
            session.peers(reply.peers());
        }
    }

    private void problem(Track t, String url, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String message = cause instanceof TrackerException ? cause.getMessage()
                : "tracker " + url + ": " + cause;
        heard(t, url, Optional.of(message), null);
        if (!message.equals(t.lastProblem)) {
            t.lastProblem = message;
            session.notice(message);
        }
    }

    private Instant now() {
        return time.now();
    }
}
