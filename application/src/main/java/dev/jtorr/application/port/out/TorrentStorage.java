package dev.jtorr.application.port.out;

import dev.jtorr.domain.piece.Bitfield;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The open files of one torrent, addressed by piece. A piece's data is the concatenation of its spans in the
 * files ({@link dev.jtorr.domain.piece.PieceLayout#spans}); BEP 47 pad bytes read as zeros and are never written.
 * Thread-safe: pieces may be read and written from several threads at once.
 */
public interface TorrentStorage extends AutoCloseable {
    /**
     * Reads piece {@code piece} into {@code into} (which must have room for it).
     *
     * @return false when some file is missing or too short to hold the piece
     * @throws StorageException when a file exists but cannot be read
     */
    boolean readPiece(int piece, ByteBuffer into);

    /**
     * The caller is about to {@link #readPiece} every piece of {@code pieces}, in about that order (checking
     * existing data): the storage may read their files ahead until the returned handle is closed. Reads give the
     * same results with or without it.
     */
    default ReadingAhead readingAhead(java.util.List<Integer> pieces) {
        return () -> { };
    }

    /** Ends a {@link #readingAhead}: whatever was read ahead and not yet used is let go. */
    interface ReadingAhead extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Reads {@code length} bytes at {@code offset} inside piece {@code piece}, e.g. a block a peer asked for.
     *
     * @throws StorageException when the data cannot be read (the files changed or vanished)
     */
    ByteBuffer readBlock(int piece, int offset, int length);

    /**
     * Writes a verified piece (position to limit of {@code data}). Only ever called with data whose hash checked
     * out.
     *
     * @throws StorageException when it cannot be written, e.g. the disk is full
     */
    void writePiece(int piece, ByteBuffer data);

    /** Per file in stream order: whether it exists with at least its full length (pad files: always). */
    boolean[] filesPresent();

    /**
     * Per file in stream order: its size on disk, or -1 when it does not exist (pad files: their length). A piece
     * whose spans are not all within these sizes cannot be read, so checking existing data need not try.
     */
    long[] fileSizes();

    /**
     * The pieces recorded as verified by {@link #saveResume}, less those in a file whose size or modification time
     * differs from then (written since, or changed by someone else); empty when there is no usable record.
     */
    Optional<Bitfield> loadResume();

    /**
     * Makes every byte written so far durable, then records the verified pieces and the files' current state,
     * atomically, for a later {@link #loadResume}: a record never vouches for bytes the disk could still lose.
     *
     * @throws StorageException when written bytes could not be made durable (now or by an earlier flush); the old
     *     record is then deleted
     */
    void saveResume(Bitfield verified);

    /** The download is complete: give every file its exact length (empty files included) and make it durable. */
    void finish();

    /** Whether any file's size or modification time differs from when it was opened or last written. */
    boolean changedOnDisk();

    /**
     * Deletes what this torrent put on disk: the files it names, the folders they leave empty (up to and including the
     * torrent's own folder) and its resume record. Called after {@link #close}; files the torrent does not name are
     * never touched.
     *
     * @throws StorageException when a file cannot be deleted
     */
    void delete();

    @Override
    void close();
}
