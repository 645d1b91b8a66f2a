package dev.jtorr.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.SimulatedSwarm;
import dev.jtorr.domain.dht.DhtSettings;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
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
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * The DHT as a peer source of the engine, through a shared in-memory stand-in for the DHT: announces go in, lookups
 * find them. A torrent with no tracker and no peer given finds its seeder this way; a private one never asks.
 */
class DhtEngineTest {
    private static final int PORT = 6881;
    private static final DhtSettings ON = new DhtSettings(true, List.of());

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InMemoryPieceStorage storage = new InMemoryPieceStorage();
    private final SplittableRandom random = new SplittableRandom(3);
    /** The stand-in DHT: the peers announced under each info-hash, and every lookup made. */
    private final Map<Digest, List<PeerAddress>> announced = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();
    private final List<String> started = new ArrayList<>();
    /** "who pinged whom" for each BEP 5 port message acted on. */
    private final List<String> pings = new java.util.concurrent.CopyOnWriteArrayList<>();

    private DhtNetwork dhtFor(String host) {
        return (bind, port, bootstrap) -> {
            started.add(host + ":" + port);
            return Optional.of(new DhtNetwork.Node() {
                @Override
                public void getPeers(Digest infoHash, int announcePort, Consumer<List<PeerAddress>> peers,
                                     IntConsumer done) {
                    List<PeerAddress> found;
                    synchronized (announced) {
                        lookups.add(host + " " + infoHash.hex() + " " + announcePort);
                        found = List.copyOf(announced.getOrDefault(infoHash, List.of()));
                        announced.computeIfAbsent(infoHash, h -> new ArrayList<>())
                                .add(new PeerAddress(host, announcePort));
                    }
                    if (!found.isEmpty()) {
                        peers.accept(found);
                    }
                    done.accept(found.size());
                }

                @Override
                public void ping(PeerAddress node) {
                    pings.add(host + " pinged " + node);
                }

                @Override
                public int nodes() {
                    return 0;
                }

                @Override
                public void close() {
                }
            });
        };
    }

    private Path torrent(String name, byte[] data, boolean isPrivate) {
        return new CreateTorrentService(new InMemoryContentReader().put(name, data), store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1,
                "test").create(new CreateTorrentCommand(Path.of(name), Optional.empty(), Optional.of(32 * 1024L),
                TorrentVersion.HYBRID, List.of(), List.of(), isPrivate, Optional.empty(), Optional.empty(), false,
                false)).file();
    }

    private final List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Engine engine(String host) {
        ProgressListener progress = new ProgressListener() {
            @Override
            public void notice(String message) {
                notices.add(host + ": " + message);
            }
        };
        var runtime = new SwarmRuntime(store, storage, swarm.node(host, 5_000_000), TrackerClient.NONE, swarm, swarm,
                random, progress, 1, dhtFor(host));
        return Engine.start(runtime, new EngineOptions("", PORT, EncryptionPolicy.PREFER, 0, 0, 50, 0, ON));
    }

    private static SessionOptions noPeersNoTrackers() {
        return new SessionOptions(List.of(), "", PORT, 50, 4, 0, 0, false, 64L << 20, List.of(), true,
                EncryptionPolicy.PREFER);
    }

    private TorrentHandle seed(String host, Path torrent, byte[] data) {
        Path content = Path.of(host, "data.bin");
        storage.seed(content, MetainfoParser.parse(store.get(torrent)), data);
        return engine(host).seed(torrent, content, noPeersNoTrackers(), true);
    }

    @Test
    void aDownloadWithNoTrackerAndNoPeerFindsItsSeederThroughTheDht() {
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        Path torrent = torrent("data.bin", data, false);
        seed("seed", torrent, data);
        TorrentHandle got = engine("leech").download(torrent, Path.of("leech"), noPeersNoTrackers(), false);

        assertTrue(swarm.runUntil(() -> got.status() != null
                && got.status().verifiedBytes() == got.status().totalBytes(), Duration.ofMinutes(5)));
        assertArrayEquals(data, storage.stream(Path.of("leech", "data.bin")));
        assertEquals(List.of("seed:" + PORT, "leech:" + PORT), started, "one node per engine, on its port number");
        assertTrue(notices.stream().noneMatch(n -> n.contains("no way to find peers")), notices.toString());
        var hashes = MetainfoParser.parse(store.get(torrent)).infoHashes();
        synchronized (announced) {
            // a hybrid torrent is looked up (and announced) under both its hashes
            for (Digest h : List.of(hashes.v1().orElseThrow(), hashes.v2Truncated().orElseThrow())) {
                assertTrue(lookups.contains("seed " + h.hex() + " " + PORT), lookups.toString());
                assertTrue(lookups.contains("leech " + h.hex() + " " + PORT), lookups.toString());
            }
        }
    }

