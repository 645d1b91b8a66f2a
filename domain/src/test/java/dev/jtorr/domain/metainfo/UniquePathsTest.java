package dev.jtorr.domain.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UniquePathsTest {
    /** Files given as "path" or "path:p" (a pad file); all 10 bytes long unless "path:p:N". */
    private static List<String> unique(String... specs) {
        var files = new ArrayList<FileEntry>();
        long offset = 0;
        for (String spec : specs) {
            String[] parts = spec.split(":");
            List<String> path = Arrays.asList(parts[0].split("/"));
            long length = parts.length > 2 ? Long.parseLong(parts[2]) : 10;
            files.add(new FileEntry(path, path, length, offset, parts.length > 1 ? parts[1] : "", Optional.empty()));
            offset += length;
        }
        return UniquePaths.of(files).stream().map(FileEntry::pathString).toList();
    }

    @Test
    void theSecondOfTwoFilesOnOnePathIsNumberedBeforeItsExtension() {
        assertEquals(List.of("t/d/x.bin", "t/d/x.1.bin"), unique("t/d/x.bin", "t/d/x.bin"));
        assertEquals(List.of("t/d/x.bin", "t/d/x.1.bin", "t/d/x.2.bin"), unique("t/d/x.bin", "t/d/x.bin", "t/d/x.bin"));
        assertEquals(List.of("t/x.tar.gz", "t/x.tar.1.gz"), unique("t/x.tar.gz", "t/x.tar.gz"));
        assertEquals(List.of("t/README", "t/README.1"), unique("t/README", "t/README"));
        assertEquals(List.of("t/.hidden", "t/.1.hidden"), unique("t/.hidden", "t/.hidden"));
    }

    @Test
    void aFileOnAnotherFilesFolderIsRenamedWhicheverComesFirst() {
        assertEquals(List.of("t/e/a.1", "t/e/a/b"), unique("t/e/a", "t/e/a/b"));
        assertEquals(List.of("t/e/a/b", "t/e/a.1"), unique("t/e/a/b", "t/e/a"));
    }

    @Test
    void aFolderSeenUnderAnEarlierParentStillCountsWhenItsFilesAreNotTogether() {
        assertEquals(List.of("t/d/e/x", "t/d/y", "t/d/e/z", "t/d/e.1", "t/f.1", "t/f/g"),
                unique("t/d/e/x", "t/d/y", "t/d/e/z", "t/d/e", "t/f", "t/f/g"));
        assertEquals(List.of("t/a/b/c/x", "t/a/b.1", "t/a/b/c.1"), unique("t/a/b/c/x", "t/a/b", "t/a/b/c"));
    }

    @Test
    void anInfoDictionaryRefusesTwoFilesOnOnePathOrAFileOnAFolder() {
        assertThrows(IllegalArgumentException.class, () -> info("t/d/e/x", "t/d/y", "t/d/e"));
        assertThrows(IllegalArgumentException.class, () -> info("t/d/x", "t/e/y", "t/d/x"));
        assertEquals(3, info("t/d/e/x", "t/d/y", "t/d/e.1").files().size());
    }

    private static InfoDictionary info(String... paths) {
        var files = new ArrayList<FileEntry>();
        for (int i = 0; i < paths.length; i++) {
            List<String> path = Arrays.asList(paths[i].split("/"));
            files.add(new FileEntry(path, path, 10, 10L * i, "", Optional.empty()));
        }
        return new InfoDictionary("t", 16384, TorrentVersion.V1, false, Optional.empty(), false, files,
                new byte[20 * (int) Math.ceilDiv(10L * paths.length, 16384)]);
    }

    @Test
    void pathsDifferingOnlyInAsciiCaseCollide() {
        assertEquals(List.of("t/X.bin", "t/x.1.bin"), unique("t/X.bin", "t/x.bin"));
        assertEquals(List.of("t/É", "t/é"), unique("t/É", "t/é"), "only ASCII letters are folded");
    }

    @Test
    void aNewNameThatIsTakenTooCountsOn() {
        assertEquals(List.of("t/x.1.bin", "t/x.bin", "t/x.2.bin"), unique("t/x.1.bin", "t/x.bin", "t/x.bin"));
        assertEquals(List.of("t/a.2", "t/a/b", "t/a.1/c"), unique("t/a", "t/a/b", "t/a.1/c"), "a.1 is a folder");
    }

    @Test
    void padFilesOfOneSizeMayShareAPath() {
        assertEquals(List.of("t/a", "t/.pad/5", "t/b", "t/.pad/5"), unique("t/a", "t/.pad/5:p:5", "t/b", "t/.pad/5:p:5"));
    }
}
