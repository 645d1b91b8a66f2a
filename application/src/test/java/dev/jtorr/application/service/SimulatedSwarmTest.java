package dev.jtorr.application.service;

import dev.jtorr.application.engine.SwarmRuntime;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.DownloadTorrentCommand;
import dev.jtorr.application.port.in.SeedTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.StorageException;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.FakeTracker;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.SimulatedSwarm;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whole swarms of real sessions on a simulated network in virtual time: deterministic, fast, and the place to see
 * the picker and the choker at work.
 */
class SimulatedSwarmTest {
    private static final int PORT = 6881;
    private static final Duration LIMIT = Duration.ofHours(2);

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InMemoryPieceStorage storage = new InMemoryPieceStorage();
    private final SplittableRandom random = new SplittableRandom(Long.getLong("simseed", 42)); // -Dsimseed=N tries another
    private final Map<String, SimulatedSwarm.Node> nodes = new HashMap<>();
    private byte[] data;
    private Metainfo metainfo;
    private Path torrent;

    private final FakeTracker tracker = new FakeTracker(Duration.ofSeconds(60));

    private void makeTorrent(int size, long pieceLength, TorrentVersion version) {
        makeTorrent(size, pieceLength, version, List.of());
    }

    private void makeTorrent(int size, long pieceLength, TorrentVersion version, List<List<String>> trackers) {
        data = new byte[size];
        new Random(size).nextBytes(data);
        var content = new InMemoryContentReader().put("data.bin", data);
        var created = new CreateTorrentService(content, store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE,
                Path.of("torrents"), 1, "test").create(new CreateTorrentCommand(Path.of("data.bin"), Optional.empty(),
                Optional.of(pieceLength), version, trackers, List.of(), false, Optional.empty(),
                Optional.empty(), false, false));
        metainfo = created.metainfo();
        torrent = created.file();
    }

    private SwarmRuntime runtime(String host, long uplink) {
        var node = swarm.node(host, uplink);
        nodes.put(host, node);
        return new SwarmRuntime(store, storage, node, tracker.clientFor(host), swarm, swarm, random, ProgressListener.NONE,
                1);
    }

    private static SessionOptions options(List<String> peers, long uploadLimit, boolean sequential) {
        return options(peers, uploadLimit, 0, sequential);
    }

    private static SessionOptions options(List<String> peers, long uploadLimit, long downloadLimit,
                                          boolean sequential) {
        return options(peers, 4, uploadLimit, downloadLimit, sequential);
    }

    /** @param slots upload slots, 0 for automatic */
    private static SessionOptions options(List<String> peers, int slots, long uploadLimit, long downloadLimit,
                                          boolean sequential) {
        return new SessionOptions(peers.stream().map(h -> new PeerAddress(h, PORT)).toList(), "", PORT, 50, slots,
                uploadLimit, downloadLimit, sequential, 64L << 20, List.of(), true, EncryptionPolicy.PREFER);
    }

    private TorrentHandle seed(String host, long uplink, byte[] stream, List<String> peers) {
        storage.seed(Path.of(host, "data.bin"), metainfo, stream);
        return new SeedTorrentService(runtime(host, uplink)).start(new SeedTorrentCommand(torrent,
                Path.of(host, "data.bin"), true, options(peers, 0, false)));
    }

    private TorrentHandle leech(String host, long uplink, List<String> peers, boolean sequential) {
        return new DownloadTorrentService(runtime(host, uplink)).start(new DownloadTorrentCommand(torrent,
                Path.of(host), false, options(peers, 0, sequential)));
    }

    private static boolean complete(TorrentHandle h) {
        var s = h.status();
        return s != null && s.verifiedBytes() == s.totalBytes();
    }

