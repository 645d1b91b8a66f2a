package dev.jtorr.application.service;

import dev.jtorr.application.engine.SwarmRuntime;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.SeedTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.PieceStorage;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.testing.CapturingNetwork;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.HeldSchedulers;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.RecordingPeerConnection;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.wire.PeerMessage;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A seeder whose disk is slow (here: a block read or a file check that does not return until the test says so) keeps
 * handling its peers: block reads and file checks happen on the session's disk thread, not on its own thread.
 */
class SlowDiskTest {
    /** Storage whose calls of {@code slow} (a method name) wait for {@code disk} to open. */
    private static PieceStorage slow(String slow, InMemoryPieceStorage inner, CountDownLatch disk) {
        return (metainfo, content, create, resume, selection) -> {
            TorrentStorage storage = inner.open(metainfo, content, create, resume, selection);
            return (TorrentStorage) Proxy.newProxyInstance(TorrentStorage.class.getClassLoader(),
                    new Class<?>[] {TorrentStorage.class}, (proxy, method, args) -> {
                        if (method.getName().equals(slow)) {
                            assertTrue(disk.await(30, TimeUnit.SECONDS), "the test never opened the disk");
                        }
                        try {
                            return method.invoke(storage, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };
    }

    private byte[] data;
    private Metainfo metainfo;
    private final HeldSchedulers schedulers = new HeldSchedulers();
    private final CapturingNetwork network = new CapturingNetwork();
    private final CountDownLatch disk = new CountDownLatch(1);

    /** A seeder of 256 KiB in 64 KiB pieces, dialling one peer, whose storage is slow at {@code slowMethod}. */
    private TorrentHandle seeder(String slowMethod) {
        data = new byte[256 * 1024];
        new Random(4).nextBytes(data);
        var store = new InMemoryMetainfoStore();
        var content = new InMemoryContentReader().put("seed/data.bin", data);
        var created = new CreateTorrentService(content, store, new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)),
                ProgressListener.NONE, Path.of("torrents"), 1, "test").create(new CreateTorrentCommand(
                Path.of("seed/data.bin"), Optional.empty(), Optional.of(64L * 1024), TorrentVersion.V1, List.of(),
                List.of(), false, Optional.empty(), Optional.empty(), false, false));
        metainfo = created.metainfo();
        var pieces = new InMemoryPieceStorage();
        pieces.seed(Path.of("seed", "data.bin"), metainfo, data);
        var runtime = new SwarmRuntime(store, slow(slowMethod, pieces, disk), network, TrackerClient.NONE, schedulers,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), new SplittableRandom(1),
                ProgressListener.NONE, 1);
        return new SeedTorrentService(runtime).start(new SeedTorrentCommand(created.file(),
                Path.of("seed", "data.bin"), true, SessionOptions.defaults(List.of(new PeerAddress("10.0.0.2", 6881)),
                6881)));
    }

    @Test
    void aBlockReadThatTakesLongDoesNotStopTheSessionFromHandlingItsPeers() throws Exception {
        var seeder = seeder("readBlock");
        try {
            schedulers.runQueued(); // the first tick dials the peer
            PeerConnection.Handler handler = network.handler.get();
            assertNotNull(handler, "the seeder dialled its peer");
            var peer = new RecordingPeerConnection(metainfo);
            handler.connected(peer);
            handler.receivedAll(peer, List.of(new PeerMessage.Bitfield(new Bitfield(4).toWire()),
                    PeerMessage.INTERESTED));
            schedulers.runLoops();
            assertTrue(peer.sent().contains(PeerMessage.UNCHOKE), "the peer was unchoked: " + peer.sent());

            var first = new BlockRequest(1, 0, 16 * 1024);
            var second = new BlockRequest(2, 16 * 1024, 16 * 1024);
            handler.receivedAll(peer, List.of(new PeerMessage.Request(first)));
            assertTimeoutPreemptively(Duration.ofSeconds(5), schedulers::runLoops,
                    "the session's own thread waited for the disk");
            handler.receivedAll(peer, List.of(new PeerMessage.Request(second), PeerMessage.NOT_INTERESTED,
                    PeerMessage.INTERESTED));
            assertTimeoutPreemptively(Duration.ofSeconds(5), schedulers::runLoops,
                    "later messages are handled while the disk is still busy");
            assertTrue(peer.sent().stream().noneMatch(m -> m instanceof PeerMessage.Piece), "nothing read yet");

            disk.countDown();
            schedulers.runQueued();
            List<PeerMessage.Piece> blocks = peer.sent().stream().filter(m -> m instanceof PeerMessage.Piece)
                    .map(m -> (PeerMessage.Piece) m).toList();
            assertEquals(List.of(first, second), blocks.stream().map(PeerMessage.Piece::block).toList(),
                    "both blocks were sent, in the order asked");
            for (PeerMessage.Piece b : blocks) {
                int at = b.piece() * 64 * 1024 + b.offset();
                byte[] got = new byte[b.data().remaining()];
                b.data().duplicate().get(got);
                assertArrayEquals(java.util.Arrays.copyOfRange(data, at, at + got.length), got);
            }
        } finally {
            disk.countDown();
            seeder.close();
            schedulers.runQueued();
        }
    }

    @Test
    void aFileCheckThatTakesLongDoesNotStopTheSession() throws Exception {
        var seeder = seeder("changedOnDisk");
        try {
            schedulers.runQueued();
            PeerConnection.Handler handler = network.handler.get();
            var peer = new RecordingPeerConnection(metainfo);
            handler.connected(peer);
            schedulers.runLoops();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (int second = 0; second < 12; second++) { // the files are checked every 5 s
                    schedulers.fireTimers();
                    schedulers.runLoops();
                }
            }, "the session's own thread waited for the file check");
            handler.receivedAll(peer, List.of(PeerMessage.INTERESTED));
            assertTimeoutPreemptively(Duration.ofSeconds(5), schedulers::runLoops);
            assertTrue(peer.sent().contains(PeerMessage.UNCHOKE), "peers are still served: " + peer.sent());
            disk.countDown();
            schedulers.runQueued();
            assertTrue(seeder.failure().isEmpty(), "the files did not change: " + seeder.failure());
        } finally {
            disk.countDown();
            seeder.close();
            schedulers.runQueued();
        }
    }
}
