package dev.jtorr.adapters.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.port.out.ContentFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadAheadTest {
    @TempDir
    Path dir;

    private List<Path> paths;
    private long[] lengths;
    private List<byte[]> contents;

    /** {@code count} files of the given sizes (cycled), random bytes. */
    private void files(int count, int... sizes) throws Exception {
        var random = new Random(count);
        paths = new ArrayList<>();
        contents = new ArrayList<>();
        lengths = new long[count];
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[sizes[i % sizes.length]];
            random.nextBytes(data);
            paths.add(Files.write(dir.resolve("f" + i), data));
            contents.add(data);
            lengths[i] = data.length;
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void readsEveryByteOfManyFilesInPiecesLikeAHasher() throws Exception {
        files(300, 1, 0, 700, 4096, 5000, 0, 16_384, 3);
        try (var ahead = new ReadAhead(paths, lengths, 8192, 64 * 1024, 3)) {
            for (int i = 0; i < paths.size(); i++) {
                byte[] got = new byte[(int) lengths[i]];
                for (int at = 0; at < got.length; at += 1000) {
                    var target = ByteBuffer.wrap(got, at, Math.min(1000, got.length - at)).slice();
                    if (!ahead.take(i, at, target)) {
                        try (var channel = java.nio.channels.FileChannel.open(paths.get(i))) {
                            PositionalIo.readFully(channel, at, target);
                        }
                    }
                }
                assertArrayEquals(contents.get(i), got, "file " + i);
            }
            assertTrue(ahead.peak() > 0, "nothing was read ahead");
        }
    }

    @Test
    void theContentReaderGivesTheSameBytesWithPaddingBetweenFiles() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        var random = new Random(7);
        for (int i = 0; i < 500; i++) {
            byte[] data = new byte[i % 10 == 0 ? 0 : 1 + random.nextInt(3000)];
            random.nextBytes(data);
            Files.write(Files.createDirectories(root.resolve("d" + i % 7)).resolve("f" + i), data);
        }
        var reader = new FileChannelContentReader();
        List<ContentFile> listed = reader.list(root);
        try (var source = reader.open(root, listed)) {
            for (int i = 0; i < listed.size(); i++) {
                ContentFile f = listed.get(i);
                var target = ByteBuffer.allocate((int) f.length());
                if (f.length() > 0) {
                    source.read(i, 0, target);
                }
                Path p = dir;
                for (String c : f.relativePath()) {
                    p = p.resolve(c);
                }
                assertArrayEquals(Files.readAllBytes(p), target.array(), f.relativePath().toString());
            }
        }
    }

    @Test
    void neverHoldsMoreThanTheCap() throws Exception {
        files(200, 3000, 1000, 4096);
        long cap = 10_000;
        try (var ahead = new ReadAhead(paths, lengths, 4096, cap, 4)) {
            waitFor(() -> ahead.held() > cap - 4096);
            Thread.sleep(50);
            assertTrue(ahead.held() <= cap, "held " + ahead.held());
            for (int i = 0; i < paths.size(); i++) {
                var target = ByteBuffer.allocate((int) lengths[i]);
                if (ahead.take(i, 0, target)) {
                    assertArrayEquals(contents.get(i), target.array());
                }
            }
            assertTrue(ahead.peak() <= cap, "peak " + ahead.peak());
            assertTrue(ahead.peak() > 0, "nothing was read ahead");
        }
    }

    @Test
    void aFileThatCannotBeReadAheadIsReportedForThatFile() throws Exception {
        files(20, 2000);
        Files.delete(paths.get(5));
        Files.write(paths.get(9), new byte[10]);
        try (var ahead = new ReadAhead(paths, lengths, 4096, 1 << 20, 2)) {
            waitFor(() -> ahead.held() == 18L * 2000);
            Thread.sleep(50);
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (int i = 0; i < paths.size(); i++) {
                    var target = ByteBuffer.allocate(2000);
                    int file = i;
                    if (i == 5 || i == 9) {
                        var e = assertThrows(ContentException.class, () -> ahead.take(file, 0, target));
                        assertTrue(e.getMessage().contains(paths.get(i).toString()), e.getMessage());
                        assertTrue(e.getMessage().contains(i == 5 ? "no such file" : "shorter than"),
                                e.getMessage());
                    } else {
                        assertTrue(ahead.take(i, 0, target), "file " + i + " was not read ahead");
                        assertArrayEquals(contents.get(i), target.array());
                    }
                }
            });
            assertEquals(0, ahead.held());
        }
    }

    @Test
    void closingEarlyLetsEverythingGoAndStopsTheThreads() throws Exception {
        files(500, 1500);
        var ahead = new ReadAhead(paths, lengths, 4096, 64 * 1024, 4);
        waitFor(() -> ahead.held() > 0);
        var target = ByteBuffer.allocate(1500);
        ahead.take(0, 0, target);
        assertTimeoutPreemptively(Duration.ofSeconds(5), ahead::close);
        assertEquals(0, ahead.held());
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("jtorr-read-ahead-") && t.isAlive()));
        assertFalse(ahead.take(1, 0, ByteBuffer.allocate(1500)), "a closed read-ahead hands nothing out");
    }

    @Test
    void aFileTheCallerStartedFirstIsLeftToTheCaller() throws Exception {
        files(3, 100);
        var ahead = new ReadAhead(paths, lengths, 100, 150, 1);
        try (ahead) {
            // held bytes are reserved before a file is marked as read ahead: wait for the mark itself
            waitFor(() -> ahead.isReadAhead(0));
            assertFalse(ahead.take(1, 0, ByteBuffer.allocate(100)), "file 1 waits behind the cap: the caller reads");
            assertTrue(ahead.take(0, 0, ByteBuffer.allocate(100)));
            waitFor(() -> ahead.isReadAhead(2));
            assertTrue(ahead.take(2, 0, ByteBuffer.allocate(100)), "file 1 was skipped, file 2 read ahead");
        }
        assertEquals(0, ahead.held());
    }
}
