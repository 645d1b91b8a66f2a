package dev.jtorr.application.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.RecordingProgressListener;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.piece.Sha;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CreateTorrentServiceTest {
    private static final long L = 16 * 1024;
    private final InMemoryContentReader content = new InMemoryContentReader();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final FakeTimeSource clock = new FakeTimeSource(Instant.parse("2026-01-02T03:04:05.678Z"),
            Duration.ofMillis(100));
    private final RecordingProgressListener progress = new RecordingProgressListener();

    private static byte[] random(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    CreateTorrentServiceTest() {
        content.put("album/b/second.bin", random(50_000, 2))
                .put("album/a.bin", random(3 * (int) L + 1, 1))
                .put("album/empty.txt", new byte[0])
                .put("album/c.bin", random(1000, 3))
                .put("single.iso", random(100_000, 4));
    }

    private CreateTorrentService service(int threads) {
        return new CreateTorrentService(content, store, clock, progress, Path.of("torrents"), threads, "jtorr test");
    }

    private static CreateTorrentCommand command(String path, TorrentVersion v, boolean date) {
        return new CreateTorrentCommand(Path.of(path), Optional.empty(), Optional.of(L), v,
                List.of(List.of("http://127.0.0.1:6969/announce"), List.of("udp://127.0.0.1:6969")),
                List.of("http://127.0.0.1:8000/files/"), true, Optional.of("a comment"), Optional.of("src"), date,
                true);
    }

    @Test
    void v1PiecesAreTheSha1OfTheConcatenatedFilesInSortedOrder() {
        Metainfo m = service(3).create(command("album", TorrentVersion.V1, false)).metainfo();
        assertEquals(List.of("album/a.bin", "album/b/second.bin", "album/c.bin", "album/empty.txt"),
                m.info().userFiles().stream().map(FileEntry::pathString).toList());
        var all = new ByteArrayOutputStream();
        for (FileEntry f : m.info().userFiles()) {
            all.writeBytes(bytesOf(f));
        }
        byte[] stream = all.toByteArray();
        byte[] pieces = m.info().pieces();
        MessageDigest sha1 = Sha.sha1();
        for (int p = 0; p * L < stream.length; p++) {
            int from = (int) (p * L);
            byte[] expected = sha1.digest(Arrays.copyOfRange(stream, from, (int) Math.min(stream.length, from + L)));
            assertArrayEquals(expected, Arrays.copyOfRange(pieces, p * 20, p * 20 + 20), "piece " + p);
        }
    }

    private byte[] bytesOf(FileEntry f) {
        var listed = content.list(Path.of(f.pathString()));
        var buf = java.nio.ByteBuffer.allocate((int) f.length());
        try (var source = content.open(Path.of(f.pathString()), listed)) {
            source.read(0, 0, buf);
        }
        return buf.array();
    }

    @ParameterizedTest
    @EnumSource(TorrentVersion.class)
    void theNumberOfThreadsDoesNotChangeTheBytes(TorrentVersion v) {
        service(1).create(command("album", v, false));
        byte[] one = store.get(Path.of("torrents/album.torrent"));
        service(4).create(command("album", v, false));
        assertArrayEquals(one, store.get(Path.of("torrents/album.torrent")));
    }

    @Test
    void carriesEveryOptionAndTheDateFromTheClock() {
        Metainfo m = service(2).create(command("album", TorrentVersion.HYBRID, true)).metainfo();
        assertEquals(TorrentVersion.HYBRID, m.info().version());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), m.creationDate().orElseThrow());
        assertEquals(List.of(List.of("http://127.0.0.1:6969/announce"), List.of("udp://127.0.0.1:6969")),
                m.trackers());
        assertEquals(List.of("http://127.0.0.1:8000/files/"), m.webSeeds());
        assertTrue(m.info().isPrivate());
        assertEquals("src", m.info().source().orElseThrow());
        assertEquals("a comment", m.comment().orElseThrow());
        assertEquals("jtorr test", m.createdBy().orElseThrow());
        assertFalse(service(2).create(command("album", TorrentVersion.HYBRID, false)).metainfo()
                .creationDate().isPresent());
    }

    @Test
    void aSingleFileIsASingleFileTorrentWrittenToTheTorrentsFolder() {
        var created = service(2).create(command("single.iso", TorrentVersion.V2, false));
        assertEquals(Path.of("torrents/single.iso.torrent"), created.file());
        assertTrue(created.metainfo().info().singleFile());
        assertEquals(7, created.metainfo().info().pieceCount());
    }

    @Test
    void reportsProgressUpToTheTotal() {
        service(2).create(command("album", TorrentVersion.HYBRID, false));
        long[] last = progress.hashing.get(progress.hashing.size() - 1);
        assertEquals(last[1], last[0]);
        for (int i = 1; i < progress.hashing.size(); i++) {
            assertTrue(progress.hashing.get(i)[0] >= progress.hashing.get(i - 1)[0]);
        }
    }

    @Test
    void aReadFailureStopsTheWorkAndReachesTheCaller() {
        var failure = new ContentException("disk on fire");
        content.failReadsWith(failure);
        var e = assertThrows(ContentException.class, () -> service(2).create(command("album", TorrentVersion.V1, false)));
        assertSame(failure, e);
    }

    @Test
    void refusesToReplaceAnExistingTorrentUnlessAsked() {
        var keep = new CreateTorrentCommand(Path.of("album"), Optional.empty(), Optional.empty(), TorrentVersion.V2,
                List.of(), List.of(), false, Optional.empty(), Optional.empty(), false, false);
        service(1).create(keep);
        content.failReadsWith(new IllegalStateException("content must not be read before the output is checked"));
        var e = assertThrows(ContentException.class, () -> service(1).create(keep));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void commandsCheckTheirArguments() {
        assertThrows(InvalidCommandException.class, () -> new CreateTorrentCommand(Path.of("x"), Optional.empty(),
                Optional.of(20_000L), TorrentVersion.V1, List.of(), List.of(), false, Optional.empty(),
                Optional.empty(), false, false));
        assertThrows(InvalidCommandException.class, () -> new CreateTorrentCommand(Path.of("x"), Optional.empty(),
                Optional.empty(), TorrentVersion.V1, List.of(List.of("ftp://nope")), List.of(), false,
                Optional.empty(), Optional.empty(), false, false));
    }
}
