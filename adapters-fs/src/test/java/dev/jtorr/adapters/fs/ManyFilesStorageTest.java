package dev.jtorr.adapters.fs;

import static dev.jtorr.adapters.fs.FileChannelPieceStorageTest.stream;
import static dev.jtorr.adapters.fs.FileChannelPieceStorageTest.torrent;
import static dev.jtorr.adapters.fs.FileChannelPieceStorageTest.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.piece.Bitfield;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Torrents of many small files: a bounded number of open files, and durability grouped per resume record. */
class ManyFilesStorageTest {
    private static final int PIECE = 16 * 1024;

    @TempDir
    Path dir;

    private final Map<String, byte[]> files = files(120);
    private final Metainfo metainfo = torrent(files, TorrentVersion.V1, PIECE);
    private final byte[] stream = stream(metainfo, files);
    private final int pieces = metainfo.info().pieceLayout().pieceCount();

    /** {@code count} files of 0 to 9 KiB in 12 folders, so that most pieces span several files. */
    private static Map<String, byte[]> files(int count) {
        var random = new Random(11);
        var out = new LinkedHashMap<String, byte[]>();
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[i % 10 == 3 ? 0 : random.nextInt(9 * 1024 + 1)];
            random.nextBytes(data);
            out.put("root/d" + (i % 12) + "/f" + i + ".bin", data);
        }
        return out;
    }

    private Path root() {
        return dir.resolve("download").resolve("root");
    }

    private void assertFilesAreTheOriginals() throws Exception {
        for (var e : files.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve("download").resolve(e.getKey())),
                    e.getKey());
        }
    }

    private List<Integer> shuffledPieces() {
        var order = new ArrayList<Integer>();
        for (int i = 0; i < pieces; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(5));
        return order;
    }

    @Test
    void neverHoldsMoreFilesOpenThanThePoolAllowsAndOpensEachWrittenFileOnce() throws Exception {
        var pool = new FilePool(8);
        var storage = new FileChannelPieceStorage(FileTorrentStorage.FLUSH_EVERY_BYTES,
                FileTorrentStorage.Flush.DATA, DirectWrites.Opener.OFF, pool);
        try (TorrentStorage t = storage.open(metainfo, root(), true)) {
            for (int piece = 0; piece < pieces; piece++) {
                write(t, metainfo, stream, piece);
                assertTrue(pool.size() <= 8, "open after piece " + piece + ": " + pool.size());
            }
            assertEquals(files.values().stream().filter(b -> b.length > 0).count(), pool.opened(),
                    "in order, every file with bytes is opened once while it is written");
            for (int piece : shuffledPieces()) { // serving uploads in any order
                ByteBuffer block = t.readBlock(piece, 0, metainfo.info().pieceLayout().pieceSize(piece));
                byte[] got = new byte[block.remaining()];
                block.get(got);
                assertArrayEquals(Arrays.copyOfRange(stream, piece * PIECE, piece * PIECE + got.length), got);
                assertTrue(pool.size() <= 8);
            }
            t.finish();
        }
        assertEquals(0, pool.size(), "closing the torrent closes its files");
        assertFilesAreTheOriginals();
    }

    @Test
    void twoTorrentsShareOnePoolAndClosingOneLeavesTheOthersFilesOpen() throws Exception {
        var pool = new FilePool(64);
        var storage = new FileChannelPieceStorage(FileTorrentStorage.FLUSH_EVERY_BYTES,
                FileTorrentStorage.Flush.DATA, DirectWrites.Opener.OFF, pool);
        Metainfo other = torrent(files(30), TorrentVersion.V1, PIECE);
        try (TorrentStorage a = storage.open(metainfo, root(), true)) {
            write(a, metainfo, stream, 0);
            int openOfA = pool.size();
            assertTrue(openOfA > 0);
            try (TorrentStorage b = storage.open(other, dir.resolve("other").resolve("root"), true)) {
                write(b, other, stream(other, files(30)), 0);
                assertTrue(pool.size() > openOfA);
            }
            assertEquals(openOfA, pool.size());
        }
        assertEquals(0, pool.size());
    }

    /**
     * A power cut in the middle of a download, right after a resume record was saved: every piece the record vouches
     * for is intact afterwards, although the disk loses every byte not synced and keeps the files' sizes and times.
     */
    @ParameterizedTest(name = "file system sync available: {0}")
    @ValueSource(booleans = {true, false})
    void noPieceIsRecordedBeforeItsBytesAreDurable(boolean fileSystemSync) throws Exception {
        var disk = new LosingDisk(root(), fileSystemSync);
        Bitfield recorded = downloadAndCrash(disk, 0);
        try (TorrentStorage t = storage(disk).open(metainfo, root(), true)) {
            assertEquals(Optional.of(recorded), t.loadResume(), "the files are as the record says");
            assertEquals(0, lostPieces(t, recorded), "pieces recorded as verified but lost");
        }
        if (fileSystemSync) {
            assertTrue(disk.fileSystemSyncs.get() > 0 && disk.fileSyncs.get() == 0,
                    "one sync of the file system per record, no sync per file: " + disk.fileSystemSyncs + " and "
                            + disk.fileSyncs);
        } else {
            assertTrue(disk.fileSyncs.get() > 0);
        }
    }

    /** Written after the last record, then the power fails: those bytes are lost, and no record vouches for them. */
    @Test
    void whatWasWrittenAfterTheLastRecordIsLostAndNotVouchedFor() throws Exception {
        var disk = new LosingDisk(root(), true);
        Bitfield recorded = downloadAndCrash(disk, 5);
        try (TorrentStorage t = storage(disk).open(metainfo, root(), true)) {
            Bitfield loaded = t.loadResume().orElseThrow();
            assertEquals(0, lostPieces(t, loaded), "pieces vouched for but lost");
            assertTrue(loaded.count() > 0 && loaded.count() < recorded.count() && !loaded.hasAnyMissingFrom(recorded),
                    "the pieces in files written since the record are checked again, the others trusted: "
                            + loaded.count() + " of " + recorded.count());
            var all = new Bitfield(pieces);
            for (int piece = 0; piece < pieces; piece++) {
                all.set(piece);
            }
            assertTrue(lostPieces(t, all) > 0, "the disk lost the unrecorded pieces (else this proves nothing)");
        }
    }

    private FileChannelPieceStorage storage(LosingDisk disk) {
        return new FileChannelPieceStorage(FileTorrentStorage.FLUSH_EVERY_BYTES, disk, DirectWrites.Opener.OFF);
    }

    /**
     * Writes pieces in random order with a record after every seventh and {@code thenWritten} more after the last
     * record, then crashes the disk; returns the last record's pieces.
     */
    private Bitfield downloadAndCrash(LosingDisk disk, int thenWritten) throws Exception {
        var verified = new Bitfield(pieces);
        Bitfield recorded = null;
        List<Integer> order = shuffledPieces();
        int recordedCount = (order.size() - 10) / 7 * 7;
        try (TorrentStorage t = storage(disk).open(metainfo, root(), true)) {
            for (int i = 0; i < recordedCount + thenWritten; i++) {
                write(t, metainfo, stream, order.get(i));
                verified.set(order.get(i));
                if (i % 7 == 6 && i < recordedCount) {
                    t.saveResume(verified);
                    recorded = verified.copy();
                }
            }
        }
        disk.crash();
        return recorded;
    }

    /** How many of {@code pieces} do not read back as written. */
    private int lostPieces(TorrentStorage t, Bitfield which) {
        int lost = 0;
        for (int piece = 0; piece < pieces; piece++) {
            if (!which.get(piece)) {
                continue;
            }
            ByteBuffer got = ByteBuffer.allocate(metainfo.info().pieceLayout().pieceSize(piece));
            if (!t.readPiece(piece, got) || !Arrays.equals(got.array(),
                    Arrays.copyOfRange(stream, piece * PIECE, piece * PIECE + got.capacity()))) {
                lost++;
            }
        }
        return lost;
    }

    @Test
    void finishingManyFilesSyncsTheFileSystemOnceAndCreatesTheEmptyFiles() throws Exception {
        var disk = new LosingDisk(root(), true);
        var storage = new FileChannelPieceStorage(FileTorrentStorage.FLUSH_EVERY_BYTES, disk,
                DirectWrites.Opener.OFF);
        long empty = files.values().stream().filter(b -> b.length == 0).count();
        assertTrue(empty > 0, "the torrent has empty files");
        try (TorrentStorage t = storage.open(metainfo, root(), true)) {
            for (int piece : shuffledPieces()) {
                write(t, metainfo, stream, piece);
            }
            t.finish();
        }
        assertEquals(1, disk.fileSystemSyncs.get());
        assertEquals(0, disk.fileSyncs.get());
        disk.crash();
        assertFilesAreTheOriginals();
    }

    @Test
    void aBackgroundFlushOfManyFilesIsOneSyncOfTheFileSystemNotOneSyncPerFile() throws Exception {
        var disk = new LosingDisk(root(), true);
        // 16 pieces of at most 9 KiB files: always more than WriteBack.SYNC_FILES_ONE_BY_ONE files a flush
        var storage = new FileChannelPieceStorage(16 * PIECE, disk, DirectWrites.Opener.OFF);
        try (TorrentStorage t = storage.open(metainfo, root(), true)) {
            for (int piece : shuffledPieces()) {
                write(t, metainfo, stream, piece);
            }
            int flushes = ((FileTorrentStorage) t).flushesStarted();
            assertTrue(flushes >= 1, "flushes started: " + flushes);
            t.finish();
            assertEquals(flushes + 1, disk.fileSystemSyncs.get(), "one per background flush, one at finish");
        }
        // a per-file sync while other files are being created holds up every create behind a journal commit
        assertEquals(0, disk.fileSyncs.get());
        disk.crash();
        assertFilesAreTheOriginals();
    }

    @Test
    void aCheckReadsSmallFilesAheadAndFindsWhatIsMissingShortOrChangedAsWithout() throws Exception {
        try (TorrentStorage t = new FileChannelPieceStorage().open(metainfo, root(), true)) {
            for (int piece = 0; piece < pieces; piece++) {
                write(t, metainfo, stream, piece);
            }
            t.finish();
        }
        List<String> names = files.entrySet().stream().filter(e -> e.getValue().length > 100).map(Map.Entry::getKey)
                .toList();
        Files.delete(dir.resolve("download").resolve(names.get(10)));
        byte[] shorter = files.get(names.get(40));
        Files.write(dir.resolve("download").resolve(names.get(40)), Arrays.copyOf(shorter, shorter.length - 7));
        byte[] changed = files.get(names.get(70)).clone();
        changed[changed.length / 2] ^= 1;
        Files.write(dir.resolve("download").resolve(names.get(70)), changed);
        var wanted = new ArrayList<Integer>();
        for (int piece = 0; piece < pieces; piece++) {
            if (piece % 7 != 3) { // some files lie partly outside the pieces checked
                wanted.add(piece);
            }
        }
        var plain = new FilePool(64);
        var ahead = new FilePool(64);
        List<Boolean> without = check(plain, wanted, false);
        List<Boolean> with = check(ahead, wanted, true);
        assertEquals(without, with);
        assertTrue(without.contains(false) && without.contains(true), "some pieces are damaged, others intact");
        assertTrue(ahead.opened() * 3 < plain.opened(), "files opened one at a time by the check: " + ahead.opened()
                + " with reading ahead, " + plain.opened() + " without");
    }

    /** Per piece of {@code wanted}: whether it reads as its original bytes. */
    private List<Boolean> check(FilePool pool, List<Integer> wanted, boolean readAhead) {
        var storage = new FileChannelPieceStorage(FileTorrentStorage.FLUSH_EVERY_BYTES, FileTorrentStorage.Flush.DATA,
                DirectWrites.Opener.OFF, pool);
        var out = new ArrayList<Boolean>();
        try (TorrentStorage t = storage.open(metainfo, root(), false);
             TorrentStorage.ReadingAhead ignored = readAhead ? t.readingAhead(wanted) : () -> { }) {
            for (int piece : wanted) {
                var buffer = ByteBuffer.allocate(metainfo.info().pieceLayout().pieceSize(piece));
                boolean read = t.readPiece(piece, buffer);
                out.add(read && Arrays.equals(buffer.array(),
                        Arrays.copyOfRange(stream, piece * PIECE, piece * PIECE + buffer.capacity())));
            }
        }
        return out;
    }

    @Test
    void aFewWrittenFilesAreSyncedOneByOneNotTheWholeFileSystem() throws Exception {
        var disk = new LosingDisk(root(), true);
        var storage = new FileChannelPieceStorage(FileTorrentStorage.FLUSH_EVERY_BYTES, disk,
                DirectWrites.Opener.OFF);
        try (TorrentStorage t = storage.open(metainfo, root(), true)) {
            t.saveResume(new Bitfield(pieces));
            assertEquals(0, disk.fileSyncs.get() + disk.fileSystemSyncs.get(), "nothing written, nothing synced");
            write(t, metainfo, stream, 0);
            var one = new Bitfield(pieces);
            one.set(0);
            t.saveResume(one);
            assertEquals(0, disk.fileSystemSyncs.get());
            int filesOfPiece0 = (int) metainfo.info().pieceLayout().spans(0).stream().filter(s -> !s.padding())
                    .mapToInt(s -> s.fileIndex()).distinct().count();
            assertEquals(filesOfPiece0, disk.fileSyncs.get());
            assertFalse(Files.exists(dir.resolve("download").resolve(files.keySet().stream().reduce((a, b) -> b)
                    .orElseThrow())), "a file is created when its first piece is written, not before");
        }
    }
}
