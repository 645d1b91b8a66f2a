package dev.jtorr.application.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.port.out.ContentFile;
import dev.jtorr.application.port.out.ContentReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link ContentReader} must do. Subclasses say how to lay content out for their implementation. */
public abstract class ContentReaderContract {
    /** Makes the files (paths with '/' under a root named "root") and returns the root's path. */
    protected abstract Path prepare(Map<String, byte[]> files) throws Exception;

    protected abstract ContentReader reader();

    /** Where a path that does not exist would be. */
    protected abstract Path missing();

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void listsFilesInFileTreeOrderWithTheirSizes() throws Exception {
        var files = new LinkedHashMap<String, byte[]>();
        files.put("root/b.txt", bytes(5, 1));
        files.put("root/a b/x", bytes(3, 2));
        files.put("root/a/z", bytes(0, 3));
        files.put("root/a/y", bytes(7, 4));
        files.put("root/B", bytes(1, 5));
        Path root = prepare(files);
        List<ContentFile> listed = reader().list(root);
        assertEquals(List.of(List.of("root", "B"), List.of("root", "a", "y"), List.of("root", "a", "z"),
                List.of("root", "a b", "x"), List.of("root", "b.txt")),
                listed.stream().map(ContentFile::relativePath).toList());
        assertEquals(List.of(1L, 7L, 0L, 3L, 5L), listed.stream().map(ContentFile::length).toList());
    }

    @Test
    void readsAnyRangeOfAnyFile() throws Exception {
        byte[] data = bytes(100_000, 9);
        Path root = prepare(Map.of("root/data.bin", data, "root/other", bytes(10, 1)));
        List<ContentFile> listed = reader().list(root);
        try (var source = reader().open(root, listed)) {
            var buffer = ByteBuffer.allocate(30_000);
            source.read(0, 12_345, buffer);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 12_345, 42_345), buffer.array());
        }
    }

    @Test
    void aMissingRootIsAContentError() {
        assertThrows(ContentException.class, () -> reader().list(missing()));
    }
}
