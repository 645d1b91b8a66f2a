package dev.jtorr.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.SchedulerFactory;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.SimulatedSwarm;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.torrent.TorrentLifecycle;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Engines of several torrents on the simulated network: one port routes peers to the torrent they name, the threads
 * do not grow with the torrents, limits are shared, events tell the story, and a torrent pauses and resumes.
 */
class EngineTest {
    private static final int PORT = 6881;
    private static final Duration LIMIT = Duration.ofHours(1);

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InMemoryPieceStorage storage = new InMemoryPieceStorage();
    private final SplittableRandom random = new SplittableRandom(7);
    private final List<String> schedulers = new ArrayList<>();
    private final java.util.Map<String, SimulatedSwarm.Node> nodes = new java.util.HashMap<>();

    private record Made(Path torrent, byte[] data) {
    }

    private Made torrent(String name, int size) {
        byte[] data = new byte[size];
        new Random(name.hashCode()).nextBytes(data);
        var created = new CreateTorrentService(new InMemoryContentReader().put(name, data), store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1,
                "test").create(new CreateTorrentCommand(Path.of(name), Optional.empty(), Optional.of(32 * 1024L),
                TorrentVersion.HYBRID, List.of(), List.of(), false, Optional.empty(), Optional.empty(), false, false));
        return new Made(created.file(), data);
    }

    private Engine engine(String host, long uplink, EngineOptions options) {
        SchedulerFactory counting = name -> {
            schedulers.add(host + ":" + name);
            return swarm.create(name);
        };
        var node = swarm.node(host, uplink);
        nodes.put(host, node);
        var runtime = new SwarmRuntime(store, storage, node, TrackerClient.NONE, counting, swarm,
                random, ProgressListener.NONE, 1);
        return Engine.start(runtime, options);
    }

    private static EngineOptions engineOptions() {
        return new EngineOptions("", PORT, EncryptionPolicy.PREFER, 0, 0, 50);
    }

    private static SessionOptions options(String... peers) {
        return new SessionOptions(List.of(peers).stream().map(h -> new PeerAddress(h, PORT)).toList(), "", PORT, 50,
                4, 0, 0, false, 64L << 20, List.of(), true, EncryptionPolicy.PREFER);
    }

    private TorrentHandle seed(Engine engine, String host, Made made) {
        Path content = Path.of(host, made.torrent().getFileName().toString().replace(".torrent", ""));
        storage.seed(content, dev.jtorr.domain.metainfo.MetainfoParser.parse(store.get(made.torrent())), made.data());
        return engine.seed(made.torrent(), content, options(), true);
    }

    private static boolean complete(TorrentHandle h) {
        var s = h.status();
        return s != null && s.verifiedBytes() == s.totalBytes();
    }

    private byte[] downloaded(String host, Made made) {
        return storage.stream(Path.of(host, made.torrent().getFileName().toString().replace(".torrent", "")));
    }

    @Test
    void oneListeningPortServesEachTorrentToThePeersThatNameIt() {
        Made a = torrent("a.bin", 300_000);
        Made b = torrent("b.bin", 500_000);
        Engine seeder = engine("seed", 2_000_000, engineOptions());
        TorrentHandle seedA = seed(seeder, "seed", a);
        TorrentHandle seedB = seed(seeder, "seed", b);
        assertEquals(seedA.port(), seedB.port(), "both torrents are on the engine's one port");

        TorrentHandle gotA = engine("left", 2_000_000, engineOptions()).download(a.torrent(), Path.of("left"),
                options("seed"), false);
        TorrentHandle gotB = engine("right", 2_000_000, engineOptions()).download(b.torrent(), Path.of("right"),
                options("seed"), false);

        assertTrue(swarm.runUntil(() -> complete(gotA) && complete(gotB), LIMIT));
        assertArrayEquals(a.data(), downloaded("left", a));
        assertArrayEquals(b.data(), downloaded("right", b));
        assertEquals(List.of(seedA.id(), seedB.id()), seeder.torrents().stream().map(TorrentHandle::id).toList());
    }

