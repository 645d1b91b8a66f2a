package dev.jtorr.adapters.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.ContentException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMetainfoStoreTest {
    @TempDir
    Path dir;
    private final FileMetainfoStore store = new FileMetainfoStore();

    @Test
    void writesIntoNewFoldersAndLeavesNoTemporaryFiles() throws Exception {
        Path target = dir.resolve("torrents/deep/x.torrent");
        store.write(target, new byte[] {1, 2, 3}, false);
        assertArrayEquals(new byte[] {1, 2, 3}, store.read(target, 100));
        try (var listing = Files.list(target.getParent())) {
            assertEquals(1, listing.count());
        }
    }

    @Test
    void refusesToReplaceUnlessAsked() throws Exception {
        Path target = dir.resolve("x.torrent");
        store.write(target, new byte[] {1}, false);
        var e = assertThrows(ContentException.class, () -> store.write(target, new byte[] {2}, false));
        assertTrue(e.getMessage().contains("already exists"));
        store.write(target, new byte[] {2}, true);
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(target));
    }

    @Test
    void readingChecksSizeAndKind() throws Exception {
        Path big = Files.write(dir.resolve("big.torrent"), new byte[101]);
        assertTrue(assertThrows(ContentException.class, () -> store.read(big, 100)).getMessage().contains("too large"));
        assertTrue(assertThrows(ContentException.class, () -> store.read(dir, 100)).getMessage().contains("folder"));
        assertTrue(assertThrows(ContentException.class, () -> store.read(dir.resolve("none"), 100)).getMessage()
                .contains("no such file"));
    }

    @Test
    void aWriteIntoAnUnwritablePlaceIsAContentError() throws Exception {
        Path file = Files.write(dir.resolve("plain"), new byte[0]);
        // a regular file where a folder should be: fails for root too
        assertThrows(ContentException.class, () -> store.write(file.resolve("x.torrent"), new byte[1], false));
    }
}
