package dev.jtorr.adapters.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.StorageException;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.FileSelection;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.piece.Bitfield;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Verified pieces written in any order land byte for byte in the right files, across file boundaries, written in
 * slices of {@link PositionalIo#WRITE_SLICE} (file sizes here are chosen so that pieces, slices and files all end at
 * different places); pad files are never written.
 */
class FileChannelPieceStorageTest {
    private static final int PIECE = 512 * 1024; // written in several slices (PositionalIo.WRITE_SLICE each)

    @TempDir
    Path dir;

    /** The files and their v1 torrent and byte stream, as most tests use them. */
    private final Map<String, byte[]> files = files();
    private final Metainfo metainfo = torrent(files, TorrentVersion.V1);
    private final byte[] stream = stream(metainfo, files);

    /** Files whose sizes straddle piece and slice boundaries, with an empty file and a one-byte file. */
    private static Map<String, byte[]> files() {
        var random = new Random(7);
        var files = new LinkedHashMap<String, byte[]>();
        String[] names = {"root/a.bin", "root/b/c.bin", "root/b/empty", "root/d.bin", "root/e.bin", "root/f.bin"};
        int[] sizes = {40_001, 3 * PIECE + 5_000, 0, 1, PositionalIo.WRITE_SLICE + 17, 64 * 1024 + 3};
        for (int i = 0; i < names.length; i++) {
            byte[] data = new byte[sizes[i]];
            random.nextBytes(data);
            files.put(names[i], data);
        }
        return files;
    }

    static Metainfo torrent(Map<String, byte[]> files, TorrentVersion version) {
        return torrent(files, version, PIECE);
    }

    static Metainfo torrent(Map<String, byte[]> files, TorrentVersion version, int pieceLength) {
        var content = new InMemoryContentReader();
        files.forEach(content::put);
        return new CreateTorrentService(content, new InMemoryMetainfoStore(),
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"),
                1, "test").create(new CreateTorrentCommand(Path.of("root"), Optional.empty(),
                Optional.of((long) pieceLength), version, List.of(), List.of(), false, Optional.empty(), Optional.empty(),
                false, false)).metainfo();
    }

    /** The torrent's byte stream: every file in order, pad files as zeros. */
    static byte[] stream(Metainfo metainfo, Map<String, byte[]> files) {
        var out = new ByteArrayOutputStream();
        for (FileEntry f : metainfo.info().files()) {
            out.writeBytes(f.isPadding() ? new byte[(int) f.length()] : files.get("root/" + String.join("/",
                    f.path().subList(1, f.path().size()))));
        }
        return out.toByteArray();
    }

    /** Writes piece {@code piece} of {@code stream}, the torrent's byte stream. */
    static void write(TorrentStorage storage, Metainfo metainfo, byte[] stream, int piece) {
        var layout = metainfo.info().pieceLayout();
        int at = (int) (piece * layout.pieceLength());
        storage.writePiece(piece, ByteBuffer.wrap(stream, at, layout.pieceSize(piece)));
    }