    /** Runs until every handle is complete; returns each one's completion time in virtual seconds. */
    private double[] runToCompletion(List<TorrentHandle> leechers) {
        Instant start = swarm.now();
        double[] done = new double[leechers.size()];
        boolean ok = swarm.runUntil(() -> {
            boolean all = true;
            for (int i = 0; i < leechers.size(); i++) {
                if (done[i] == 0 && complete(leechers.get(i))) {
                    done[i] = Duration.between(start, swarm.now()).toMillis() / 1000.0;
                }
                all &= done[i] > 0;
            }
            return all;
        }, LIMIT);
        assertTrue(ok, "swarm did not finish in " + LIMIT);
        return done;
    }

    private List<String> hosts(String prefix, int n) {
        var out = new ArrayList<String>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    @Test
    void rarestFirstSpreadsPiecesSoLeechersTradeAndTheSeedUploadsLittleMoreThanOneCopy() {
        makeTorrent(2 << 20, 32 * 1024, TorrentVersion.HYBRID);
        var leecherHosts = hosts("leecher", 5);
        seed("seed", 200_000, data, List.of());
        var leechers = new ArrayList<TorrentHandle>();
        for (String h : leecherHosts) {
            var others = new ArrayList<>(leecherHosts);
            others.remove(h);
            others.add("seed");
            leechers.add(leech(h, 200_000, others, false));
        }
        runToCompletion(leechers);
        for (String h : leecherHosts) {
            assertArrayEquals(data, storage.stream(Path.of(h, "data.bin")), h + " has a verified, identical copy");
        }
        long seedSent = nodes.get("seed").piecesSent().values().stream().mapToLong(Long::longValue).sum();
        long leechersSent = leecherHosts.stream().flatMap(h -> nodes.get(h).piecesSent().values().stream())
                .mapToLong(Long::longValue).sum();
        // five copies were made; the seed paid for about two of them (1.9 to 2.1 across seeds), the leechers for
        // the rest; without trading the seed would send all five
        assertTrue(seedSent < 5L * data.length / 2, "seed uploaded " + seedSent);
        assertTrue(leechersSent > 5L * data.length / 2, "leechers uploaded to each other " + leechersSent);
        assertEquals(metainfo.info().pieceCount(), nodes.get("seed").piecesSent().size(),
                "the seed handed out every piece");
    }

    @Test
    void titForTatRewardsTheLeechersThatUpload() {
        makeTorrent(2 << 20, 32 * 1024, TorrentVersion.V1);
        var contributors = hosts("giver", 3);
        var freeriders = hosts("taker", 3);
        var all = new ArrayList<String>();
        all.addAll(contributors);
        all.addAll(freeriders);
        seed("seed", 100_000, data, List.of());
        var handles = new ArrayList<TorrentHandle>();
        for (String h : all) {
            var others = new ArrayList<>(all);
            others.remove(h);
            others.add("seed");
            handles.add(leech(h, h.startsWith("giver") ? 400_000 : 2_000, others, false));
        }
        double[] done = runToCompletion(handles);
        double givers = (done[0] + done[1] + done[2]) / 3;
        double takers = (done[3] + done[4] + done[5]) / 3;
        assertTrue(givers * 1.3 < takers, "uploaders finish first: givers " + givers + " s, takers " + takers
                + " s");
    }

    /** --download-limit: 2 MiB at 256 KiB/s from a seed that could send 5 MB/s takes about 8 s, not a fraction. */
    @Test
    void aDownloadLimitHoldsTheRateWhateverThePeersCouldSend() {
        makeTorrent(2 << 20, 64 * 1024, TorrentVersion.V1);
        seed("fast", 5_000_000, data, List.of());
        var limited = new DownloadTorrentService(runtime("limited", 100_000)).start(new DownloadTorrentCommand(
                torrent, Path.of("limited"), false, options(List.of("fast"), 0, 256 * 1024, false)));
        double[] done = runToCompletion(List.of(limited));
        assertArrayEquals(data, storage.stream(Path.of("limited", "data.bin")));
        assertTrue(done[0] > 7.5 && done[0] < 10, "2 MiB at 256 KiB/s took " + done[0] + " s");
        var free = leech("free", 100_000, List.of("fast"), false);
        double[] fast = runToCompletion(List.of(free));
        assertTrue(fast[0] < 2, "unlimited: " + fast[0] + " s");
    }

    @Test
    void endGameFinishesWithoutWaitingForASlowPeer() {
        makeTorrent(1 << 20, 64 * 1024, TorrentVersion.V1);
        seed("fast", 5_000_000, data, List.of());
        seed("slow", 4_000, data, List.of());
        var leecher = leech("leecher", 100_000, List.of("slow", "fast"), false);
        double[] done = runToCompletion(List.of(leecher));
        assertArrayEquals(data, storage.stream(Path.of("leecher", "data.bin")));
        // the slow seed holds 16 blocks of requests at 4 KB/s (a minute of work); the end game asks the fast one
        assertTrue(done[0] < 5, "finished after " + done[0] + " s");
        // the blocks the fast seed delivered in the end game were cancelled at the slow one
        assertTrue(nodes.get("leecher").cancelsSent() > 0, "no cancel sent in the end game");
    }


    @Test
    void aPeerSendingCorruptDataIsBannedAndTheDownloadIsStillCorrect() {
        makeTorrent(1 << 20, 32 * 1024, TorrentVersion.V1);
        byte[] corrupt = data.clone();
        for (int i = 100; i < corrupt.length; i += 32 * 1024) {
            corrupt[i] ^= 1; // every piece is wrong
        }
        seed("liar", 1_000_000, corrupt, List.of());
        seed("honest", 300_000, data, List.of());
        var leecher = leech("leecher", 100_000, List.of("liar", "honest"), false);
        runToCompletion(List.of(leecher));
        assertArrayEquals(data, storage.stream(Path.of("leecher", "data.bin")));
        assertEquals(1, leecher.status().bannedPeers());
        assertTrue(leecher.status().failedPieces() >= 1);
        assertEquals(metainfo.info().pieceCount(), storage.writes(Path.of("leecher", "data.bin")),
                "only verified pieces were written, each once");
    }

    @Test
    void piecesStillOnTheDiskThreadWhenADownloadIsClosedAreWrittenAndInItsResumeData() {
        makeTorrent(1 << 20, 32 * 1024, TorrentVersion.V1);
        seed("seed", 5_000_000, data, List.of());
        swarm.diskDelay(Duration.ofMillis(200)); // the leecher's disk: each piece takes 200 ms to hash and write
        var leecher = leech("leecher", 100_000, List.of("seed"), false);
        swarm.runUntil(() -> leecher.status() != null && leecher.status().verifiedBytes() >= data.length / 4,
                LIMIT);
        long verifiedAtClose = leecher.status().verifiedBytes();
        leecher.close();
        swarm.runUntil(() -> false, Duration.ofSeconds(30));

        Path content = Path.of("leecher", "data.bin");
        var written = storage.written(content);
        assertTrue((long) written.count() * 32 * 1024 > verifiedAtClose,
                "pieces were still being checked when the download was closed: " + written.count());
        assertEquals(Optional.of(written), storage.resume(content), "every written piece is in the resume data");
        assertEquals((long) written.count() * 32 * 1024, leecher.status().verifiedBytes());
        byte[] got = storage.stream(content);
        for (int p = 0; p < written.size(); p++) {
            if (written.get(p)) {
                assertArrayEquals(java.util.Arrays.copyOfRange(data, p * 32 * 1024, (p + 1) * 32 * 1024),
                        java.util.Arrays.copyOfRange(got, p * 32 * 1024, (p + 1) * 32 * 1024));
            }
        }
    }

    /** The session reports a failure naming {@code reason}, and closes its connections. */
    private void assertStopsWith(TorrentHandle leecher, String reason) {
        assertTrue(swarm.runUntil(() -> leecher.failure().isPresent(), Duration.ofSeconds(30)),
                "the session reported the failure");
        assertTrue(leecher.failure().get().contains(reason), leecher.failure().get());
        swarm.runUntil(() -> false, Duration.ofSeconds(10));
        assertEquals(0, leecher.status().peers(), "the leecher closed its connections");
    }

    @Test
    void aTaskThatThrowsStopsTheSessionWithTheReasonInsteadOfHanging() {
        makeTorrent(1 << 20, 32 * 1024, TorrentVersion.V1);
        seed("seed", 5_000_000, data, List.of());
        storage.failWritesWith(new OutOfMemoryError("Java heap space"));
        var leecher = leech("leecher", 100_000, List.of("seed"), false);
        assertStopsWith(leecher, "out of memory");
    }

    @Test
    void aFullDiskStopsTheDownloadWithTheReasonAndKeepsEveryPieceWrittenBeforeIt() {
        makeTorrent(1 << 20, 32 * 1024, TorrentVersion.V1);
        seed("seed", 5_000_000, data, List.of());
        storage.failWritesAfter(5, new StorageException("the disk is full while writing leecher/data.bin"));
        var leecher = leech("leecher", 100_000, List.of("seed"), false);
        assertStopsWith(leecher, "the disk is full");

        Path content = Path.of("leecher", "data.bin");
        var written = storage.written(content);
        assertEquals(5, written.count(), "the pieces written before the disk filled up");
        assertEquals(Optional.of(written), storage.resume(content), "and they are in the resume data");
        assertEquals(5L * 32 * 1024, leecher.status().verifiedBytes(), "the failed pieces are not counted verified");
    }

    @Test
    void sequentialModeDownloadsInOrder() {
        makeTorrent(1 << 20, 32 * 1024, TorrentVersion.V1);
        seed("seed", 1_000_000, data, List.of());
        var leecher = leech("leecher", 100_000, List.of("seed"), true);
        swarm.runUntil(() -> leecher.status() != null && leecher.status().verifiedBytes() >= data.length / 2,
                LIMIT);
        byte[] got = storage.stream(Path.of("leecher", "data.bin"));
        assertArrayEquals(java.util.Arrays.copyOf(data, data.length / 4), java.util.Arrays.copyOf(got,
                data.length / 4), "the first quarter is in place by the time half is done");
        runToCompletion(List.of(leecher));
    }

    @Test
    void peersWithNoAddressesMeetThroughTheSecondTierWhenTheFirstIsDownAndReportTheirEvents() {
        String dead = "http://dead/announce";
        String good = "udp://good:6969";
        tracker.kill(dead);
        makeTorrent(1 << 20, 32 * 1024, TorrentVersion.HYBRID, List.of(List.of(dead), List.of(good)));
        seed("seed", 300_000, data, List.of());
        var leecherHosts = hosts("leecher", 3);
        var leechers = new ArrayList<TorrentHandle>();
        for (String h : leecherHosts) {
            leechers.add(leech(h, 300_000, List.of(), false));
        }
        runToCompletion(leechers);
        for (String h : leecherHosts) {
            assertArrayEquals(data, storage.stream(Path.of(h, "data.bin")), h + " has an identical copy");
        }
        swarm.runUntil(() -> false, Duration.ofMinutes(4)); // leechers stop; the seed goes on re-announcing
        var log = tracker.log();
        var hashes = List.of(metainfo.infoHashes().v1().orElseThrow(), metainfo.infoHashes().v2Truncated()
                .orElseThrow());
        for (String h : leecherHosts) {
            for (var hash : hashes) {
                var events = log.stream().filter(a -> a.host().equals(h) && a.answered()
                        && a.infoHash().equals(hash)).map(FakeTracker.Announce::event).toList();
                assertEquals(dev.jtorr.domain.tracker.AnnounceEvent.STARTED, events.get(0), h + " " + events);
                assertEquals(1, events.stream().filter(e -> e == dev.jtorr.domain.tracker.AnnounceEvent.COMPLETED)
                        .count(), h + " says completed once: " + events);
                assertEquals(dev.jtorr.domain.tracker.AnnounceEvent.STOPPED, events.get(events.size() - 1),
                        h + " " + events);
            }
            assertTrue(log.stream().anyMatch(a -> a.host().equals(h) && a.url().equals(dead)),
                    "the first tier was tried");
        }
        var seedEvents = log.stream().filter(a -> a.host().equals("seed") && a.answered()
                && a.infoHash().equals(hashes.get(0))).map(FakeTracker.Announce::event).toList();
        assertEquals(dev.jtorr.domain.tracker.AnnounceEvent.STARTED, seedEvents.get(0));
        assertTrue(seedEvents.stream().noneMatch(e -> e == dev.jtorr.domain.tracker.AnnounceEvent.COMPLETED),
                "a seed never says completed");
        assertTrue(seedEvents.size() >= 4, "the seed re-announces every 60 s: " + seedEvents);
        long seedAnnouncesToDead = log.stream().filter(a -> a.host().equals("seed") && a.url().equals(dead)
                && a.infoHash().equals(hashes.get(0))).count();
        assertTrue(seedAnnouncesToDead <= 1, "once the second tier answered, the dead one is not asked first: "
                + seedAnnouncesToDead);
    }

    /**
     * One seed and a crowd of 20 leechers that meet through a tracker, the seed's uplink the bottleneck: the seed
     * keeps every upload slot busy (a slot freed by a leecher that completes or loses interest is refilled at once,
     * not at the next round) and hands out pieces the leechers lack, so that they trade. The ideal is one copy from
     * the seed at its full rate (size / seed capacity); the last leecher finishes within 3.25 times that (2.6-3.0
     * across seeds: the seed sends 2.4-2.9 copies, because leechers that fetch a piece from it at the same time each
     * get one). Leaving freed slots empty until the next 10-second round took 3.6-6 times the ideal, the last leechers
     * finishing in waves 10 s apart. Deterministic: virtual time, one seed of randomness ({@code -Dsimseed=N}).
     */
    @Test
    void aCrowdOfLeechersFinishesSoonAfterTheSeedCouldHaveSentOneCopy() {
        String announce = "udp://tracker:6969";
        makeTorrent(CROWD_SIZE, 64 * 1024, TorrentVersion.V1, List.of(List.of(announce)));
        long seedCapacity = 1_000_000;
        storage.seed(Path.of("seed", "data.bin"), metainfo, data);
        new SeedTorrentService(runtime("seed", seedCapacity)).start(new SeedTorrentCommand(torrent,
                Path.of("seed", "data.bin"), true, options(List.of(), CROWD_SLOTS, 0, 0, false)));
        var leechers = new ArrayList<TorrentHandle>();
        for (String h : hosts("leecher", 20)) {
            leechers.add(new DownloadTorrentService(runtime(h, seedCapacity)).start(new DownloadTorrentCommand(
                    torrent, Path.of(h), false, options(List.of(), CROWD_SLOTS, 0, 0, false))));
        }
        double[] done = runToCompletion(leechers);
        for (String h : hosts("leecher", 20)) {
            assertArrayEquals(data, storage.stream(Path.of(h, "data.bin")), h + " has an identical copy");
        }
        double ideal = (double) CROWD_SIZE / seedCapacity;
        double last = java.util.Arrays.stream(done).max().orElseThrow();
        long seedSent = nodes.get("seed").piecesSent().values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("crowd: seed sent %.2f copies, ideal %.1f s, leechers done %s%n",
                (double) seedSent / CROWD_SIZE, ideal,
                java.util.Arrays.toString(java.util.Arrays.stream(done).sorted().toArray()));
        assertTrue(last <= 3.25 * ideal, "the last leecher finished after " + last + " s; ideal " + ideal + " s");
    }

    private static final int CROWD_SIZE = 8 << 20;
    private static final int CROWD_SLOTS = Integer.getInteger("crowdslots", 0);
}
