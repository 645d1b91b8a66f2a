package dev.jtorr.application.torrent;

import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.FileStream;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.Metainfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One file of a running torrent read while it downloads (streaming): each read claims the pieces of a read-ahead
 * window from its position on ({@link TorrentHandle#prioritize}), waits for the first of them to be verified, and
 * copies what is verified from the torrent's files. Never an unverified byte: only pieces the torrent has verified and
 * written are read.
 *
 * <p>The torrent is looked up on every read, so that a stream outlives the torrent being started again (a daemon
 * does that when its settings change): the claim then moves to the new one. Thread-safe; reads may overlap.
 */
public final class TorrentFileStream implements FileStream {
    /**
     * Bytes from a read's position on that are fetched first: a few seconds of high-bitrate video. It bounds the
     * memory a reader's pieces in progress take besides the torrent's budget.
     */
    public static final long READ_AHEAD = 8L << 20;

    private final Supplier<TorrentHandle> torrent;
    private final String path;
    /** Where the file starts in the torrent's byte stream. */
    private final long start;
    private final long length;
    private final long pieceLength;
    private final long readAhead;
    /** Guards the claim. */
    private final Object lock = new Object();
    private TorrentHandle claimedOn;
    private TorrentHandle.Priority claim;
    private int claimedFirst = -1;
    private int claimedLast = -1;
    private boolean closed;

    private TorrentFileStream(Supplier<TorrentHandle> torrent, String path, long start, long length, long pieceLength,
                              long readAhead) {
        this.torrent = torrent;
        this.path = path;
        this.start = start;
        this.length = length;
        this.pieceLength = pieceLength;
        this.readAhead = readAhead;
    }

    /**
     * File {@code index} of a torrent, numbered from 0 with BEP 47 pad files left out (as {@code files} lists them).
     *
     * @param torrent   the running torrent, looked up on every read
     * @param readAhead bytes past each read to fetch first too
     * @throws InvalidCommandException for a file number out of range
     */
    public static TorrentFileStream open(Metainfo metainfo, int index, Supplier<TorrentHandle> torrent,
                                         long readAhead) {
        List<FileEntry> files = metainfo.info().userFiles();
        if (index < 0 || index >= files.size()) {
            throw new InvalidCommandException("file " + index + " is not in the torrent (its files are numbered 0 to "
                    + (files.size() - 1) + ")");
        }
        if (readAhead < 0) {
            throw new IllegalArgumentException("negative read-ahead");
        }
        FileEntry f = files.get(index);
        return new TorrentFileStream(torrent, String.join("/", f.path()), f.offset(), f.length(),
                metainfo.info().pieceLength(), readAhead);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public long length() {
        return length;
    }

    /**
     * {@inheritDoc} Reads on past the piece under {@code position} as far as the pieces after it are verified.
     *
     * @throws IllegalStateException when the stream is closed or the torrent stopped
     */
    @Override
    public int read(long position, byte[] into, int offset, int length, Duration wait) throws InterruptedException {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        if (position >= this.length) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        TorrentHandle handle = torrent.get();
        long end = start + Math.min(this.length, position + length);
        long at = start + position;
        int first = pieceOf(at);
        // the window is the read-ahead, however much the caller asks for: its pieces may be in progress at once, past
        // the memory budget's limit, so a reader's buffer size must not set their number
        claim(handle, first, pieceOf(start + Math.min(this.length, position + Math.max(1, readAhead)) - 1));
        if (!handle.awaitPiece(first, wait)) {
            return 0;
        }
        int done = 0;
        while (at < end) {
            int piece = pieceOf(at);
            int inPiece = (int) (at - piece * pieceLength);
            int n = (int) Math.min(end - at, pieceLength - inPiece);
            Optional<ByteBuffer> bytes = handle.readVerified(piece, inPiece, n);
            if (bytes.isEmpty()) {
                break; // not verified (yet): the next read waits for it
            }
            bytes.get().get(into, offset + done, n);
            done += n;
            at += n;
        }
        return done;
    }

    private int pieceOf(long streamPosition) {
        return (int) (streamPosition / pieceLength);
    }

    /** Holds pieces {@code first..last} first on {@code handle}: a new claim, or the claim moved. */
    private void claim(TorrentHandle handle, int first, int last) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the stream of " + path + " is closed");
            }
            if (handle != claimedOn) {
                if (claim != null) {
                    claim.close();
                }
                claim = handle.prioritize(first, last);
                claimedOn = handle;
            } else if (first != claimedFirst || last != claimedLast) {
                claim.move(first, last);
            }
            claimedFirst = first;
            claimedLast = last;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (claim != null) {
                claim.close();
                claim = null;
            }
        }
    }
}
