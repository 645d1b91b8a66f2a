package dev.jtorr.adapters.fs;

import dev.jtorr.application.port.out.ContentException;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of one torrent. Channels come from the engine's {@link FilePool}, which bounds how many are open at once;
 * reads and writes are positional, so several threads may use the storage at once. Long aligned stretches are
 * written past the page cache ({@link DirectWrites}). A folder is created once, when its first file is; a file when
 * its first verified piece is written.
 *
 * <p>Durability ({@link WriteBack}): {@link #saveResume} first makes every file written since the last record
 * durable, then writes the record, so a record never vouches for bytes the disk could still lose; {@link #finish()}
 * gives the files their exact lengths and makes them durable. A failed flush or sync deletes the record and makes
 * every later save throw, since the kernel reports a lost write only once; the next start checks every piece.
 */
final class FileTorrentStorage implements TorrentStorage {
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
    /** Read-only storage: the files' states when opened, to tell when they change behind a seed's back. */
    private final long[][] openState;
    private final FilePool pool;
    private final FilePool.Mode mode;
    private final Set<Path> madeFolders = ConcurrentHashMap.newKeySet();
    private final Flush flush;
    private final WriteBack writeBack;
    private final DirectWrites direct;
    private volatile boolean closed;
    /** Small files read ahead for a check under way ({@link #readingAhead}), or null. */
    private volatile ReadAhead readAhead;

    /**
     * @param paths     per file, where its bytes live: the file, or for a file {@code selection} leaves out the parts
     *                  file, where a byte lies at its offset in the torrent's stream (a sparse file: only the bytes of
     *                  pieces shared with a wanted file are ever written)
     */
    FileTorrentStorage(Metainfo metainfo, Path root, Path[] paths, FileSelection selection, SymbolicLinks links,
                       Path resumeFile, boolean writable, long flushEvery, Flush flush,
                       DirectWrites.Opener directOpener, FilePool pool) {
        this.root = root;
        this.selection = selection;
        this.base = new long[paths.length];
        long offset = 0;
        var elsewhere = new BitSet();
        for (int i = 0; i < paths.length; i++) {
            base[i] = selection.isWanted(i) ? 0 : offset;
            offset += metainfo.info().files().get(i).length();
            if (!selection.isWanted(i)) {
                elsewhere.set(i);
            }
        }
        this.links = links;
        this.pool = pool;
        this.flush = flush;
        this.mode = writable ? FilePool.Mode.READ_WRITE : FilePool.Mode.READ;
        this.direct = new DirectWrites(directOpener, pool);
        this.metainfo = metainfo;
        this.layout = metainfo.info().pieceLayout();
        this.files = metainfo.info().files();
        this.paths = paths;
        this.resumeFile = resumeFile;
        this.writable = writable;
        this.openState = writable ? null : fileStates();
        Path top = root.getParent() == null ? root : root.getParent();
        this.writeBack = new WriteBack(top, elsewhere, flush, flushEvery, new WriteBack.Files() {
            @Override
            public void sync(int index) throws IOException {
                syncFile(index, false);
            }

            @Override
            public void syncIfOpen(int index) throws IOException {
                syncFile(index, true);
            }
        });
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
            if (writable) {
                // checking data an earlier run wrote, which may still be in the page cache only: a record saying
                // that it verified must follow a durability point that covers it
                writeBack.changed(span.fileIndex());
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

    /**
     * Reads ahead, whole, the small files whose every byte lies in {@code pieces} (a file partly outside them would
     * be held until the end), so that a check of many small files does not open and read them one at a time.
     */
    @Override
    public ReadingAhead readingAhead(List<Integer> pieces) {
        long[] covered = new long[paths.length];
        for (int piece : pieces) {
            for (FileSpan span : layout.spans(piece)) {
                if (!span.padding()) {
                    covered[span.fileIndex()] += span.length();
                }
            }
        }
        long[] lengths = new long[paths.length];
        var files = new ArrayList<Path>(paths.length);
        for (int i = 0; i < paths.length; i++) {
            long length = this.files.get(i).length();
            boolean whole = paths[i] != null && base[i] == 0 && covered[i] == length;
            lengths[i] = whole ? length : 0;
            files.add(paths[i]);
        }
        ReadAhead ahead = ReadAhead.ofSmallFiles(files, lengths);
        if (ahead == null) {
            return () -> { };
        }
        readAhead = ahead;
        return () -> {
            readAhead = null;
            ahead.close();
        };
    }

    /** Fills {@code target} from file {@code index} at {@code position}; false when the file is missing or short. */
    private boolean readSpan(int index, long position, ByteBuffer target) {
        ReadAhead ahead = readAhead;
        if (ahead != null) {
            try {
                if (ahead.take(index, position, target.duplicate())) {
                    return true;
                }
            } catch (ContentException e) {
                // missing, shorter or unreadable: the read below says which, as it would have without reading ahead
            }
        }
        for (int attempt = 0; ; attempt++) {
            try (FilePool.Lease lease = lease(index, false)) {
                if (lease == null) {
                    return false;
                }
                return PositionalIo.readFully(lease.channel(), base[index] + position, target.duplicate());
            } catch (ClosedChannelException e) {
                if (attempt > 3 || closed) {
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
            try (FilePool.Lease lease = lease(index, true)) {
                direct.write(index, paths[index], lease.channel(), base[index] + position, data);
                writeBack.written(index, data.remaining());
                return;
            } catch (ClosedChannelException e) {
                if (attempt > 3 || closed) {
                    throw new StorageException("cannot write " + paths[index] + ": closed", e);
                }
            } catch (IOException e) {
                throw new StorageException(describeWriteFailure(paths[index], e), e);
            }
        }
    }

    /** Bytes written with direct I/O so far (for tests). */
    long directBytes() {
        return direct.directBytes();
    }

    /** How many background flushes have started (for tests). */
    int flushesStarted() {
        return writeBack.flushesStarted();
    }

    /** How written data is made durable; tests substitute a failing one or a disk that loses unsynced writes. */
    interface Flush {
        /** {@code fdatasync} per file, {@code syncfs} where native access allows it. */
        Flush DATA = new Flush() {
            @Override
            public void force(Path file, FileChannel channel) throws IOException {
                channel.force(false);
            }

            @Override
            public boolean syncFileSystem(Path anyPath) {
                return FileSystemSync.sync(anyPath);
            }
        };

        /** Makes {@code file}, open as {@code channel}, durable. */
        void force(Path file, FileChannel channel) throws IOException;

        /** Makes the whole file system holding {@code anyPath} durable, if it can; false if it cannot. */
        default boolean syncFileSystem(Path anyPath) throws IOException {
            return false;
        }
    }

    static String describeWriteFailure(Path path, IOException e) {
        String m = IoReasons.of(e);
        if (m.contains("No space left") || m.contains("Disk quota")) {
            return "the disk is full while writing " + path + " (verified pieces are kept; free some space and "
                    + "run the same command again)";
        }
        return "cannot write " + path + ": " + m;
    }

    /**
     * File {@code index}'s channel from the pool, opened (and for a write created, with its folder) if need be; null
     * when reading a file that does not exist.
     */
    private FilePool.Lease lease(int index, boolean write) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (write && !writable) {
            throw new IllegalStateException("storage opened read-only");
        }
        FilePool.Lease lease = pool.leaseIfOpen(this, index, mode);
        if (lease != null) {
            return lease;
        }
        Path p = paths[index];
        if (!write && !Files.isRegularFile(p)) {
            return null;
        }
        try {
            return pool.lease(this, index, mode, () -> {
                if (!writable) {
                    return FileChannel.open(p, StandardOpenOption.READ);
                }
                folderOf(p);
                return FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE);
            });
        } catch (NoSuchFileException e) {
            if (write) {
                throw e;
            }
            return null; // deleted since the check
        }
    }

    /** Creates {@code file}'s folder unless this storage already did. */
    private void folderOf(Path file) throws IOException {
        Path folder = file.getParent();
        if (folder == null || madeFolders.contains(folder)) {
            return;
        }
        Files.createDirectories(folder);
        for (Path d = folder; d != null && madeFolders.add(d); d = d.getParent()) {
            // its parents exist too
        }
    }

    /** Makes file {@code index} durable; one that does not exist has nothing to sync. */
    private void syncFile(int index, boolean onlyIfOpen) throws IOException {
        FilePool.Lease open = pool.leaseIfOpen(this, index, mode);
        if (open == null && !onlyIfOpen && writable && Files.exists(paths[index])) {
            open = lease(index, false);
        }
        if (open == null) {
            return;
        }
        try (FilePool.Lease lease = open) {
            flush.force(paths[index], lease.channel());
        }
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
            var changed = new BitSet();
            for (int i = 0; i < now.length; i++) {
                List<BValue> f = ((BList) recorded.get(i)).values();
                if (((BInteger) f.get(0)).value() != now[i][0] || ((BInteger) f.get(1)).value() != now[i][1]) {
                    changed.set(i);
                }
            }
            if (!changed.isEmpty()) {
                // written since the record (a download killed between two records) or changed by someone else: the
                // pieces in those files are checked again; those in files untouched since stay trusted
                for (int piece = pieces.nextSet(0); piece >= 0; piece = pieces.nextSet(piece + 1)) {
                    for (FileSpan span : layout.spans(piece)) {
                        if (!span.padding() && changed.get(span.fileIndex())) {
                            pieces.clear(piece);
                            break;
                        }
                    }
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
        try {
            writeBack.makeDurable();
        } catch (StorageException e) {
            try {
                Files.deleteIfExists(resumeFile);
            } catch (IOException ignored) {
                // the failure is what matters; a stale record is checked against the files' states anyway
            }
            throw e;
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

    /**
     * Gives every wanted file its exact length (creating empty ones, truncating longer ones) and its executable bit,
     * makes them durable, then creates the torrent's symbolic links (last: no data is written through them).
     */
    @Override
    public void finish() {
        if (writable) {
            for (int i = 0; i < files.size(); i++) {
                if (paths[i] != null && selection.isWanted(i)) {
                    finishFile(i);
                }
            }
        }
        writeBack.makeDurable();
        if (writable) {
            links.create();
        }
    }

    private void finishFile(int i) {
        long length = files.get(i).length();
        try {
            long size = size(paths[i]);
            if (size < 0 || size > length) {
                try (FilePool.Lease lease = lease(i, true)) {
                    if (size > length) {
                        lease.channel().truncate(length);
                    }
                }
                writeBack.changed(i);
            }
            if (files.get(i).isExecutable() && !Files.isExecutable(paths[i])) {
                paths[i].toFile().setExecutable(true);
            }
        } catch (IOException e) {
            throw new StorageException(describeWriteFailure(paths[i], e), e);
        }
    }

    @Override
    public boolean changedOnDisk() {
        return !writable && !Arrays.deepEquals(openState, fileStates());
    }

    @Override
    public void delete() {
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
    public void close() {
        closed = true;
        pool.closeAll(this);
        direct.closeAll();
    }
}
