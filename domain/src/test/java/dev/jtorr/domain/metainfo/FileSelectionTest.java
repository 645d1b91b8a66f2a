package dev.jtorr.domain.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.piece.Bitfield;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileSelectionTest {
    private static final int PIECE = 16 * 1024;

    /** v1: files a 20 KiB, b 30 KiB, c 10 KiB, d 40 KiB in one stream of 16 KiB pieces (no pad files). */
    private static InfoDictionary v1() {
        return MetainfoParser.parse(TestTorrents.create("set", TestTorrents.content("a", 20 * 1024, "b", 30 * 1024,
                "c", 10 * 1024, "d", 40 * 1024), PIECE, TorrentVersion.V1, false)).info();
    }

    @Test
    void numbersAndRangesParse() {
        assertEquals(List.of(1, 3, 4, 5), FileSelection.parse("1,3-5"));
        assertEquals(List.of(2, 7), FileSelection.parse(" 7 , 2 "));
        assertEquals(List.of(4), FileSelection.parse("4-4"));
        for (String bad : new String[] {"", "0", "a", "3-1", "1,,2", "-2", "1-", "2-x", "1.5"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> FileSelection.parse(bad), bad);
            assertTrue(e.getMessage().contains("expected e.g. 1,3-5"), e.getMessage());
        }
    }

    @Test
    void theWantedPiecesAreThoseWithAByteInAWantedFile() {
        InfoDictionary info = v1();
        // stream: a [0,20K) b [20K,50K) c [50K,60K) d [60K,100K); pieces of 16K: 0..6
        var onlyC = FileSelection.of(info, List.of(3));
        assertEquals(bits(7, 3), onlyC.wantedPieces(info.pieceLayout()));
        var aAndD = FileSelection.of(info, List.of(1, 4));
        assertEquals(bits(7, 0, 1, 3, 4, 5, 6), aAndD.wantedPieces(info.pieceLayout()));
        assertFalse(aAndD.isWanted(1));
        assertTrue(aAndD.isWanted(3));
    }

    @Test
    void aPieceTakesTheHighestPriorityOfTheWantedFilesItHoldsAndPrioritiesLeaveTheKeyAlone() {
        InfoDictionary info = v1();
        // stream: a [0,20K) b [20K,50K) c [50K,60K) d [60K,100K); pieces of 16K: 0..6
        var chosen = FileSelection.of(info, List.of(1, 2, 4));
        var levels = chosen.withPriorities(info, java.util.Map.of(1, FilePriority.HIGH, 4, FilePriority.LOW));
        var layout = info.pieceLayout();
        // piece 1 holds a (high) and b (normal): high; piece 3 holds b (normal), c (not wanted) and d (low): normal
        assertEquals(bits(7, 0, 1), levels.piecesAt(layout, FilePriority.HIGH));
        assertEquals(bits(7, 2, 3), levels.piecesAt(layout, FilePriority.NORMAL));
        assertEquals(bits(7, 4, 5, 6), levels.piecesAt(layout, FilePriority.LOW));
        assertEquals(chosen.key(), levels.key(), "the resume record stays valid: the same files are wanted");
        assertTrue(levels.hasPriorities());
        assertFalse(chosen.withPriorities(info, java.util.Map.of(2, FilePriority.NORMAL)).hasPriorities());
        assertThrows(IllegalArgumentException.class,
                () -> chosen.withPriorities(info, java.util.Map.of(5, FilePriority.HIGH)));
    }

    @Test
    void everyFileIsAllAndAnUnknownNumberIsRefused() {
        InfoDictionary info = v1();
        assertTrue(FileSelection.of(info, List.of(4, 3, 2, 1)).isAll());
        assertEquals(Bitfield.full(7), FileSelection.all().wantedPieces(info.pieceLayout()));
        var e = assertThrows(IllegalArgumentException.class, () -> FileSelection.of(info, List.of(2, 5)));
        assertEquals("there is no file 5: the torrent has 4 files (numbered as jtorr info lists them)",
                e.getMessage());
    }

    @Test
    void padFilesAreNotNumbered() {
        InfoDictionary info = MetainfoParser.parse(TestTorrents.create("set", TestTorrents.content("a", 20 * 1024,
                "b", 30 * 1024, "c", 10 * 1024), PIECE, TorrentVersion.HYBRID, false)).info();
        assertTrue(info.files().size() > 3, "a hybrid torrent pads its files");
        var onlyB = FileSelection.of(info, List.of(2));
        for (int i = 0; i < info.files().size(); i++) {
            assertEquals(info.files().get(i).path().getLast().equals("b"), onlyB.isWanted(i), "entry " + i);
        }
        // hybrid: every file starts on a piece; b is pieces 2 and 3
        var wanted = onlyB.wantedPieces(info.pieceLayout());
        assertEquals(bits(wanted.size(), 2, 3), wanted);
        assertEquals(onlyB, FileSelection.of(info, List.of(2)));
        assertEquals("all", FileSelection.all().key());
    }

    @Test
    void magnetSelectOnlyIndicesCountPadFilesAsLibtorrentDoes() {
        assertEquals(List.of(1, 3, 4), FileSelection.numbersOfIndices(v1(), List.of("0", "2-3")));
        InfoDictionary hybrid = MetainfoParser.parse(TestTorrents.create("set", TestTorrents.content("a", 20 * 1024,
                "b", 30 * 1024, "c", 10 * 1024), PIECE, TorrentVersion.HYBRID, false)).info();
        // entries: a, pad, b, pad, c
        assertEquals(List.of(2), FileSelection.numbersOfIndices(hybrid, List.of("2")));
        assertEquals(List.of(), FileSelection.numbersOfIndices(hybrid, List.of("1")), "a pad file is left out");
        assertEquals(List.of(1, 2, 3), FileSelection.numbersOfIndices(hybrid, List.of("0-4")));
        var e = assertThrows(IllegalArgumentException.class, () -> FileSelection.numbersOfIndices(v1(),
                List.of("1-4")));
        assertTrue(e.getMessage().contains("no file index 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FileSelection.numbersOfIndices(v1(),
                List.of("99999999999999999999")));
    }

    private static Bitfield bits(int size, int... set) {
        var b = new Bitfield(size);
        for (int i : set) {
            b.set(i);
        }
        return b;
    }
}
