package dev.jtorr.application.torrent;

import dev.jtorr.application.service.CreateTorrentService;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.RecordingProgressListener;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.piece.Bitfield;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checking existing data reads only pieces whose files are on disk: a fresh download reads nothing and reports no
 * hashing (it used to "hash" every missing piece and report gigabytes a second); pieces already there are found.
 */
class ExistingDataCheckTest {
    private static final int PIECE = 64 * 1024;
    private final byte[] data = new byte[8 * PIECE + 1000];
    private final Metainfo metainfo;

    ExistingDataCheckTest() {
        new Random(9).nextBytes(data);
        metainfo = new CreateTorrentService(new InMemoryContentReader().put("d/data.bin", data),
                new InMemoryMetainfoStore(), new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)),
                ProgressListener.NONE, Path.of("torrents"), 1, "test").create(new CreateTorrentCommand(
                Path.of("d/data.bin"), Optional.empty(), Optional.of((long) PIECE), TorrentVersion.V1, List.of(),
                List.of(), false, Optional.empty(), Optional.empty(), false, false)).metainfo();
    }

    @Test
    void aFreshDownloadReadsNothingAndReportsNoHashing() {
        var progress = new RecordingProgressListener();
        try (TorrentStorage storage = new InMemoryPieceStorage().open(metainfo, Path.of("dl", "data.bin"), true)) {
            Bitfield have = new ExistingDataCheck(metainfo, storage, progress, 2).run(true);
            assertEquals(0, have.count());
        }
        assertTrue(progress.hashing.isEmpty(), "no hashing reported for data that is not there");
    }

    @Test
    void piecesOnDiskAreCheckedAndFound() {
        var progress = new RecordingProgressListener();
        var pieces = new InMemoryPieceStorage();
        int count = metainfo.info().pieceCount();
        try (TorrentStorage storage = pieces.open(metainfo, Path.of("dl", "data.bin"), true)) {
            for (int piece : List.of(0, 3, count - 1)) {
                int at = piece * PIECE;
                storage.writePiece(piece, ByteBuffer.wrap(data, at, Math.min(PIECE, data.length - at)));
            }
            Bitfield have = new ExistingDataCheck(metainfo, storage, progress, 2).run(false);
            var found = new java.util.ArrayList<Integer>();
            for (int i = have.nextSet(0); i >= 0; i = have.nextSet(i + 1)) {
                found.add(i);
            }
            assertEquals(List.of(0, 3, count - 1), found);
        }
        long[] last = progress.hashing.get(progress.hashing.size() - 1);
        assertEquals((long) count * PIECE, last[1], "every piece was read: the file is there");
        assertEquals(last[1], last[0]);
    }
}
