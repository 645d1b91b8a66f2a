package dev.jtorr.application.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.engine.Engine;
import dev.jtorr.application.engine.EngineOptions;
import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.AddTorrentCommand;
import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.FileStream;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.StartDaemonCommand;
import dev.jtorr.application.port.in.UnknownTorrentException;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.SimulatedSwarm;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The daemon's {@code openFile} on the simulated network: which files it opens, and what a stream of it reads. */
class DaemonStreamingTest {
    private static final int PORT = 6881;
    private static final Duration LIMIT = Duration.ofHours(1);

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InMemoryPieceStorage storage = new InMemoryPieceStorage();
    private final SplittableRandom random = new SplittableRandom(3);
    private final byte[] small = bytes(40_000, 1);
    private final byte[] big = bytes(1 << 20, 2);
    private final byte[] torrent;
    private final Metainfo metainfo;

    DaemonStreamingTest() {
        var reader = new InMemoryContentReader().put("set/a.txt", small).put("set/b.mkv", big);
        var created = new CreateTorrentService(reader, store, new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)),
                ProgressListener.NONE, Path.of("made"), 1, "test").create(new CreateTorrentCommand(Path.of("set"),
                Optional.empty(), Optional.of(32 * 1024L), TorrentVersion.V1, List.of(), List.of(), false,
                Optional.empty(), Optional.empty(), false, false));
        torrent = store.get(created.file());
        metainfo = MetainfoParser.parse(torrent);
        byte[] stream = new byte[small.length + big.length];
        System.arraycopy(small, 0, stream, 0, small.length);
        System.arraycopy(big, 0, stream, small.length, big.length);
        storage.seed(Path.of("seed", "set"), metainfo, stream);
        runtime("seed").seedWith(created.file());
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private record Host(SwarmRuntime runtime, EngineOptions engine) {
        void seedWith(Path torrent) {
            Engine.start(runtime, engine).seed(torrent, Path.of("seed", "set"), options(), true);
        }
    }

    private Host runtime(String host) {
        return new Host(new SwarmRuntime(store, storage, swarm.node(host, 2_000_000), TrackerClient.NONE,
                swarm::create, swarm, random, ProgressListener.NONE, 1),
                new EngineOptions("", PORT, EncryptionPolicy.PREFER, 0, 0, 50));
    }

    private static SessionOptions options(String... peers) {
        return new SessionOptions(List.of(peers).stream().map(h -> new PeerAddress(h, PORT)).toList(), "", PORT, 50,
                4, 0, 0, false, 64L << 20, List.of(), true, EncryptionPolicy.PREFER);
    }

    private Daemon daemon() {
        Host leech = runtime("leech");
        return Daemon.start(leech.runtime(), new StartDaemonCommand(Path.of("/state"), Path.of("/downloads"),
                List.of(), options("seed")), warning -> { });
    }

    /** Reads {@code length} bytes at {@code from}, running the swarm until the read gets something. */
    private byte[] read(FileStream stream, long from, int length) {
        byte[] out = new byte[length];
        int[] done = {0};
        while (done[0] < length) {
            assertTrue(swarm.runUntil(() -> {
                try {
                    int n = stream.read(from + done[0], out, done[0], length - done[0], Duration.ZERO);
                    assertTrue(n >= 0);
                    done[0] += n;
                    return n > 0;
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, LIMIT));
        }
        return out;
    }

    @Test
    void aStreamOfAFileReadsItsBytesAsTheyAreVerified() {
        Daemon daemon = daemon();
        String id = daemon.add(AddTorrentCommand.ofTorrent(torrent)).id();
        try (FileStream stream = daemon.openFile(id, 1)) {
            assertEquals("set/b.mkv", stream.path());
            assertEquals(big.length, stream.length());
            assertArrayEquals(Arrays.copyOfRange(big, big.length - 50_000, big.length),
                    read(stream, big.length - 50_000, 50_000));
            assertArrayEquals(Arrays.copyOfRange(big, 0, 1000), read(stream, 0, 1000));
        }
    }

    @Test
    void aFileThatIsNotWantedIsRefusedNotMadeWanted() {
        Daemon daemon = daemon();
        var command = new AddTorrentCommand(Optional.of(torrent), Optional.empty(), Optional.empty(), false,
                List.of(0), false);
        String id = daemon.add(command).id();
        var refused = assertThrows(InvalidCommandException.class, () -> daemon.openFile(id, 1));
        assertTrue(refused.getMessage().contains("not wanted"), refused.getMessage());
        assertEquals(List.of(true, false), daemon.files(id).stream().map(f -> f.wanted()).toList());
        try (FileStream stream = daemon.openFile(id, 0)) {
            assertArrayEquals(Arrays.copyOfRange(small, 100, 200), read(stream, 100, 100));
        }
    }

    @Test
    void aPausedTorrentOrOneWithoutMetadataIsRefused() {
        Daemon daemon = daemon();
        String paused = daemon.add(AddTorrentCommand.ofTorrent(torrent).withPaused(true)).id();
        var refused = assertThrows(InvalidCommandException.class, () -> daemon.openFile(paused, 0));
        assertTrue(refused.getMessage().contains("paused"), refused.getMessage());

        String magnet = daemon.add(AddTorrentCommand.ofMagnet("magnet:?xt=urn:btih:" + "ab".repeat(20))
                .withPaused(true)).id();
        refused = assertThrows(InvalidCommandException.class, () -> daemon.openFile(magnet, 0));
        assertTrue(refused.getMessage().contains("no metadata"), refused.getMessage());
    }

    @Test
    void anUnknownTorrentOrFileNumberIsRefused() {
        Daemon daemon = daemon();
        String id = daemon.add(AddTorrentCommand.ofTorrent(torrent)).id();
        assertThrows(UnknownTorrentException.class, () -> daemon.openFile("00".repeat(20), 0));
        assertThrows(InvalidCommandException.class, () -> daemon.openFile(id, 2));
    }
}