    @Test
    void aPeerNamingAnUnknownInfoHashIsDropped() {
        Made a = torrent("a.bin", 100_000);
        Engine seeder = engine("seed", 2_000_000, engineOptions());
        seed(seeder, "seed", a);
        SimulatedSwarm.Node stranger = swarm.node("stranger", 1_000_000);
        var outcome = new dev.jtorr.application.testing.DialOutcome();
        var unknown = Digest.ofHex("00".repeat(20));
        stranger.connect(new PeerAddress("seed", PORT), Handshake.ours(unknown, PeerId.generate(new Random(1))),
                EncryptionPolicy.PREFER, outcome);
        swarm.runUntil(() -> outcome.outcome().isDone(), Duration.ofSeconds(10));
        assertEquals(dev.jtorr.application.testing.DialOutcome.FAILED + "connection refused",
                outcome.outcome().getNow("still open"));
    }

    @Test
    void oneEngineDownloadsSeveralTorrentsOnThreeThreadsWhateverTheirNumber() {
        var made = List.of(torrent("a.bin", 200_000), torrent("b.bin", 300_000), torrent("c.bin", 400_000),
                torrent("d.bin", 100_000));
        Engine seeder = engine("seed", 4_000_000, engineOptions());
        made.forEach(m -> seed(seeder, "seed", m));
        Engine leecher = engine("leech", 4_000_000, engineOptions());
        var handles = made.stream().map(m -> leecher.download(m.torrent(), Path.of("leech"), options("seed"), false))
                .toList();

        assertTrue(swarm.runUntil(() -> handles.stream().allMatch(EngineTest::complete), LIMIT));
        for (Made m : made) {
            assertArrayEquals(m.data(), downloaded("leech", m));
        }
        assertEquals(3, schedulers.stream().filter(s -> s.startsWith("leech:")).count(), schedulers.toString());
        assertEquals(3, schedulers.stream().filter(s -> s.startsWith("seed:")).count(), schedulers.toString());
    }

    @Test
    void theSameTorrentCannotBeAddedTwice() {
        Made a = torrent("a.bin", 100_000);
        Engine seeder = engine("seed", 2_000_000, engineOptions());
        seed(seeder, "seed", a);
        assertThrows(InvalidCommandException.class, () -> seed(seeder, "seed", a));
    }

    @Test
    void theEnginesDownloadLimitHoldsForAllItsTorrentsTogether() {
        var made = List.of(torrent("a.bin", 1 << 20), torrent("b.bin", 1 << 20));
        Engine seeder = engine("seed", 10_000_000, engineOptions());
        made.forEach(m -> seed(seeder, "seed", m));
        Engine leecher = engine("leech", 10_000_000,
                new EngineOptions("", PORT, EncryptionPolicy.PREFER, 0, 256 * 1024, 50));
        Instant start = swarm.now();
        var handles = made.stream().map(m -> leecher.download(m.torrent(), Path.of("leech"), options("seed"), false))
                .toList();

        assertTrue(swarm.runUntil(() -> handles.stream().allMatch(EngineTest::complete), LIMIT));
        double seconds = Duration.between(start, swarm.now()).toMillis() / 1000.0;
        // 2 MiB at 256 KiB/s in total takes 8 s (each torrent alone would be allowed 256 KiB/s: 4 s)
        assertTrue(seconds >= 7, "took " + seconds + " s");
    }

    @Test
    void eventsTellEachTorrentsStoryInOrder() {
        Made a = torrent("a.bin", 200_000);
        Engine seeder = engine("seed", 2_000_000, engineOptions());
        seed(seeder, "seed", a);
        Engine leecher = engine("leech", 2_000_000, engineOptions());
        var events = new ArrayList<EngineEvent>();
        leecher.subscribe(events::add);
        TorrentHandle got = leecher.download(a.torrent(), Path.of("leech"), options("seed"), false);
        leecher.closeWhenIdle();

        assertTrue(swarm.runUntil(() -> events.stream().anyMatch(e -> e instanceof EngineEvent.Stopped), LIMIT));
        var kinds = events.stream().filter(e -> !(e instanceof EngineEvent.Progress))
                .map(e -> e instanceof EngineEvent.StateChanged s ? "state " + s.state()
                        : e.getClass().getSimpleName()).toList();
        assertEquals(List.of("Added", "state DOWNLOADING", "state SEEDING", "Completed", "state STOPPED", "Stopped"),
                kinds);
        assertTrue(events.stream().allMatch(e -> e.torrent().equals(got.id()) && e.name().equals("a.bin")));
        assertTrue(events.stream().anyMatch(e -> e instanceof EngineEvent.Progress p && p.status().downloaded() > 0));
    }