    @Test
    void aPeerTheDhtFindsIsDialledAtOnceNotAtTheNextTick() {
        byte[] data = new byte[300_000];
        new Random(2).nextBytes(data);
        Path torrent = torrent("data.bin", data, false);
        seed("seed", torrent, data);
        Instant start = swarm.now();
        Engine leech = engine("leech");
        var completedAt = new java.util.concurrent.atomic.AtomicReference<Instant>();
        leech.subscribe(e -> {
            if (e instanceof dev.jtorr.application.port.out.EngineEvent.Completed) {
                completedAt.set(swarm.now());
            }
        });
        leech.download(torrent, Path.of("leech"), noPeersNoTrackers(), false);
        assertTrue(swarm.runUntil(() -> completedAt.get() != null, Duration.ofMinutes(1)));
        // the lookup answers during the first tick; its peer is dialled then, not a tick (1 s) later, and 300 KB
        // take 60 ms at 5 MB/s
        Duration took = Duration.between(start, completedAt.get());
        assertTrue(took.compareTo(Duration.ofMillis(800)) < 0, "complete after " + took);
    }

    @Test
    void peersWithTheDhtBitTellEachOtherTheirDhtPortAndEachPingsTheOther() {
        byte[] data = new byte[100_000];
        new Random(4).nextBytes(data);
        Path torrent = torrent("data.bin", data, false);
        seed("seed", torrent, data);
        TorrentHandle got = engine("leech").download(torrent, Path.of("leech"),
                noPeersNoTrackers().withPeers(List.of(new PeerAddress("seed", PORT))), false);
        assertTrue(swarm.runUntil(() -> got.status() != null
                && got.status().verifiedBytes() == got.status().totalBytes(), Duration.ofMinutes(5)));
        assertTrue(pings.contains("leech pinged seed:" + PORT), pings.toString());
        assertTrue(pings.contains("seed pinged leech:" + PORT), pings.toString());
    }

    @Test
    void aPrivateTorrentsPeersAreNeitherToldNorAskedForADhtPort() {
        byte[] data = new byte[100_000];
        new Random(5).nextBytes(data);
        Path torrent = torrent("data.bin", data, true);
        seed("seed", torrent, data);
        TorrentHandle got = engine("leech").download(torrent, Path.of("leech"),
                noPeersNoTrackers().withPeers(List.of(new PeerAddress("seed", PORT))), false);
        assertTrue(swarm.runUntil(() -> got.status() != null
                && got.status().verifiedBytes() == got.status().totalBytes(), Duration.ofMinutes(5)));
        assertEquals(List.of(), pings);
    }

    @Test
    void anEngineWhoseOptionsLeaveTheDhtOffStartsNoNode() throws InterruptedException {
        var runtime = new SwarmRuntime(store, storage, swarm.node("quiet", 5_000_000), TrackerClient.NONE, swarm,
                swarm, random, ProgressListener.NONE, 1, dhtFor("quiet"));
        Engine.start(runtime, new EngineOptions("", PORT, EncryptionPolicy.PREFER, 0, 0, 50));
        assertEquals(List.of(), started);
    }

    @Test
    void aPrivateTorrentNeverUsesTheDht() {
        byte[] data = new byte[100_000];
        new Random(2).nextBytes(data);
        Path torrent = torrent("data.bin", data, true);
        seed("seed", torrent, data);
        engine("leech").download(torrent, Path.of("leech"), noPeersNoTrackers(), false);
        swarm.runUntil(() -> false, Duration.ofSeconds(90));
        synchronized (announced) {
            assertEquals(List.of(), lookups);
        }
    }
}
