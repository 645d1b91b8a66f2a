package dev.jtorr.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.LocalDiscovery;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Local service discovery as a peer source of the engine, over an in-memory stand-in for the LAN's multicast group:
 * what one engine announces every other engine hears, from the announcer's host. A torrent with no tracker and no
 * peer given finds its seeder this way; a private one never announces.
 */
class LsdEngineTest {
    private static final int PORT = 6881;

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InMemoryPieceStorage storage = new InMemoryPieceStorage();
    private final SplittableRandom random = new SplittableRandom(3);
    /** The stand-in group: each started host's listener. */
    private final Map<String, LocalDiscovery.Listener> members = new ConcurrentHashMap<>();
    private final List<String> announces = new CopyOnWriteArrayList<>();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<String> notices = new CopyOnWriteArrayList<>();

    private LocalDiscovery lan(String host) {
        return (bind, port, listener) -> {
            started.add(host + ":" + port);
            members.put(host, listener);
            return Optional.of(new LocalDiscovery.Service() {
                @Override
                public void announce(List<Digest> infoHashes) {
                    announces.add(host + " " + infoHashes.size());
                    members.forEach((other, l) -> {
                        if (!other.equals(host)) { // our own announce comes back too, and is dropped by its cookie
                            infoHashes.forEach(h -> l.heard(h, new PeerAddress(host, port)));
                        }
                    });
                }

                @Override
                public void close() {
                    members.remove(host);
                }
            });
        };
    }

    private Path torrent(byte[] data, boolean isPrivate) {
        return new CreateTorrentService(new InMemoryContentReader().put("data.bin", data), store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1,
                "test").create(new CreateTorrentCommand(Path.of("data.bin"), Optional.empty(),
                Optional.of(32 * 1024L), TorrentVersion.HYBRID, List.of(), List.of(), isPrivate, Optional.empty(),
                Optional.empty(), false, false)).file();
    }

    private Engine engine(String host, boolean lsd) {
        ProgressListener progress = new ProgressListener() {
            @Override
            public void notice(String message) {
                notices.add(host + ": " + message);
            }
        };
        var runtime = new SwarmRuntime(store, storage, swarm.node(host, 5_000_000), TrackerClient.NONE, swarm, swarm,
                random, progress, 1, dev.jtorr.application.port.out.DhtNetwork.OFF, lan(host));
        return Engine.start(runtime, new EngineOptions("", PORT, EncryptionPolicy.PREFER, 0, 0, 50, 0,
                DhtSettings.OFF, lsd));
    }

    private static SessionOptions noPeersNoTrackers() {
        return new SessionOptions(List.of(), "", PORT, 50, 4, 0, 0, false, 64L << 20, List.of(), true,
                EncryptionPolicy.PREFER).withLsd(true);
    }

    private void seed(String host, Path torrent, byte[] data) {
        Path content = Path.of(host, "data.bin");
        storage.seed(content, MetainfoParser.parse(store.get(torrent)), data);
        engine(host, true).seed(torrent, content, noPeersNoTrackers(), true);
    }

    @Test
    void aDownloadWithNoTrackerAndNoPeerFindsItsSeederOnTheLocalNetwork() {
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        Path torrent = torrent(data, false);
        seed("seed", torrent, data);
        TorrentHandle got = engine("leech", true).download(torrent, Path.of("leech"), noPeersNoTrackers(), false);

        assertTrue(swarm.runUntil(() -> got.status() != null
                && got.status().verifiedBytes() == got.status().totalBytes(), Duration.ofMinutes(5)));
        assertArrayEquals(data, storage.stream(Path.of("leech", "data.bin")));
        assertEquals(List.of("seed:" + PORT, "leech:" + PORT), started);
        // one announce per torrent, naming both hashes of the hybrid torrent
        assertTrue(announces.contains("seed 2") && announces.contains("leech 2"), announces.toString());
        assertTrue(notices.stream().noneMatch(n -> n.contains("no way to find peers")), notices.toString());
    }

    @Test
    void aPrivateTorrentNeverAnnouncesOnTheLocalNetwork() {
        byte[] data = new byte[100_000];
        new Random(2).nextBytes(data);
        Path torrent = torrent(data, true);
        seed("seed", torrent, data);
        engine("leech", true).download(torrent, Path.of("leech"), noPeersNoTrackers(), false);
        swarm.runUntil(() -> false, Duration.ofMinutes(3));
        assertEquals(List.of(), announces);
    }

    @Test
    void anEngineWhoseOptionsLeaveLocalDiscoveryOffStartsNone() {
        engine("quiet", false);
        assertEquals(List.of(), started);
    }
}