    @Test
    void aPausedTorrentClosesItsConnectionsAndGetsNothingUntilResumed() {
        Made a = torrent("a.bin", 2 << 20);
        Engine seeder = engine("seed", 200_000, engineOptions());
        seed(seeder, "seed", a);
        TorrentHandle got = engine("leech", 2_000_000, engineOptions()).download(a.torrent(), Path.of("leech"),
                options("seed"), false);
        assertTrue(swarm.runUntil(() -> got.status().verifiedBytes() > 0, LIMIT));

        got.pause();
        swarm.runUntil(() -> false, Duration.ofSeconds(2));
        assertEquals(TorrentLifecycle.State.PAUSED, got.state());
        long atPause = got.status().verifiedBytes();
        swarm.runUntil(() -> false, Duration.ofSeconds(60));
        assertEquals(atPause, got.status().verifiedBytes(), "nothing arrives while paused");
        assertEquals(0, got.status().peers());
        assertFalse(complete(got));

        got.resume();
        assertTrue(swarm.runUntil(() -> complete(got), LIMIT));
        assertArrayEquals(a.data(), downloaded("leech", a));
    }

    private long piecesSent(String host) {
        return nodes.get(host).piecesSent().values().stream().mapToLong(Long::longValue).sum();
    }

    /** A v1 torrent of a folder "set" holding {@code sizes.length} files (no pad files), and its byte stream. */
    private Made folder(int... sizes) {
        return folder(TorrentVersion.V1, sizes);
    }

