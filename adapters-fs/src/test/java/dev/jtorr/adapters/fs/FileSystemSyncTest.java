package dev.jtorr.adapters.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemSyncTest {
    @TempDir
    Path dir;

    /** The tests run with {@code --enable-native-access}, as jtorr's jar does. */
    @Test
    void syncsAFileSystemOnJdk22AndLaterOnLinux() {
        boolean expected = Runtime.version().feature() >= 22 && System.getProperty("os.name").startsWith("Linux");
        assertEquals(expected, FileSystemSync.available());
        assertEquals(expected, FileSystemSync.sync(dir));
        assertFalse(FileSystemSync.sync(dir.resolve("missing")), "a path that cannot be opened: false, no exception");
    }
}
