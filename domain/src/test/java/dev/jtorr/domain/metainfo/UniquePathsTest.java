package dev.jtorr.domain.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