    /**
     * A torrent of a folder "set" holding {@code sizes.length} files, and its byte stream: the files' bytes one after
     * the other, pad files (hybrid and v2) left out.
     */
    private Made folder(TorrentVersion version, int... sizes) {
        var reader = new InMemoryContentReader();
        var stream = new java.io.ByteArrayOutputStream();
        var random = new Random(sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            byte[] data = new byte[sizes[i]];
            random.nextBytes(data);
            reader.put("set/f" + i + ".bin", data);
            stream.writeBytes(data);
        }
        var created = new CreateTorrentService(reader, store, new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)),
                ProgressListener.NONE, Path.of("torrents"), 1, "test").create(new CreateTorrentCommand(Path.of("set"),
                Optional.empty(), Optional.of(32 * 1024L), version, List.of(), List.of(), false,
                Optional.empty(), Optional.empty(), false, false));
        return new Made(created.file(), stream.toByteArray());
    }

    /** The files' bytes laid out as its pieces hold them, pad files as zeros. */
    private static byte[] pieceStream(Metainfo metainfo, byte[] files) {
        var out = new java.io.ByteArrayOutputStream();
        int at = 0;
        for (var f : metainfo.info().files()) {
            if (f.isPadding()) {
                out.writeBytes(new byte[(int) f.length()]);
            } else {
                out.write(files, at, (int) f.length());
                at += (int) f.length();
            }
        }
        return out.toByteArray();
    }

    private record Downloaded(Metainfo metainfo, byte[] stream, TorrentHandle got) {
    }

    /** Host "seed" seeds the folder torrent {@code set}, host "leech" downloads it into leech/ to completion. */
    private Downloaded seedAndDownload(Made set) {
        Metainfo metainfo = dev.jtorr.domain.metainfo.MetainfoParser.parse(store.get(set.torrent()));
        byte[] stream = pieceStream(metainfo, set.data());
        Engine seeder = engine("seed", 2_000_000, engineOptions());
        storage.seed(Path.of("seed", "set"), metainfo, stream);
        seeder.seed(set.torrent(), Path.of("seed", "set"), options(), true);
        TorrentHandle got = engine("leech", 2_000_000, engineOptions()).download(set.torrent(), Path.of("leech"),
                options("seed"), false, List.of());
        assertTrue(swarm.runUntil(() -> complete(got), LIMIT));
        return new Downloaded(metainfo, stream, got);
    }

    @Test
    void aV2OnlyTorrentOfSeveralFilesGoesOverTheWireUnderItsTruncatedV2Hash() {
        Made set = folder(TorrentVersion.V2, 100_000, 5_000, 70_000);
        Downloaded run = seedAndDownload(set);
        assertEquals(run.metainfo().infoHashes().v2Truncated().orElseThrow().hex(), run.got().id());
        assertArrayEquals(run.stream(), storage.stream(Path.of("leech", "set")));
    }

    @Test
    void blocksOfPadBytesAreNeitherRequestedNorSentAndTheDownloadCompletes() {
        // 32 KiB pieces: piece 3 holds the first file's last 1,696 bytes, then 31,072 pad bytes (one block of data
        // and pad bytes, one of pad bytes only); the second file starts piece 4
        Made set = folder(TorrentVersion.HYBRID, 100_000, 50_000);
        Downloaded run = seedAndDownload(set);
        assertEquals(16 * 1024L, nodes.get("seed").piecesSent().get(3), "the block of pad bytes alone is not sent");
        assertEquals(150_000 + 16 * 1024 - 1_696, piecesSent("seed"));
        assertArrayEquals(run.stream(), storage.stream(Path.of("leech", "set")));
    }

    @Test
    void aSelectionDownloadsOnlyThePiecesOfTheChosenFiles() {
        Made set = folder(100_000, 200_000, 150_000);
        var metainfo = dev.jtorr.domain.metainfo.MetainfoParser.parse(store.get(set.torrent()));
        Engine seeder = engine("seed", 2_000_000, engineOptions());
        storage.seed(Path.of("seed", "set"), metainfo, set.data());
        seeder.seed(set.torrent(), Path.of("seed", "set"), options(), true);
        TorrentHandle got = engine("leech", 2_000_000, engineOptions()).download(set.torrent(), Path.of("leech"),
                options("seed"), false, List.of(2));

        assertTrue(swarm.runUntil(() -> complete(got), LIMIT));
        assertEquals(200_000, got.status().totalBytes(), "only the chosen file counts");
        var wanted = dev.jtorr.domain.metainfo.FileSelection.of(metainfo.info(), List.of(2))
                .wantedPieces(metainfo.info().pieceLayout());
        for (int piece : nodes.get("seed").piecesSent().keySet()) {
            assertTrue(wanted.get(piece), "piece " + piece + " was not wanted");
        }
        byte[] stream = storage.stream(Path.of("leech", "set"));
        assertArrayEquals(java.util.Arrays.copyOfRange(set.data(), 100_000, 300_000),
                java.util.Arrays.copyOfRange(stream, 100_000, 300_000));
    }

    @Test
    void aRecheckFindsADamagedPieceAndFetchesItAgain() {
        Made a = torrent("a.bin", 500_000);
        var metainfo = dev.jtorr.domain.metainfo.MetainfoParser.parse(store.get(a.torrent()));
        Engine seeder = engine("seed", 2_000_000, engineOptions());
        seed(seeder, "seed", a);
        TorrentHandle got = engine("leech", 2_000_000, engineOptions()).download(a.torrent(), Path.of("leech"),
                options("seed"), true);
        assertTrue(swarm.runUntil(() -> complete(got), LIMIT));
        long before = piecesSent("seed");

        storage.damage(Path.of("leech", "a.bin"), metainfo, 3);
        got.recheck();
        var states = new ArrayList<TorrentLifecycle.State>();
        assertTrue(swarm.runUntil(() -> {
            if (states.isEmpty() || states.getLast() != got.state()) {
                states.add(got.state());
            }
            return got.state() == TorrentLifecycle.State.SEEDING && states.size() > 2;
        }, LIMIT), states.toString());
        assertEquals(List.of(TorrentLifecycle.State.SEEDING, TorrentLifecycle.State.CHECKING,
                TorrentLifecycle.State.DOWNLOADING, TorrentLifecycle.State.SEEDING), states);
        assertArrayEquals(a.data(), downloaded("leech", a));
        assertEquals(32 * 1024, piecesSent("seed") - before, "the damaged piece, and only it, is fetched again");
    }

    @Test
    void aTorrentRemovedWithItsDataLeavesNothingAndItsPeersAreTurnedAway() {
        Made a = torrent("a.bin", 300_000);
        Engine seeder = engine("seed", 2_000_000, engineOptions());
        TorrentHandle seed = seed(seeder, "seed", a);
        Engine leecher = engine("leech", 2_000_000, engineOptions());
        TorrentHandle got = leecher.download(a.torrent(), Path.of("leech"), options("seed"), true);
        assertTrue(swarm.runUntil(() -> complete(got), LIMIT));

        got.remove(true);
        assertTrue(swarm.runUntil(() -> got.state() == TorrentLifecycle.State.STOPPED, LIMIT));
        swarm.runUntil(() -> false, Duration.ofSeconds(1));
        assertFalse(storage.has(Path.of("leech", "a.bin")), "the data is deleted");
        assertEquals(List.of(), leecher.torrents());

        seed.remove(false);
        assertTrue(swarm.runUntil(() -> seed.state() == TorrentLifecycle.State.STOPPED, LIMIT));
        assertTrue(storage.has(Path.of("seed", "a.bin")), "removed keeping its data");
        TorrentHandle late = engine("late", 2_000_000, engineOptions()).download(a.torrent(), Path.of("late"),
                options("seed"), false);
        swarm.runUntil(() -> false, Duration.ofSeconds(30));
        assertEquals(0, late.status().verifiedBytes(), "the seed's engine no longer routes peers to it");
    }

    /** A test extension: says ping to every peer that speaks it, answers ping with pong, remembers what it heard. */
    private static final class Echo implements dev.jtorr.application.extension.Extension {
        final List<String> heard = new ArrayList<>();

        @Override
        public String name() {
            return "jt_echo";
        }

        @Override
        public void peerSupports(dev.jtorr.application.extension.ExtensionPeer peer) {
            peer.send("jt_echo", "ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        @Override
        public void received(dev.jtorr.application.extension.ExtensionPeer peer, byte[] payload) {
            String text = new String(payload, java.nio.charset.StandardCharsets.US_ASCII);
            heard.add(text);
            if (text.equals("ping")) {
                peer.send("jt_echo", "pong".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void extensionsRegisteredWithTheEngineTalkToTheSameExtensionOfTheirPeers() {
        Made a = torrent("a.bin", 100_000);
        var seedEcho = new Echo();
        var leechEcho = new Echo();
        var otherHandshakes = new ArrayList<String>();
        Engine seeder = engineWith("seed", List.of(t -> seedEcho, t -> new dev.jtorr.application.extension.Extension() {
            @Override
            public String name() {
                return "jt_other";
            }

            @Override
            public void peerSupports(dev.jtorr.application.extension.ExtensionPeer peer) {
                otherHandshakes.add("supported"); // the leecher does not speak it
            }

            @Override
            public void received(dev.jtorr.application.extension.ExtensionPeer peer, byte[] payload) {
            }
        }));
        seed(seeder, "seed", a);
        TorrentHandle got = engineWith("leech", List.of(t -> leechEcho)).download(a.torrent(), Path.of("leech"),
                options("seed"), true);

        assertTrue(swarm.runUntil(() -> complete(got) && leechEcho.heard.contains("pong")
                && seedEcho.heard.contains("pong"), LIMIT));
        assertEquals(List.of("ping", "pong"), leechEcho.heard.stream().sorted().toList());
        assertEquals(List.of(), otherHandshakes, "an extension only the seed has is never offered to the leecher");
    }

    private Engine engineWith(String host, List<dev.jtorr.application.extension.Extension.Factory> extensions) {
        var node = swarm.node(host, 2_000_000);
        nodes.put(host, node);
        var runtime = new SwarmRuntime(store, storage, node, TrackerClient.NONE, swarm, swarm, random,
                ProgressListener.NONE, 1);
        return Engine.start(runtime, engineOptions(), extensions);
    }

    @Test
    void theEnginesUploadLimitIsSharedFairlyBetweenItsTorrents() {
        var made = List.of(torrent("a.bin", 2 << 20), torrent("b.bin", 2 << 20), torrent("c.bin", 2 << 20));
        Engine seeder = engine("seed", 10_000_000,
                new EngineOptions("", PORT, EncryptionPolicy.PREFER, 300 * 1024, 0, 50));
        made.forEach(m -> seed(seeder, "seed", m));
        var handles = new ArrayList<TorrentHandle>();
        for (int i = 0; i < made.size(); i++) {
            handles.add(engine("leech" + i, 10_000_000, engineOptions()).download(made.get(i).torrent(),
                    Path.of("leech" + i), options("seed"), false));
        }
        swarm.runUntil(() -> false, Duration.ofSeconds(12));
        long[] got = handles.stream().mapToLong(h -> h.status().downloaded()).toArray();
        long least = java.util.Arrays.stream(got).min().orElseThrow();
        long most = java.util.Arrays.stream(got).max().orElseThrow();
        assertTrue(least > 0.6 * most, "each torrent gets a fair share: " + java.util.Arrays.toString(got));
        assertTrue(most + least < 12 * 300 * 1024 * 1.1, "and the total stays within the limit");
    }
}
