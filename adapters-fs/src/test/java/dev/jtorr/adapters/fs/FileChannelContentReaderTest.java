package dev.jtorr.adapters.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.port.out.ContentFile;
import dev.jtorr.application.port.out.ContentReader;
import dev.jtorr.application.testing.ContentReaderContract;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChannelContentReaderTest extends ContentReaderContract {
    private static final int SIXTY_FOUR_KIB = 64 * 1024;
    @TempDir
    Path dir;
    private final FileChannelContentReader reader = new FileChannelContentReader();

    @Override
    protected Path prepare(Map<String, byte[]> files) throws Exception {
        for (var e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        return dir.resolve("root");
    }

    @Override
    protected ContentReader reader() {
        return reader;
    }

    @Override
    protected Path missing() {
        return dir.resolve("nothing-here");
    }

    private static String message(Runnable r) {
        return assertThrows(ContentException.class, r::run).getMessage();
    }

    @Test
    void aLongReadGetsEveryByteFromAnOddOffset() throws Exception {
        byte[] data = new byte[3 * SIXTY_FOUR_KIB + 12_345];
        new java.util.Random(5).nextBytes(data);
        Path f = Files.write(dir.resolve("big.bin"), data);
        try (var source = reader.open(f, reader.list(f))) {
            var buffer = ByteBuffer.allocate(2 * SIXTY_FOUR_KIB + 999);
            source.read(0, 7_777, buffer);
            assertEquals(buffer.limit(), buffer.position(), "the target is filled");
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 7_777, 7_777 + buffer.capacity()), buffer.array());
        }
    }

    @Test
    void aFileThatShrankAfterItWasListedIsAClearError() throws Exception {
        Path f = Files.write(dir.resolve("shrinks.bin"), new byte[2 * SIXTY_FOUR_KIB]);
        var listed = reader.list(f);
        try (var source = reader.open(f, listed)) {
            Files.write(f, new byte[SIXTY_FOUR_KIB + 10]);
            var buffer = ByteBuffer.allocate(2 * SIXTY_FOUR_KIB);
            assertTrue(message(() -> source.read(0, 0, buffer)).contains("shorter than when it was listed"));
        }
    }

    @Test
    void aSingleFileIsListedUnderItsOwnName() throws Exception {
        Path f = Files.write(dir.resolve("movie.mkv"), new byte[123]);
        assertEquals(List.of(new ContentFile(List.of("movie.mkv"), 123, false)), reader.list(f));
    }

    @Test
    void anEmptyFolderSaysSo() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty/sub"));
        assertTrue(message(() -> reader.list(empty.getParent())).contains("holds no files"));
    }

    @Test
    void followsLinksToFilesButNotToFolders() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.write(dir.resolve("outside.bin"), new byte[10]);
        Files.createSymbolicLink(root.resolve("link.bin"), outside);
        Files.createSymbolicLink(root.resolve("loop"), root);
        Files.write(root.resolve("real"), new byte[1]);
        assertEquals(List.of(List.of("root", "link.bin"), List.of("root", "real")),
                reader.list(root).stream().map(ContentFile::relativePath).toList());
    }

    @Test
    void aBrokenLinkOrASpecialFileIsAClearError() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("gone"));
        assertTrue(message(() -> reader.list(root)).contains("broken symbolic link"));
        Files.delete(root.resolve("dangling"));
        Path fifo = root.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertTrue(message(() -> reader.list(root)).contains("not a regular file"));
    }

    @Test
    void aFileThatShrinksWhileReadingIsAnError() throws Exception {
        Path f = Files.write(dir.resolve("shrinks"), new byte[1000]);
        List<ContentFile> listed = reader.list(f);
        Files.write(f, new byte[10]);
        try (var source = reader.open(f, listed)) {
            assertTrue(message(() -> source.read(0, 0, ByteBuffer.allocate(1000))).contains("shorter than"));
        }
    }
}