    @ParameterizedTest
    @EnumSource(value = TorrentVersion.class, names = {"V1", "HYBRID"})
    void piecesWrittenInAnyOrderGiveTheOriginalFilesAndNoPadFiles(TorrentVersion version) throws Exception {
        Metainfo metainfo = torrent(files, version); // this version's, in place of the v1 fields
        byte[] stream = stream(metainfo, files);
        var layout = metainfo.info().pieceLayout();
        Path root = dir.resolve("download").resolve("root");
        var order = new ArrayList<Integer>();
        for (int i = 0; i < layout.pieceCount(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(3));
        try (var storage = new FileChannelPieceStorage().open(metainfo, root, true)) {
            for (int piece : order) {
                write(storage, metainfo, stream, piece);
            }
            storage.finish();
            for (int piece = 0; piece < layout.pieceCount(); piece++) {
                ByteBuffer back = ByteBuffer.allocate(layout.pieceSize(piece));
                assertTrue(storage.readPiece(piece, back));
                assertArrayEquals(java.util.Arrays.copyOfRange(stream, (int) (piece * layout.pieceLength()),
                        (int) (piece * layout.pieceLength()) + back.capacity()), back.array(), "piece " + piece);
            }
        }
        for (var e : files.entrySet()) {
            Path p = dir.resolve("download").resolve(e.getKey());
            assertArrayEquals(e.getValue(), Files.readAllBytes(p), e.getKey());
        }
        try (var walk = Files.walk(root)) {
            long regular = walk.filter(Files::isRegularFile).count();
            assertEquals(files.size(), regular, "only the torrent's own files exist (no pad files)");
        }
        assertFalse(Files.exists(root.resolve(".pad")));
    }

    /** Whether the file system under the test's folder takes direct I/O (ext4 and tmpfs do; not every one does). */
    private boolean directIoWorksHere() {
        try (var ch = java.nio.channels.FileChannel.open(dir.resolve("probe"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Writes every piece of {@code metainfo} in order with {@code storage}, makes it durable and closes it. */
    private static FileTorrentStorage writeAll(FileChannelPieceStorage storage, Metainfo metainfo, byte[] stream,
                                               Path root) {
        var opened = (FileTorrentStorage) storage.open(metainfo, root, true);
        try (opened) {
            for (int piece = 0; piece < metainfo.info().pieceLayout().pieceCount(); piece++) {
                write(opened, metainfo, stream, piece);
            }
            opened.finish();
        }
        return opened;
    }

    private void assertFilesAreTheOriginals() throws Exception {
        for (var e : files.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve("download").resolve(e.getKey())),
                    e.getKey());
        }
    }

    @Test
    void wholeAlignedPiecesGoPastThePageCacheAndShortOrUnalignedStretchesThroughIt() throws Exception {
        Metainfo hybrid = torrent(files, TorrentVersion.HYBRID); // pad files: every file starts on a piece
        var storage = writeAll(new FileChannelPieceStorage(), hybrid, stream(hybrid, files),
                dir.resolve("download").resolve("root"));
        assertFilesAreTheOriginals();
        // c.bin's three whole pieces; its 5,000-byte tail and the short files are under DirectWrites.MIN_LENGTH
        assertEquals(directIoWorksHere() ? 3L * PIECE : 0, storage.directBytes());
    }

    @Test
    void withDirectWritesTurnedOffEverythingGoesThroughThePageCache() throws Exception {
        Metainfo hybrid = torrent(files, TorrentVersion.HYBRID);
        var storage = writeAll(new FileChannelPieceStorage(new FsConfig(false)), hybrid, stream(hybrid, files),
                dir.resolve("download").resolve("root"));
        assertFilesAreTheOriginals();
        assertEquals(0, storage.directBytes());
    }

    @Test
    void piecesThatStartInsideABlockHaveTheirAlignedMiddleWrittenDirectly() throws Exception {
        var storage = writeAll(new FileChannelPieceStorage(), metainfo, stream,
                dir.resolve("download").resolve("root"));
        assertFilesAreTheOriginals(); // c.bin starts 40,001 bytes into piece 0: no piece is aligned in it
        long direct = storage.directBytes();
        if (directIoWorksHere()) {
            assertTrue(direct >= 3L * PIECE - 8L * 65536 && direct < 3L * PIECE + 5_000, "direct: " + direct);
        } else {
            assertEquals(0, direct);
        }
    }

    /**
     * Writes every piece with direct writes opened by {@code opener}, which fails one way or another: the files are
     * the originals all the same, nothing went directly, and the opener was tried once only.
     */
    private void assertFallsBackToThePageCacheForGood(java.util.function.Function<Path, java.nio.channels.FileChannel>
                                                          opener) throws Exception {
        var opened = new java.util.concurrent.atomic.AtomicInteger();
        DirectWrites.Opener counting = path -> {
            opened.incrementAndGet();
            try {
                return opener.apply(path);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause(); // as the real opener throws it
            }
        };
        var storage = writeAll(new FileChannelPieceStorage(FileTorrentStorage.FLUSH_EVERY_BYTES,
                FileTorrentStorage.Flush.DATA, counting), metainfo, stream, dir.resolve("download").resolve("root"));
        assertFilesAreTheOriginals();
        assertEquals(0, storage.directBytes());
        assertEquals(1, opened.get(), "tried once, then never again for this storage");
    }

    @Test
    void withoutDirectIoTheSameBytesAreWrittenThroughThePageCache() throws Exception {
        assertFallsBackToThePageCacheForGood(path -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("Invalid argument"));
        });
    }

    @Test
    void aDirectWriteThatFailsIsWrittenAgainThroughThePageCache() throws Exception {
        assertFallsBackToThePageCacheForGood(path -> {
            try {
                var ch = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE);
                ch.close(); // its writes fail
                return ch;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void aBlockThatSpansTwoFilesReadsBackWhole() throws Exception {
        var layout = metainfo.info().pieceLayout();
        Path root = dir.resolve("download").resolve("root");
        try (var storage = new FileChannelPieceStorage().open(metainfo, root, true)) {
            for (int piece = 0; piece < layout.pieceCount(); piece++) {
                write(storage, metainfo, stream, piece);
            }
            int offset = 40_001 - 100; // a.bin ends 100 bytes into this block
            ByteBuffer block = storage.readBlock(0, offset, 16 * 1024);
            byte[] got = new byte[block.remaining()];
            block.get(got);
            assertArrayEquals(java.util.Arrays.copyOfRange(stream, offset, offset + got.length), got);
        }
    }

    @Test
    void writesAreFlushedInTheBackgroundAsTheyGoWithoutDisturbingThem() throws Exception {
        var layout = metainfo.info().pieceLayout();
        Path root = dir.resolve("download").resolve("root");
        try (var storage = new FileChannelPieceStorage(PIECE).open(metainfo, root, true)) {
            for (int piece = layout.pieceCount() - 1; piece >= 0; piece--) {
                write(storage, metainfo, stream, piece);
            }
            int flushes = ((FileTorrentStorage) storage).flushesStarted();
            assertTrue(flushes >= 1 && flushes <= layout.pieceCount(), "flushes started: " + flushes);
            storage.finish();
        }
        for (var e : files.entrySet()) {
            Path p = dir.resolve("download").resolve(e.getKey());
            assertArrayEquals(e.getValue(), Files.readAllBytes(p), e.getKey());
        }
    }

    @Test
    void resumeDataIsKeptAndReloadedWhileTheFilesAreUnchanged() throws Exception {
        Path root = dir.resolve("download").resolve("root");
        int last = metainfo.info().pieceLayout().pieceCount() - 1;
        var verified = new Bitfield(last + 1);
        verified.set(0);
        verified.set(last);
        try (var storage = new FileChannelPieceStorage().open(metainfo, root, true)) {
            write(storage, metainfo, stream, 0);
            write(storage, metainfo, stream, last);
            storage.saveResume(verified);
        }
        try (var storage = new FileChannelPieceStorage().open(metainfo, root, true)) {
            assertEquals(Optional.of(verified), storage.loadResume());
        }
        Files.write(dir.resolve("download/root/a.bin"), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        try (var storage = new FileChannelPieceStorage().open(metainfo, root, true)) {
            var untouched = new Bitfield(last + 1);
            untouched.set(last);
            assertEquals(Optional.of(untouched), storage.loadResume(),
                    "a.bin changed since: its piece is checked again, the last piece (other files) stays trusted");
        }
    }

    @Test
    void afterAFailedBackgroundFlushNoResumeRecordVouchesForPieces() throws Exception {
        Path root = dir.resolve("download").resolve("root");
        var verified = new Bitfield(metainfo.info().pieceLayout().pieceCount());
        var diskFails = new java.util.concurrent.atomic.AtomicBoolean();
        FileTorrentStorage.Flush failing = (path, ch) -> {
            if (diskFails.get()) {
                throw new java.io.IOException("Input/output error");
            }
            ch.force(false);
        };
        try (var storage = new FileChannelPieceStorage(3L * PIECE, failing).open(metainfo, root, true)) {
            write(storage, metainfo, stream, 0);
            verified.set(0);
            storage.saveResume(verified); // the sync before it succeeds: the record is written
            assertEquals(Optional.of(verified), storage.loadResume());
            diskFails.set(true);
            for (int piece = 1; piece < 3; piece++) {
                write(storage, metainfo, stream, piece); // the third piece starts a background flush, which fails
                verified.set(piece);
            }
            var e = assertThrows(StorageException.class, storage::finish);
            assertTrue(e.getMessage().contains("cannot flush") && e.getMessage().contains("Input/output error"),
                    e.getMessage());
            diskFails.set(false); // the disk works again, but the write it lost stays lost
            var again = assertThrows(StorageException.class, () -> storage.saveResume(verified));
            assertTrue(again.getMessage().contains("Input/output error"), again.getMessage());
            assertEquals(Optional.empty(), storage.loadResume(), "the earlier record is gone too");
        }
        try (var storage = new FileChannelPieceStorage().open(metainfo, root, true)) {
            assertEquals(Optional.empty(), storage.loadResume(), "the next start checks every piece");
        }
    }

    @Test
    void noBackgroundFlushBeforeEnoughIsWritten() throws Exception {
        try (var storage = new FileChannelPieceStorage().open(metainfo, dir.resolve("d").resolve("root"), true)) {
            write(storage, metainfo, stream, 0);
            assertEquals(0, ((FileTorrentStorage) storage).flushesStarted());
        }
    }

    @Test
    void fileSizesTellMissingFilesFromWrittenOnes() throws Exception {
        try (var storage = new FileChannelPieceStorage().open(metainfo, dir.resolve("d").resolve("root"), true)) {
            for (long size : storage.fileSizes()) {
                assertEquals(-1, size, "nothing written yet");
            }
            write(storage, metainfo, stream, 0);
            long[] sizes = storage.fileSizes();
            assertEquals(40_001, sizes[0], "a.bin lies wholly in piece 0");
            assertEquals(PIECE - 40_001, sizes[1], "c.bin holds the rest of piece 0 so far");
            assertEquals(-1, sizes[3]);
        }
    }

    @Test
    void deletingATorrentRemovesItsFilesAndTheFoldersTheyLeaveEmptyButNothingElse() throws Exception {
        Path root = dir.resolve("dl").resolve("root");
        try (var storage = new FileChannelPieceStorage().open(metainfo, root, true)) {
            for (int piece = 0; piece < metainfo.info().pieceCount(); piece++) {
                write(storage, metainfo, stream, piece);
            }
            storage.finish();
            storage.saveResume(dev.jtorr.domain.piece.Bitfield.full(metainfo.info().pieceCount()));
        }
        Path resume;
        try (var listing = Files.list(dir.resolve("dl").resolve(".jtorr"))) {
            resume = listing.findFirst().orElseThrow();
        }
        Path mine = root.resolve("sub").resolve("mine.txt");
        Files.createDirectories(mine.getParent());
        Files.writeString(mine, "not the torrent's");
        Path outside = dir.resolve("dl").resolve("other.bin");
        Files.writeString(outside, "neither");

        var storage = new FileChannelPieceStorage().open(metainfo, root, true);
        storage.close();
        storage.delete();

        for (String name : files.keySet()) {
            assertFalse(Files.exists(root.resolve(name.substring("root/".length()))), name + " is deleted");
        }
        assertTrue(Files.exists(mine), "a file the torrent does not name stays, and so does its folder");
        assertTrue(Files.exists(outside));
        assertFalse(Files.exists(resume), "the resume record is deleted");
        Files.delete(mine);
        Files.delete(mine.getParent());
        try (var left = Files.walk(root)) {
            assertEquals(List.of(root), left.toList(), "only folders holding foreign files were left");
        }
    }

    @Test
    void aSelectionCreatesOnlyTheWantedFilesAndKeepsSharedPiecesBytesInThePartsFile() throws Exception {
        var info = metainfo.info();
        int number = 1 + info.userFiles().stream().map(f -> f.path().getLast()).toList().indexOf("c.bin");
        var selection = FileSelection.of(info, List.of(number));
        Bitfield wanted = selection.wantedPieces(info.pieceLayout());
        Path root = dir.resolve("dl").resolve("root");
        Path records = dir.resolve("dl").resolve(".jtorr");
        try (var storage = new FileChannelPieceStorage().open(metainfo, root, true, Optional.of(records),
                selection)) {
            for (int p = wanted.nextSet(0); p >= 0; p = wanted.nextSet(p + 1)) {
                write(storage, metainfo, stream, p);
            }
            storage.finish();
            storage.saveResume(wanted);
            for (int p = wanted.nextSet(0); p >= 0; p = wanted.nextSet(p + 1)) {
                var back = ByteBuffer.allocate(info.pieceLayout().pieceSize(p));
                assertTrue(storage.readPiece(p, back), "piece " + p + " reads back");
                assertArrayEquals(Arrays.copyOfRange(stream, (int) (p * (long) PIECE),
                        (int) (p * (long) PIECE) + back.capacity()), back.array(), "piece " + p);
            }
        }
        assertArrayEquals(files.get("root/b/c.bin"), Files.readAllBytes(root.resolve("b/c.bin")));
        try (var left = Files.walk(root)) {
            assertEquals(List.of(root, root.resolve("b"), root.resolve("b/c.bin")), left.sorted().toList(),
                    "no other file of the torrent is created");
        }
        try (var kept = Files.list(records)) {
            assertTrue(kept.anyMatch(f -> f.getFileName().toString().endsWith(".parts")),
                    "the bytes shared with other files are kept beside the resume record");
        }
        try (var again = new FileChannelPieceStorage().open(metainfo, root, true, Optional.of(records), selection)) {
            assertEquals(Optional.of(wanted), again.loadResume(), "the same selection trusts the record");
        }
        try (var all = new FileChannelPieceStorage().open(metainfo, root, true, Optional.of(records),
                FileSelection.all())) {
            assertEquals(Optional.empty(), all.loadResume(), "another selection checks again");
        }
    }
}
