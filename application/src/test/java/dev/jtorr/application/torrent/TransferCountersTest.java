package dev.jtorr.application.torrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtorr.domain.metainfo.FileSelection;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.PieceLayout;
import dev.jtorr.domain.swarm.TransferStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Verified and total bytes count the user's files only: the last short piece as it is, pad bytes not at all. */
class TransferCountersTest {
    private static long verified(TransferCounters c) {
        return c.status(TransferStatus.Phase.DOWNLOADING, Instant.EPOCH, 0, 0, 0, 0).verifiedBytes();
    }

    @Test
    void withoutPadFilesEveryByteOfEveryPieceCountsTheLastOneShort() {
        var layout = new PieceLayout(new long[] {0, 100}, new long[] {100, 150}, new boolean[2], 64);
        var have = new Bitfield(layout.pieceCount());
        have.set(0);
        var counters = new TransferCounters(layout, have, FileSelection.all());
        assertEquals(64, verified(counters));
        assertEquals(250 - 64, counters.left());
        counters.verified(3); // bytes 192-249: 58
        assertEquals(64 + 58, verified(counters));
    }

    @Test
    void padBytesCountNeitherAsVerifiedNorAsLeft() {
        // a 100-byte file, 28 pad bytes up to the 128-byte piece boundary, then a 50-byte file
        var layout = new PieceLayout(new long[] {0, 100, 128}, new long[] {100, 28, 50},
                new boolean[] {false, true, false}, 64);
        var counters = new TransferCounters(layout, new Bitfield(layout.pieceCount()), FileSelection.all());
        assertEquals(150, counters.left());
        counters.verified(1); // bytes 64-127: 36 of the first file, 28 pad bytes
        assertEquals(36, verified(counters));
        counters.recount(Bitfield.full(layout.pieceCount()));
        assertEquals(0, counters.left());
    }
}
