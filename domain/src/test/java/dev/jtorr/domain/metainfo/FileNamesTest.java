package dev.jtorr.domain.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** libtorrent's rules on Linux (the interoperability tests check the same names against libtorrent itself). */
class FileNamesTest {
    private static Optional<String> element(String s) {
        return FileNames.element(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "/", "\\", "//..", "\u202e", "\u200e\u200f"})
    void elementsThatMeanNothingOrClimbOutAreDropped(String element) {
        assertEquals(Optional.empty(), element(element));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
        "plain.txt#plain.txt",
        "a/b#ab",
        "a\\b#ab",
        "...#...",
        ".hidden#.hidden",
        "Movie: The Sequel?#Movie: The Sequel?",
        "trailing. #trailing. ",
        "CON#CON",
        "ünïcødé ✓#ünïcødé ✓",
        "gpj\u202e.exe#gpj.exe",
        "del\u007f#del\u007f",
    })
    void whatIsHarmlessOnLinuxIsKept(String element, String expected) {
        assertEquals(Optional.of(expected), element(element));
    }

    @Test
    void anEmptyElementBecomesAnUnderscore() {
        assertEquals(Optional.of("_"), element(""));
    }

    @Test
    void controlCharactersAndInvalidUtf8BecomeUnderscores() {
        assertEquals(Optional.of("nulbyte"), element("nul\u0000byte"), "NUL is left out, as libtorrent does");
        assertEquals(Optional.of("bell_"), element("bell\u0007"));
        // "café" in ISO-8859-1: 0xe9 announces a 3-byte sequence, which (invalid) swallows ".t", as in libtorrent
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'};
        assertEquals(Optional.of("caf_xt"), FileNames.element(latin1));
        byte[] overlong = {'a', (byte) 0xc0, (byte) 0xaf, 'b'}; // an overlong "/"
        assertEquals(Optional.of("a_b"), FileNames.element(overlong));
        byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};
        assertEquals(Optional.of("_"), FileNames.element(surrogate));
        byte[] cutShort = {'x', (byte) 0xe2, (byte) 0x82};
        assertEquals(Optional.of("x_"), FileNames.element(cutShort));
    }

    @Test
    void aLongElementIsCutAfter240BytesKeepingItsExtension() {
        String cut = element("x".repeat(300) + ".mkv").orElseThrow();
        assertEquals("x".repeat(240) + ".mkv", cut);
        assertEquals("y".repeat(240), element("y".repeat(300)).orElseThrow(), "no extension: cut");
        assertEquals("z".repeat(240), element("z".repeat(290) + ".verylongext").orElseThrow(),
                "a dot further than 9 bytes from the end is no extension");
        String wide = element("é".repeat(200) + ".txt").orElseThrow(); // 2 bytes each
        assertEquals("é".repeat(120) + ".txt", wide);
    }

    @Test
    void invalidSequencesPastTheCutStillLeaveAtMost255Bytes() {
        byte[] raw = new byte[400];
        java.util.Arrays.fill(raw, 0, 239, (byte) 'a');
        java.util.Arrays.fill(raw, 239, 399, (byte) 0xff); // each an invalid sequence: '_', which libtorrent never cuts
        raw[399] = 'z';
        byte[] out = FileNames.element(raw).orElseThrow().getBytes(StandardCharsets.UTF_8);
        assertEquals(255, out.length);
    }

    @Test
    void aPathKeepsWhatSurvivesAndIsNeverEmpty() {
        assertEquals(List.of("a", "b"), FileNames.pathOf(List.of("a", ".", "..", "b")));
        assertEquals(List.of("a", "_", "b"), FileNames.pathOf(List.of("a", "", "b")));
        assertEquals(List.of("_"), FileNames.pathOf(List.of("..", ".")));
        assertEquals(List.of("etc", "passwd"), FileNames.pathOf(List.of("..", "..", "etc", "passwd")));
    }

    @Test
    void aNameWithNothingLeftBecomesTheInfoHash() {
        assertEquals("abcd", FileNames.name("..".getBytes(StandardCharsets.UTF_8), () -> "abcd"));
        assertEquals("movie", FileNames.name("movie".getBytes(StandardCharsets.UTF_8), () -> "abcd"));
    }

    /**
     * Random bytes as path elements: no resulting element can climb out, hold a separator, be empty or exceed 255
     * bytes, and every result is valid UTF-8.
     */
    @Test
    void randomElementsNeverEscapeAndStayShort() {
        var random = new SplittableRandom(27);
        for (int round = 0; round < 20_000; round++) {
            byte[] raw = new byte[random.nextInt(0, round % 10 == 0 ? 600 : 12)];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = (byte) (random.nextInt(4) == 0 ? "./\\\0".charAt(random.nextInt(4)) : random.nextInt(256));
            }
            Optional<String> e = FileNames.element(raw);
            if (e.isEmpty()) {
                continue;
            }
            String s = e.get();
            byte[] out = s.getBytes(StandardCharsets.UTF_8);
            assertFalse(s.isEmpty() || s.equals(".") || s.equals(".."), s);
            assertFalse(s.contains("/") || s.contains("\\") || s.contains("\0"), s);
            assertTrue(out.length <= 255, out.length + " bytes");
            assertEquals(s, new String(out, StandardCharsets.UTF_8), "valid UTF-8");
        }
    }

    /** Random files with colliding, odd and case-different names: every file ends up on a path of its own. */
    @Test
    void randomTorrentsGetOnePathPerFileBelowTheirFolder() {
        var random = new SplittableRandom(52);
        String[] pool = {"a", "A", "b", "a.txt", "A.TXT", "a.1.txt", "..", ".", "", "x/y", "c", "d.1", "d"};
        for (int round = 0; round < 2_000; round++) {
            var files = new ArrayList<FileEntry>();
            long offset = 0;
            for (int f = random.nextInt(1, 8); f > 0; f--) {
                var raw = new ArrayList<String>();
                for (int depth = random.nextInt(1, 4); depth > 0; depth--) {
                    raw.add(pool[random.nextInt(pool.length)]);
                }
                var path = new ArrayList<>(List.of("root"));
                path.addAll(FileNames.pathOf(raw));
                files.add(new FileEntry(path, raw, 10, offset, "", Optional.empty()));
                offset += 10;
            }
            List<FileEntry> unique = UniquePaths.of(files);
            var seen = new HashSet<String>();
            for (FileEntry f : unique) {
                assertEquals("root", f.path().get(0));
                assertTrue(seen.add(f.pathString().toLowerCase(java.util.Locale.ROOT)), "twice: " + f.pathString());
            }
            new InfoDictionary("root", 16384, TorrentVersion.V1, false, Optional.empty(), false, unique,
                    new byte[20 * (int) Math.ceilDiv(offset, 16384)]); // no two files on one path or folder
        }
    }
}
