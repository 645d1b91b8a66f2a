package dev.jtorr.application.port.in;

import dev.jtorr.domain.swarm.TransferStatus;
import dev.jtorr.domain.torrent.TorrentLifecycle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A running download or seed. Thread-safe. */
public interface TorrentHandle extends AutoCloseable {
    /** The torrent's id: its v1 info-hash in hex (the truncated v2 one for a v2-only torrent). */
    String id();

    /** The torrent's name, as its info dictionary gives it. */
    String name();

    /** The port peers can reach us on (the engine's one listening port, shared by all its torrents). */
    int port();

    /** Where the torrent is in its life. */
    TorrentLifecycle.State state();

    TransferStatus status();

    /**
     * Waits until every wanted byte is verified (a seed is complete from the start), the session stops, or the
     * timeout passes.
     *
     * @return whether the torrent is complete
     */
    boolean awaitComplete(Duration timeout) throws InterruptedException;

    /** Waits until the session has stopped (a seed runs until {@link #close}; a download stops when complete). */
    void awaitStopped() throws InterruptedException;

    /**
     * Bytes exchanged with one peer over the session's life; {@code encryption} as {@link
     * dev.jtorr.domain.wire.Encryption#label()} of the connection that first carried payload.
     */
    record PeerStats(String address, String client, String peerId, String encryption, long downloaded,
                     long uploaded) {
    }

    /** Every peer that sent or received payload so far, connected or not (updated about once a second). */
    List<PeerStats> peers();

    /**
     * A tracker as the torrent last heard from it.
     *
     * @param tier         its tier, from 0
     * @param lastAnnounce when it was last asked (and answered or failed)
     * @param error        why the last announce failed, if it did
     * @param seeders      seeders it counted in its last answer (-1 before one)
     * @param leechers     leechers it counted in its last answer (-1 before one)
     * @param peers        peers its last answer gave
     * @param nextAnnounce when it will be asked next, if known
     */
    record TrackerStatus(String url, int tier, Optional<java.time.Instant> lastAnnounce, Optional<String> error,
                         int seeders, int leechers, int peers, Optional<java.time.Instant> nextAnnounce) {
    }

    /** The torrent's trackers in tier order, as of the last second (the v1 swarm's for a hybrid torrent). */
    List<TrackerStatus> trackers();

    /** The pieces verified, as of the last second (empty before the torrent's data is checked). */
    dev.jtorr.domain.piece.Bitfield verifiedPieces();

    /**
     * Streaming: pieces {@code firstPiece..lastPiece} (both included) are asked for before any other piece until the
     * returned claim is closed; several claims may be held at once, the oldest first. Pieces of files not wanted are
     * not fetched for a claim. Returns at once; the claim takes effect on the engine's thread.
     *
     * @throws IllegalArgumentException for pieces not in the torrent
     */
    Priority prioritize(int firstPiece, int lastPiece);

    /** A claim that some pieces go first ({@link #prioritize}). Thread-safe. */
    interface Priority extends AutoCloseable {
        /** Moves the claim to pieces {@code firstPiece..lastPiece}, keeping its place among the claims. */
        void move(int firstPiece, int lastPiece);

        /** The pieces go back to their usual order. */
        @Override
        void close();
    }

    /** Whether {@code piece} is verified (and written) now, not as of the last second. */
    boolean pieceVerified(int piece);

    /**
     * Waits up to {@code timeout} for {@code piece} to be verified and written.
     *
     * @return whether it is
     * @throws IllegalStateException when the torrent stopped (then it will not be)
     */
    boolean awaitPiece(int piece, Duration timeout) throws InterruptedException;

    /**
     * Reads {@code length} bytes at {@code offset} inside {@code piece} from the torrent's files, on the caller's
     * thread, if the piece is verified: never a byte of a piece that is not.
     *
     * @return the bytes, or empty when the piece is not verified
     * @throws IllegalStateException when the torrent stopped
     * @throws dev.jtorr.application.port.out.StorageException when the files cannot be read
     */
    Optional<ByteBuffer> readVerified(int piece, int offset, int length);

    /** Why the session stopped, if it stopped on an error (e.g. the disk is full). */
    Optional<String> failure();

    /**
     * Pauses the torrent: every connection closes and no peer is dialled or accepted until {@link #resume}; what is
     * verified stays. Does nothing unless it is downloading or seeding.
     */
    void pause();

    /** Takes up a paused torrent where it left off. */
    void resume();

    /**
     * Checks the torrent's data again, every wanted piece hashed (the resume record not trusted), then goes on from
     * what is there: missing or damaged pieces are downloaded again. The peers are let go while it checks.
     */
    void recheck();

    /** Stops the torrent and takes it out of its engine: closes every connection, records resume data. */
    @Override
    void close();

    /**
     * Takes the torrent out of its engine as {@link #close} does; with {@code deleteData}, then deletes its files (the
     * ones the torrent names, and the folders they leave empty) and its resume record.
     */
    void remove(boolean deleteData);
}
