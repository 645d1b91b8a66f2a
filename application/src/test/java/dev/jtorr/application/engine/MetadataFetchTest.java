package dev.jtorr.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.SimulatedSwarm;
import dev.jtorr.application.torrent.MetadataFetch;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A magnet link's info dictionary fetched from seeding engines on the simulated network (BEP 9). */
class MetadataFetchTest {
    private static final int PORT = 6881;
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InMemoryPieceStorage storage = new InMemoryPieceStorage();
    private final SplittableRandom random = new SplittableRandom(7);
    private final List<EngineEvent> events = new ArrayList<>();

    private Engine engine(String host) {
        var runtime = new SwarmRuntime(store, storage, swarm.node(host, 2_000_000), TrackerClient.NONE, swarm, swarm,
                random, ProgressListener.NONE, 1);
        return Engine.start(runtime, new EngineOptions("", PORT, EncryptionPolicy.PREFER, 0, 0, 50));
    }

    /** A torrent of 16 KiB pieces over 20 MiB: its info dictionary (1,280 piece hashes) spans two metadata pieces. */
    private Metainfo seeded(String name, TorrentVersion version, String... hosts) {
        byte[] data = new byte[20 << 20];
        new Random(5).nextBytes(data);
        var created = new CreateTorrentService(new InMemoryContentReader().put(name, data), store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1,
                "test").create(new CreateTorrentCommand(Path.of(name), Optional.empty(), Optional.of(16 * 1024L),
                version, List.of(), List.of(), false, Optional.empty(), Optional.empty(), false, false));
        Metainfo metainfo = MetainfoParser.parse(store.get(created.file()));
        for (String host : hosts) {
            Path content = Path.of(host, name);
            storage.seed(content, metainfo, data);
            engine(host).seed(created.file(), content, SessionOptions.defaults(List.of(), PORT), true);
        }
        return metainfo;
    }

    private CompletableFuture<MetadataFetch.Fetched> fetch(Metainfo metainfo, String... peers) {
        Engine engine = engine("magnet");
        engine.subscribe(events::add);
        return engine.fetchMetadata(new MetadataFetch.Target(metainfo.infoHashes(), "by magnet",
                List.of(peers).stream().map(h -> new PeerAddress(h, PORT)).toList(), List.of(), 50,
                EncryptionPolicy.PREFER));
    }

    @Test
    void theDictionaryComesFromSeveralSeedersAndMatchesTheTorrent() {
        Metainfo metainfo = seeded("a.bin", TorrentVersion.V1, "s1", "s2", "s3");
        assertTrue(metainfo.infoBytes().length > 16 * 1024, "several metadata pieces");
        var result = fetch(metainfo, "s1", "s2", "s3");
        assertTrue(swarm.runUntil(result::isDone, LIMIT));
        assertArrayEquals(metainfo.infoBytes(), result.join().info());
        assertTrue(events.stream().anyMatch(e -> e instanceof EngineEvent.StateChanged c
                && c.state() == dev.jtorr.domain.torrent.TorrentLifecycle.State.WAITING_FOR_METADATA), events::toString);
    }

    @Test
    void aHybridTorrentsDictionaryIsCheckedAgainstBothHashes() {
        Metainfo metainfo = seeded("h.bin", TorrentVersion.HYBRID, "s1");
        var result = fetch(metainfo, "s1");
        assertTrue(swarm.runUntil(result::isDone, LIMIT));
        assertArrayEquals(metainfo.infoBytes(), result.join().info());
    }

    @Test
    void aV2OnlyTorrentsPieceLayersComeWithItsDictionaryEachRunProvedToItsFilesRoot() {
        // 1,280 pieces of 16 KiB: three runs of at most 512 piece hashes
        Metainfo metainfo = seeded("v.bin", TorrentVersion.V2, "s1", "s2");
        assertFalse(metainfo.infoHashes().v1().isPresent());
        var result = fetch(metainfo, "s1", "s2");
        assertTrue(swarm.runUntil(result::isDone, LIMIT));
        assertArrayEquals(metainfo.infoBytes(), result.join().info());
        assertEquals(metainfo.pieceLayers().keySet(), result.join().pieceLayers().keySet());
        metainfo.pieceLayers().forEach((root, layer) ->
                assertArrayEquals(layer, result.join().pieceLayers().get(root), "the layer of " + root));
    }

    @Test
    void withoutAnyPeerThatHasItTheFetchWaitsAndStopsWhenTheEngineDoes() {
        Metainfo metainfo = seeded("a.bin", TorrentVersion.V1);
        Engine engine = engine("magnet");
        var result = engine.fetchMetadata(new MetadataFetch.Target(metainfo.infoHashes(), "x",
                List.of(new PeerAddress("nobody", PORT)), List.of(), 50, EncryptionPolicy.PREFER));
        swarm.runUntil(() -> false, Duration.ofSeconds(30));
        assertFalse(result.isDone());
        engine.shutdown();
        assertTrue(swarm.runUntil(result::isDone, LIMIT));
        assertTrue(result.isCompletedExceptionally());
    }
}
