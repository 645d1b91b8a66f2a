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
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.SimulatedSwarm;
import dev.jtorr.application.torrent.TorrentFileStream;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Reading a file of a torrent while it downloads, on the simulated network: what is read is fetched first, and only
 * verified bytes are ever returned. Reads here never wait (the swarm runs on this thread, so a waiting read would
 * wait for nothing): a read that gets 0 is followed by running the swarm until its piece is verified.
 */
class StreamingTest {
    private static final int PORT = 6881;
    private static final Duration LIMIT = Duration.ofHours(1);
    private static final long PIECE = 32 * 1024;

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InMemoryPieceStorage storage = new InMemoryPieceStorage();
    private final SplittableRandom random = new SplittableRandom(7);

    /** A hybrid torrent of a folder "set": a small file, a pad file, then {@code size} bytes (file 1). */
    private record Made(Path torrent, Metainfo metainfo, byte[] small, byte[] big) {
        FileEntry file(int index) {
            return metainfo.info().userFiles().get(index);
        }

        byte[] pieceStream() {
            var out = new java.io.ByteArrayOutputStream();
            out.writeBytes(small);
            out.writeBytes(new byte[(int) (file(1).offset() - small.length)]);
            out.writeBytes(big);
            return out.toByteArray();
        }
    }

