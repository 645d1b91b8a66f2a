package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.PieceStorage;
import dev.jtorr.application.port.out.StorageException;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.FileSpan;
import dev.jtorr.domain.piece.PieceLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Torrent data in memory, one byte stream per content path (pad bytes included), with which pieces hold data.
 * Thread-safe.
 */
public final class InMemoryPieceStorage implements PieceStorage {
    private final Map<Path, Content> contents = new HashMap<>();
    private Throwable writeFailure;

    private int writesBeforeFailure;

    /** Every later piece write throws {@code failure} (a bug or the heap running out, not a storage error). */
    public synchronized void failWritesWith(Throwable failure) {
        failWritesAfter(0, failure);
    }

    /** The next {@code okWrites} piece writes succeed, every later one throws {@code failure} (a disk filling up). */
    public synchronized void failWritesAfter(int okWrites, Throwable failure) {
        this.writesBeforeFailure = okWrites;
        this.writeFailure = failure;
    }

    private static final class Content {
        final byte[] stream;
        final Bitfield written;
        Bitfield resume;
        int writes;

        Content(int length, int pieces) {
            stream = new byte[length];
            written = new Bitfield(pieces);
        }
    }

    /** Puts a complete copy of the torrent's stream at {@code content}, as a seeder has it. */
    public synchronized void seed(Path content, Metainfo metainfo, byte[] stream) {
        var c = content(content, metainfo);
        System.arraycopy(stream, 0, c.stream, 0, stream.length);
        for (int i = 0; i < c.written.size(); i++) {
            c.written.set(i);
        }
    }

    /** Whether anything is stored at {@code content} (deleted data is not). */
    public synchronized boolean has(Path content) {
        return contents.containsKey(content);
    }

    /** Damages piece {@code piece} at {@code content}: its first byte flips, as a failing disk or a user might. */
    public synchronized void damage(Path content, Metainfo metainfo, int piece) {
        contents.get(content).stream[(int) (piece * metainfo.info().pieceLength())] ^= 1;
    }

    /** The stream at {@code content}; zeros where nothing was written. */
    public synchronized byte[] stream(Path content) {
        return contents.get(content).stream.clone();
    }

    /** Which pieces have been written at {@code content}. */
    public synchronized Bitfield written(Path content) {
        return contents.get(content).written.copy();
    }

    /** The resume data last saved for {@code content}, if any. */
    public synchronized Optional<Bitfield> resume(Path content) {
        return Optional.ofNullable(contents.get(content).resume).map(Bitfield::copy);
    }

    /** Pieces written at {@code content} since it was created. */
    public synchronized int writes(Path content) {
        return contents.get(content).writes;
    }

    private Content content(Path path, Metainfo m) {
        return contents.computeIfAbsent(path, p -> new Content((int) m.info().streamLength(),
                m.info().pieceCount()));
    }

    @Override
    public synchronized TorrentStorage open(Metainfo metainfo, Path path, boolean create,
                                            java.util.Optional<Path> resumeFolder,
                                            dev.jtorr.domain.metainfo.FileSelection selection) {
        if (!create && !contents.containsKey(path)) {
            throw new StorageException("no data at " + path);
        }
        Content c = content(path, metainfo);
        PieceLayout layout = metainfo.info().pieceLayout();
        return new TorrentStorage() {
            public boolean readPiece(int piece, ByteBuffer into) {
                synchronized (InMemoryPieceStorage.this) {
                    if (!c.written.get(piece)) {
                        return false;
                    }
                    for (FileSpan s : layout.spans(piece)) {
                        // the stream holds files at their offsets; a span's stream position is recomputed here
                        into.put(c.stream, (int) (piece * layout.pieceLength() + offsetIn(piece, s)), s.length());
                    }
                    return true;
                }
            }

            private long offsetIn(int piece, FileSpan span) {
                long at = 0;
                for (FileSpan s : layout.spans(piece)) {
                    if (s.equals(span)) {
                        return at;
                    }
                    at += s.length();
                }
                throw new IllegalStateException();
            }

            public ByteBuffer readBlock(int piece, int offset, int length) {
                synchronized (InMemoryPieceStorage.this) {
                    if (!c.written.get(piece)) {
                        throw new StorageException("piece " + piece + " not stored");
                    }
                    byte[] out = new byte[length];
                    System.arraycopy(c.stream, (int) (piece * layout.pieceLength() + offset), out, 0, length);
                    return ByteBuffer.wrap(out).asReadOnlyBuffer();
                }
            }

            public void writePiece(int piece, ByteBuffer data) {
                synchronized (InMemoryPieceStorage.this) {
                    if (writeFailure != null && writesBeforeFailure-- <= 0) {
                        if (writeFailure instanceof RuntimeException e) {
                            throw e;
                        }
                        if (writeFailure instanceof Error e) {
                            throw e;
                        }
                    }
                    data.duplicate().get(c.stream, (int) (piece * layout.pieceLength()), data.remaining());
                    c.written.set(piece);
                    c.writes++;
                }
            }

            public boolean[] filesPresent() {
                boolean[] all = new boolean[metainfo.info().files().size()];
                java.util.Arrays.fill(all, true);
                return all;
            }

            /** Like files on disk, which a download creates with its first verified piece: none before that. */
            public long[] fileSizes() {
                synchronized (InMemoryPieceStorage.this) {
                    var files = metainfo.info().files();
                    long[] sizes = new long[files.size()];
                    for (int i = 0; i < sizes.length; i++) {
                        sizes[i] = c.written.count() == 0 && !files.get(i).isPadding() ? -1 : files.get(i).length();
                    }
                    return sizes;
                }
            }

            public Optional<Bitfield> loadResume() {
                synchronized (InMemoryPieceStorage.this) {
                    return Optional.ofNullable(c.resume).map(Bitfield::copy);
                }
            }

            public void saveResume(Bitfield verified) {
                synchronized (InMemoryPieceStorage.this) {
                    c.resume = verified.copy();
                }
            }

            public void finish() {
            }

            public boolean changedOnDisk() {
                return false;
            }

            public void delete() {
                synchronized (InMemoryPieceStorage.this) {
                    contents.remove(path);
                }
            }

            public void close() {
            }
        };
    }
}
