package dev.jtorr.domain.piece;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PieceLayoutTest {
    // files: a=10 bytes, empty=0, b=25 bytes, pad=5, c=3; pieces of 16 bytes
    private final PieceLayout layout = new PieceLayout(new long[] {0, 10, 10, 35, 40}, new long[] {10, 0, 25, 5, 3},
            new boolean[] {false, false, false, true, false}, 16);

    @Test
    void piecesSpanFilesAndSkipEmptyOnes() {
        assertEquals(3, layout.pieceCount());
        assertEquals(List.of(new FileSpan(0, 0, 10, false), new FileSpan(2, 0, 6, false)), layout.spans(0));
        assertEquals(List.of(new FileSpan(2, 6, 16, false)), layout.spans(1));
        assertEquals(List.of(new FileSpan(2, 22, 3, false), new FileSpan(3, 0, 5, true), new FileSpan(4, 0, 3, false)),
                layout.spans(2));
    }

    @Test
    void onlyPadBytesAtAPiecesEndAreNotFetched() {
        // 10 bytes of a, 6 of b
        assertEquals(16, layout.fetchLength(0));
        // pad bytes between two files' bytes are fetched with them
        assertEquals(11, layout.fetchLength(2));
        var tail = new PieceLayout(new long[] {0, 20}, new long[] {20, 12}, new boolean[] {false, true}, 16);
        assertEquals(4, tail.fetchLength(1), "a's last 4 bytes; its 12 pad bytes not");
        var padOnly = new PieceLayout(new long[] {0, 16}, new long[] {16, 16}, new boolean[] {false, true}, 16);
        assertEquals(1, padOnly.fetchLength(1), "a piece of pad bytes alone still asks for its first block");
    }

    @Test
    void aPaddedTailLetsPeersAskForAWholeLastPiece() {
        assertEquals(43 - 32, layout.requestableSize(2));
        var padded = new PieceLayout(new long[] {0}, new long[] {40}, new boolean[1], 16, true);
        assertEquals(8, padded.pieceSize(2));
        assertEquals(16, padded.requestableSize(2));
    }

    @Test
    void theLastPieceIsShort() {
        assertEquals(16, layout.pieceSize(1));
        assertEquals(43 - 32, layout.pieceSize(2));
        assertThrows(IndexOutOfBoundsException.class, () -> layout.spans(3));
    }
}