    private Made torrent(int size) {
        byte[] small = new byte[50_000];
        byte[] big = new byte[size];
        var r = new Random(size);
        r.nextBytes(small);
        r.nextBytes(big);
        var reader = new InMemoryContentReader().put("set/a.txt", small).put("set/b.mkv", big);
        var created = new CreateTorrentService(reader, store, new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)),
                ProgressListener.NONE, Path.of("torrents"), 1, "test").create(new CreateTorrentCommand(Path.of("set"),
                Optional.empty(), Optional.of(PIECE), TorrentVersion.HYBRID, List.of(), List.of(), false,
                Optional.empty(), Optional.empty(), false, false));
        Metainfo metainfo = MetainfoParser.parse(store.get(created.file()));
        assertTrue(metainfo.info().files().stream().anyMatch(FileEntry::isPadding), "file 1 follows a pad file");
        return new Made(created.file(), metainfo, small, big);
    }

    private Engine engine(String host, long uplink) {
        var runtime = new SwarmRuntime(store, storage, swarm.node(host, uplink), TrackerClient.NONE, swarm::create,
                swarm, random, ProgressListener.NONE, 1);
        return Engine.start(runtime, new EngineOptions("", PORT, EncryptionPolicy.PREFER, 0, 0, 50));
    }

    private static SessionOptions options(boolean sequential, String... peers) {
        return new SessionOptions(List.of(peers).stream().map(h -> new PeerAddress(h, PORT)).toList(), "", PORT, 50,
                4, 0, 0, sequential, 64L << 20, List.of(), true, EncryptionPolicy.PREFER);
    }

    /** Host "seed" seeds {@code made} (its stored copy as given, unchecked). */
    private void seed(Made made, byte[] stream) {
        storage.seed(Path.of("seed", "set"), made.metainfo(), stream);
        engine("seed", 400_000).seed(made.torrent(), Path.of("seed", "set"), options(false), true);
    }

    private TorrentHandle leech(Made made, boolean sequential, String... peers) {
        return engine("leech", 400_000).download(made.torrent(), Path.of("leech"), options(sequential, peers), true);
    }

    private static TorrentFileStream open(Made made, int index, TorrentHandle handle) {
        return TorrentFileStream.open(made.metainfo(), index, () -> handle, 256 * 1024);
    }

    /** Reads {@code length} bytes of the file at {@code from}, running the swarm whenever a piece is not there yet. */
    private byte[] read(TorrentFileStream stream, Made made, int index, TorrentHandle handle, long from, int length)
            throws InterruptedException {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            int n = stream.read(from + done, out, done, length - done, Duration.ZERO);
            assertTrue(n >= 0, "end of file before " + (from + done));
            if (n == 0) {
                int piece = (int) ((made.file(index).offset() + from + done) / PIECE);
                assertTrue(swarm.runUntil(() -> handle.pieceVerified(piece), LIMIT), "piece " + piece + " came");
            }
            done += n;
        }
        return out;
    }

    private static int verified(TorrentHandle handle, int first, int last) {
        int n = 0;
        for (int p = first; p <= last; p++) {
            n += handle.pieceVerified(p) ? 1 : 0;
        }
        return n;
    }

    @Test
    void theEndOfAFileIsServedLongBeforeItsStartIsDownloadedEvenInSequentialOrder() throws Exception {
        Made made = torrent(4 << 20);
        seed(made, made.pieceStream());
        TorrentHandle got = leech(made, true, "seed");
        FileEntry file = made.file(1);
        int firstPiece = (int) (file.offset() / PIECE);
        int lastPiece = (int) ((file.offset() + file.length() - 1) / PIECE);

        try (var stream = open(made, 1, got)) {
            assertEquals("set/b.mkv", stream.path());
            assertEquals(4 << 20, stream.length());
            long from = file.length() - 100_000;
            byte[] end = read(stream, made, 1, got, from, 100_000);

            assertArrayEquals(Arrays.copyOfRange(made.big(), (int) from, made.big().length), end);
            int have = verified(got, firstPiece, lastPiece);
            int pieces = lastPiece - firstPiece + 1;
            // in index order, the end would be the last to come; 16 blocks in flight (8 pieces) go on meanwhile
            assertTrue(have < pieces / 4, have + " of the file's " + pieces + " pieces verified when its end was read");
            assertFalse(got.pieceVerified(firstPiece + pieces / 2), "the middle is not there yet");

            byte[] start = read(stream, made, 1, got, 0, 70_000);
            assertArrayEquals(Arrays.copyOfRange(made.big(), 0, 70_000), start);
        }
        assertTrue(got.awaitPiece(lastPiece, Duration.ZERO));
    }

    @Test
    void withoutAReaderTheSequentialOrderBringsTheEndLast() {
        // the control for the test above: what it sees is the reader's doing
        Made made = torrent(4 << 20);
        seed(made, made.pieceStream());
        TorrentHandle got = leech(made, true, "seed");
        int lastPiece = made.metainfo().info().pieceLayout().pieceCount() - 1;
        assertTrue(swarm.runUntil(() -> got.pieceVerified(lastPiece), LIMIT));
        int pieces = lastPiece + 1;
        assertTrue(verified(got, 0, lastPiece) > pieces * 3 / 4, verified(got, 0, lastPiece) + " of " + pieces);
    }

    @Test
    void aClosedStreamLetsItsPiecesGoBackToTheirOrder() throws Exception {
        Made made = torrent(4 << 20);
        seed(made, made.pieceStream());
        TorrentHandle got = leech(made, true, "seed");
        int lastPiece = made.metainfo().info().pieceLayout().pieceCount() - 1;
        var stream = open(made, 1, got);
        assertEquals(0, stream.read(made.file(1).length() - 10, new byte[10], 0, 10, Duration.ZERO));
        stream.close();
        assertThrows(IllegalStateException.class,
                () -> stream.read(0, new byte[10], 0, 10, Duration.ZERO), "a closed stream reads nothing");

        assertTrue(swarm.runUntil(() -> got.pieceVerified(lastPiece), LIMIT));
        assertTrue(verified(got, 0, lastPiece) > (lastPiece + 1) * 3 / 4, "the end came last, as without a reader");
    }

    @Test
    void aStreamFollowsItsTorrentStartedAgainAndLetsTheOldOneGo() throws Exception {
        Made made = torrent(4 << 20);
        seed(made, made.pieceStream());
        TorrentHandle before = leech(made, true, "seed");
        TorrentHandle after = engine("again", 400_000).download(made.torrent(), Path.of("again"),
                options(true, "seed"), true);
        var current = new java.util.concurrent.atomic.AtomicReference<>(before);
        int lastPiece = made.metainfo().info().pieceLayout().pieceCount() - 1;
        long from = made.file(1).length() - 100;

        try (var stream = TorrentFileStream.open(made.metainfo(), 1, current::get, 0)) {
            assertEquals(0, stream.read(from, new byte[100], 0, 100, Duration.ZERO));
            current.set(after); // as a daemon does when a change of settings starts the torrent again
            byte[] end = read(stream, made, 1, after, from, 100);
            assertArrayEquals(Arrays.copyOfRange(made.big(), made.big().length - 100, made.big().length), end);
            assertFalse(before.pieceVerified(lastPiece), "the first torrent's claim went when the stream moved on");
            assertTrue(swarm.runUntil(() -> before.pieceVerified(lastPiece), LIMIT));
            assertTrue(verified(before, 0, lastPiece) > (lastPiece + 1) * 3 / 4, "its end came last");
        }
    }

    @Test
    void aPieceThatFailsItsHashIsNeverReturned() throws Exception {
        Made made = torrent(1 << 20);
        FileEntry file = made.file(1);
        int bad = (int) (file.offset() / PIECE) + 3;
        byte[] damaged = made.pieceStream();
        damaged[(int) (bad * PIECE) + 5] ^= 1;
        seed(made, damaged);
        Engine leecher = engine("leech", 400_000);
        var notices = new ArrayList<String>();
        leecher.subscribe(e -> {
            if (e instanceof EngineEvent.Notice n) {
                notices.add(n.message());
            }
        });
        TorrentHandle got = leecher.download(made.torrent(), Path.of("leech"), options(false, "seed"), true);

        try (var stream = open(made, 1, got)) {
            long at = bad * PIECE - file.offset();
            // the piece before the bad one is good, and served up to the bad one's first byte (the seed is banned
            // once its piece fails, so this comes first)
            byte[] before = read(stream, made, 1, got, at - 1000, 1000);
            assertArrayEquals(Arrays.copyOfRange(made.big(), (int) at - 1000, (int) at), before);

            byte[] into = new byte[1000];
            assertEquals(0, stream.read(at, into, 0, into.length, Duration.ZERO));
            assertTrue(swarm.runUntil(() -> notices.stream().anyMatch(m -> m.startsWith("piece " + bad + " failed")),
                    LIMIT), "the damaged piece arrived and failed its check");
            assertFalse(got.pieceVerified(bad));
            assertEquals(0, stream.read(at, into, 0, into.length, Duration.ZERO), "nothing of the damaged piece");
            assertEquals(0, stream.read(at - 10, into, 0, into.length, Duration.ZERO) - 10,
                    "a read across stops where the damaged piece starts");
            assertArrayEquals(Arrays.copyOfRange(made.big(), (int) at - 10, (int) at), Arrays.copyOf(into, 10));
            assertArrayEquals(new byte[990], Arrays.copyOfRange(into, 10, 1000), "not a byte of it");
        }
    }

    @Test
    void aReadWaitsAtMostItsWaitAndReturnsNothing() throws Exception {
        Made made = torrent(200_000);
        TorrentHandle got = leech(made, false); // no peers: nothing ever arrives
        try (var stream = open(made, 1, got)) {
            assertEquals(0, stream.read(0, new byte[100], 0, 100, Duration.ofMillis(20)));
            assertEquals(0, stream.read(150_000, new byte[100], 0, 100, Duration.ofMillis(1)));
        }
    }

    @Test
    void atAndPastTheEndOfTheFileAReadReturnsMinusOne() throws Exception {
        Made made = torrent(200_000);
        TorrentHandle got = leech(made, false);
        try (var stream = open(made, 1, got)) {
            assertEquals(-1, stream.read(200_000, new byte[100], 0, 100, Duration.ofMinutes(1)));
            assertEquals(-1, stream.read(1_000_000, new byte[100], 0, 100, Duration.ofMinutes(1)));
            assertThrows(IllegalArgumentException.class, () -> stream.read(-1, new byte[1], 0, 1, Duration.ZERO));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> stream.read(0, new byte[10], 5, 10, Duration.ZERO));
        }
    }

    @Test
    void aFileNumberOutOfRangeIsRefused() {
        Made made = torrent(100_000);
        TorrentHandle got = leech(made, false);
        assertThrows(InvalidCommandException.class, () -> open(made, 2, got), "two files: 0 and 1 (pad not counted)");
        assertThrows(InvalidCommandException.class, () -> open(made, -1, got));
        assertEquals("set/a.txt", open(made, 0, got).path());
    }
}
