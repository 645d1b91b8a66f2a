package dev.jtorr.adapters.fs;

import dev.jtorr.application.port.out.StorageException;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BInteger;
import dev.jtorr.domain.bencode.BList;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.FileSelection;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.FileSpan;
import dev.jtorr.domain.piece.PieceLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * The open files of one torrent. Channels are opened on first use and at most {@value #MAX_OPEN} stay open; reads
 * and writes are positional, so several threads may use the storage at once. Long aligned stretches are written
 * past the page cache ({@link DirectWrites}).
 *
 * <p>{@link #finish()} makes the files durable. So that it does not wait for a whole download's worth of dirty
 * pages, every {@value #FLUSH_EVERY_BYTES} bytes written start a flush of the files written so far on a background
 * thread ({@code fdatasync}); a failed flush is reported by {@code finish()}, since the kernel reports it only once.
 * After a failed flush the resume record is deleted and no new one is written (saving one throws), so that a record
 * never vouches for pieces whose bytes the disk may have lost; the next start checks every piece.
 */
final class FileTorrentStorage implements TorrentStorage {
    private static final int MAX_OPEN = 256;
    static final long FLUSH_EVERY_BYTES = 64L << 20;

    private final Metainfo metainfo;
    private final PieceLayout layout;
    private final List<FileEntry> files;
    /** The torrent's file (single-file torrent) or folder. */
    private final Path root;
    /** Where each file's bytes go: the file itself, or for an unwanted file the parts file. */
    private final Path[] paths;
    /** Added to a position in a file to find it in {@link #paths}: the file's stream offset in the parts file. */
    private final long[] base;
    /** Which files are wanted: an unwanted file is never created, its bytes of wanted pieces go to the parts file. */
    private final FileSelection selection;
    private final SymbolicLinks links;
    private final Path resumeFile;
    private final boolean writable;
    private final long[][] openState;
    private final OpenChannels open = new OpenChannels(MAX_OPEN);
    private final long flushEvery;
    private final Flush flush;
    private final DirectWrites direct;
    private final Object flushLock = new Object();
    private final BitSet writtenSinceFlush = new BitSet();
    private long bytesSinceFlush;
    private Thread flushing;
    private IOException flushFailure;
    private int flushesStarted;

    /**
     * @param paths     per file, where its bytes live: the file, or for a file {@code selection} leaves out the parts
     *                  file, where a byte lies at its offset in the torrent's stream (a sparse file: only the bytes of
     *                  pieces shared with a wanted file are ever written)
     */
    FileTorrentStorage(Metainfo metainfo, Path root, Path[] paths, FileSelection selection, SymbolicLinks links,
                       Path resumeFile, boolean writable, long flushEvery, Flush flush,
                       DirectWrites.Opener directOpener) {
        this.root = root;
        this.selection = selection;
        this.base = new long[paths.length];
        long offset = 0;
        for (int i = 0; i < paths.length; i++) {
            base[i] = selection.isWanted(i) ? 0 : offset;
            offset += metainfo.info().files().get(i).length();
        }
        this.links = links;
        this.flushEvery = flushEvery;
        this.flush = flush;
        this.direct = new DirectWrites(directOpener);
        this.metainfo = metainfo;
        this.layout = metainfo.info().pieceLayout();
        this.files = metainfo.info().files();
        this.paths = paths;
        this.resumeFile = resumeFile;
        this.writable = writable;
        this.openState = fileStates();
    }

    @Override
    public boolean readPiece(int piece, ByteBuffer into) {
        for (FileSpan span : layout.spans(piece)) {
            if (span.padding()) {
                into.put(new byte[span.length()]);
                continue;
            }
            if (!readSpan(span.fileIndex(), span.fileOffset(), into.slice(into.position(), span.length()))) {
                return false;
            }
            into.position(into.position() + span.length());
        }
        return true;
    }

    @Override
    public ByteBuffer readBlock(int piece, int offset, int length) {
        ByteBuffer out = ByteBuffer.allocate(length);
        long at = 0;
        for (FileSpan span : layout.spans(piece)) {
            long from = Math.max(at, offset);
            long to = Math.min(at + span.length(), (long) offset + length);
            if (to > from) {
                ByteBuffer part = out.slice((int) (from - offset), (int) (to - from));
                if (!span.padding() && !readSpan(span.fileIndex(), span.fileOffset() + (from - at), part)) {
                    throw new StorageException(paths[span.fileIndex()] + " is missing or shorter than the torrent "
                            + "says: was it changed?");
                }
            }
            at += span.length();
        }
        return out.asReadOnlyBuffer();
    }

    /** Fills {@code target} from file {@code index} at {@code position}; false when the file is missing or short. */
    private boolean readSpan(int index, long position, ByteBuffer target) {
        for (int attempt = 0; ; attempt++) {
            try {
                FileChannel ch = channel(index, false);
                if (ch == null) {
                    return false;
                }
                return PositionalIo.readFully(ch, base[index] + position, target.duplicate());
            } catch (ClosedChannelException e) {
                if (attempt > 3) {
                    throw new StorageException("cannot read " + paths[index] + ": closed", e);
                }
            } catch (IOException e) {
                throw new StorageException("cannot read " + paths[index] + ": " + IoReasons.of(e), e);
            }
        }
    }

    @Override
    public void writePiece(int piece, ByteBuffer data) {
        if (!writable) {
            throw new IllegalStateException("storage opened read-only");
        }
        long at = 0;
        for (FileSpan span : layout.spans(piece)) {
            if (!span.padding()) {
                ByteBuffer part = data.slice(data.position() + (int) at, span.length());
                writeSpan(span.fileIndex(), span.fileOffset(), part);
            }
            at += span.length();
        }
    }

    private void writeSpan(int index, long position, ByteBuffer data) {
        for (int attempt = 0; ; attempt++) {
            try {
                FileChannel ch = channel(index, true);
                direct.write(index, paths[index], ch, base[index] + position, data);
                written(index, data.remaining());
                return;
            } catch (ClosedChannelException e) {
                if (attempt > 3) {
                    throw new StorageException("cannot write " + paths[index] + ": closed", e);
                }
            } catch (IOException e) {
                throw new StorageException(describeWriteFailure(paths[index], e), e);
            }
        }
    }

    /** Counts a write and starts a background flush when enough has been written and none is running. */
    private void written(int index, long bytes) {
        List<FileChannel> toFlush = new ArrayList<>();
        synchronized (flushLock) {
            writtenSinceFlush.set(index);
            bytesSinceFlush += bytes;
            if (bytesSinceFlush < flushEvery || (flushing != null && flushing.isAlive())) {
                return;
            }
            synchronized (this) {
                writtenSinceFlush.stream().mapToObj(open::get).filter(c -> c != null).forEach(toFlush::add);
            }
            writtenSinceFlush.clear();
            bytesSinceFlush = 0;
            flushesStarted++;
            flushing = Thread.ofPlatform().daemon().name("jtorr-flush").start(() -> flush(toFlush));
        }
    }

    private void flush(List<FileChannel> channels) {
        for (FileChannel ch : channels) {
            try {
                flush.force(ch);
            } catch (ClosedChannelException e) {
                // closed since (evicted or the storage closed): finish() flushes every file again
            } catch (IOException e) {
                synchronized (flushLock) {
                    if (flushFailure == null) {
                        flushFailure = e;
                    }
                }
            }
        }
    }

    /** Bytes written with direct I/O so far (for tests). */
    long directBytes() {
        return direct.directBytes();
    }

    /** How many background flushes have started (for tests). */
    int flushesStarted() {
        synchronized (flushLock) {
            return flushesStarted;
        }
    }

    /** Waits for a running background flush; throws what any of them failed with. */
    private void awaitFlushed() {
        Thread t;
        synchronized (flushLock) {
            t = flushing;
        }
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while flushing the files to the disk", e);
            }
        }
        synchronized (flushLock) {
            if (flushFailure != null) {
                throw flushFailed(flushFailure);
            }
        }
    }

    private static StorageException flushFailed(IOException e) {
        return new StorageException("cannot flush the downloaded files to the disk: " + IoReasons.of(e), e);
    }

    /** How written data is made durable: {@code fdatasync}; tests substitute a failing one. */
    @FunctionalInterface
    interface Flush {
        Flush DATA = ch -> ch.force(false);

        void force(FileChannel channel) throws IOException;
    }

    static String describeWriteFailure(Path path, IOException e) {
        String m = IoReasons.of(e);
        if (m.contains("No space left") || m.contains("Disk quota")) {
            return "the disk is full while writing " + path + " (verified pieces are kept; free some space and "
                    + "run the same command again)";
        }
        return "cannot write " + path + ": " + m;
    }

    private synchronized FileChannel channel(int index, boolean write) throws IOException {
        FileChannel ch = open.get(index);
        if (ch != null && (!write || writable)) {
            return ch;
        }
        Path p = paths[index];
        if (!writable && !Files.isRegularFile(p)) {
            return null;
        }
        if (writable) {
            if (!write && !Files.exists(p)) {
                return null;
            }
            Files.createDirectories(p.getParent());
            ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        } else {
            try {
                ch = FileChannel.open(p, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            }
        }
        open.put(index, ch);
        return ch;
    }

    @Override
    public boolean[] filesPresent() {
        boolean[] out = new boolean[files.size()];
        for (int i = 0; i < files.size(); i++) {
            out[i] = paths[i] == null || size(paths[i]) >= base[i] + files.get(i).length();
        }
        return out;
    }

    @Override
    public long[] fileSizes() {
        long[] out = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            // an unwanted file counts as there when the parts file is: the check then reads its pieces, which verify
            // only if their bytes were written there
            out[i] = paths[i] == null ? files.get(i).length()
                    : !selection.isWanted(i) ? (size(paths[i]) >= 0 ? files.get(i).length() : -1)
                    : size(paths[i]);
        }
        return out;
    }

    private static long size(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Per file: size and modification time in nanoseconds, or -1s when missing. */
    private long[][] fileStates() {
        long[][] out = new long[files.size()][];
        for (int i = 0; i < files.size(); i++) {
            out[i] = new long[] {-1, -1};
            if (paths[i] != null) {
                try {
                    var a = Files.readAttributes(paths[i], BasicFileAttributes.class);
                    out[i] = new long[] {a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)};
                } catch (IOException ignored) {
                    // missing: stays -1
                }
            }
        }
        return out;
    }

    @Override
    public Optional<Bitfield> loadResume() {
        if (resumeFile == null || !Files.isRegularFile(resumeFile)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(resumeFile);
            BDictionary d = (BDictionary) BencodeDecoder.decode(bytes, BencodeLimits.TORRENT_FILE);
            if (!d.getString("selection").map(b -> b.text()).orElse("all").equals(selection.key())) {
                return Optional.empty(); // other files were wanted then: their pieces may lie elsewhere
            }
            Bitfield pieces = Bitfield.fromWire(d.getString("pieces").orElseThrow().bytes(),
                    layout.pieceCount());
            List<BValue> recorded = d.getList("files").orElseThrow().values();
            long[][] now = fileStates();
            if (recorded.size() != now.length) {
                return Optional.empty();
            }
            for (int i = 0; i < now.length; i++) {
                List<BValue> f = ((BList) recorded.get(i)).values();
                if (((BInteger) f.get(0)).value() != now[i][0] || ((BInteger) f.get(1)).value() != now[i][1]) {
                    return Optional.empty();
                }
            }
            return Optional.of(pieces);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable record only costs a full check
        }
    }

    @Override
    public void saveResume(Bitfield verified) {
        if (resumeFile == null) {
            return;
        }
        IOException failed;
        synchronized (flushLock) {
            failed = flushFailure;
        }
        if (failed != null) {
            try {
                Files.deleteIfExists(resumeFile);
            } catch (IOException ignored) {
                // the failure below is what matters; a stale record is checked against the files' states anyway
            }
            throw flushFailed(failed);
        }
        var states = new ArrayList<BValue>();
        for (long[] s : fileStates()) {
            states.add(new BList(List.of(BInteger.of(s[0]), BInteger.of(s[1]))));
        }
        BDictionary d = BDictionary.builder()
                .put("info-hash", resumeFile.getFileName().toString().replace(".resume", ""))
                .put("pieces", verified.toWire())
                .put("files", new BList(states))
                .put("selection", selection.key())
                .build();
        try {
            AtomicFiles.write(resumeFile, BencodeEncoder.encode(d));
        } catch (IOException e) {
            throw new StorageException("cannot write resume data " + resumeFile + ": " + IoReasons.of(e), e);
        }
    }

    /** Makes the files durable, then the torrent's symbolic links (last: no data is written through them). */
    @Override
    public void finish() {
        awaitFlushed();
        finishFiles();
        if (writable) {
            links.create();
        }
    }

    private void finishFiles() {
        for (int i = 0; i < files.size(); i++) {
            if (paths[i] == null) {
                continue;
            }
            try {
                FileChannel ch = channel(i, true);
                if (!selection.isWanted(i)) {
                    ch.force(true); // the parts file: kept as it is
                    continue;
                }
                if (ch.size() > files.get(i).length()) {
                    ch.truncate(files.get(i).length());
                }
                ch.force(true);
                if (files.get(i).isExecutable()) {
                    paths[i].toFile().setExecutable(true);
                }
            } catch (IOException e) {
                throw new StorageException(describeWriteFailure(paths[i], e), e);
            }
        }
    }

    @Override
    public boolean changedOnDisk() {
        return !writable && !Arrays.deepEquals(openState, fileStates());
    }

    @Override
    public synchronized void delete() {
        close();
        var folders = new java.util.TreeSet<Path>(java.util.Comparator.reverseOrder()); // deepest first
        try {
            for (Path p : links.paths()) {
                Files.deleteIfExists(p);
                folders.add(p.getParent());
            }
            for (Path p : paths) {
                if (p != null) {
                    Files.deleteIfExists(p); // a link in a file's place goes, never what it points to
                    for (Path d = p.getParent(); d != null && d.startsWith(root); d = d.getParent()) {
                        folders.add(d);
                    }
                }
            }
            for (Path d : folders) {
                if (d.startsWith(root) && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    try (var entries = Files.list(d)) {
                        if (entries.findAny().isEmpty()) {
                            Files.delete(d);
                        }
                    }
                }
            }
            if (resumeFile != null) {
                Files.deleteIfExists(resumeFile);
            }
        } catch (IOException e) {
            throw new StorageException("cannot delete " + root + ": " + IoReasons.of(e), e);
        }
    }

    @Override
    public synchronized void close() {
        open.closeAll();
        direct.closeAll();
    }
}
