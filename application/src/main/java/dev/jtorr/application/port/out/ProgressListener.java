package dev.jtorr.application.port.out;

import dev.jtorr.domain.swarm.TransferStatus;

/**
 * Where long-running use cases report progress; adapters display it. {@link #hashing} is called from the thread
 * that runs the use case; {@link #event} (and through it {@link #transfer} and {@link #notice}) from the engine's thread, about once a
 * second and on events. Implementations must return quickly.
 */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    /** Hashing content: {@code bytesDone} of {@code bytesTotal}. */
    default void hashing(long bytesDone, long bytesTotal) {
    }

    /** Where a download or seed stands. */
    default void transfer(TransferStatus status) {
    }

    /** Something the user may want to know: a peer banned, a piece failed, a file changed. */
    default void notice(String message) {
    }

    /**
     * An engine's event; by default its progress goes to {@link #transfer} and its notices to {@link #notice}, the
     * rest is ignored. A listener that shows several torrents at once tells them apart by {@link EngineEvent#torrent}.
     */
    default void event(EngineEvent event) {
        switch (event) {
            case EngineEvent.Progress p -> transfer(p.status());
            case EngineEvent.Notice n -> notice(n.message());
            default -> { }
        }
    }
}
