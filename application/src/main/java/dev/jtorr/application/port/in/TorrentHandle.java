package dev.jtorr.application.port.in;

import dev.jtorr.domain.swarm.TransferStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A running download or seed. Thread-safe. */
public interface TorrentHandle extends AutoCloseable {
    /** The port peers can reach us on. */
    int port();

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

    /** Why the session stopped, if it stopped on an error (e.g. the disk is full). */
    Optional<String> failure();

    /** Stops the session: closes every connection, records resume data. */
    @Override
    void close();
}
