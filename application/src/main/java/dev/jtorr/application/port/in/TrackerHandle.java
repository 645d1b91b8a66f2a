package dev.jtorr.application.port.in;

import dev.jtorr.domain.tracker.TrackerStatistics;
import java.util.OptionalInt;

/** A running tracker. Thread-safe. */
public interface TrackerHandle extends AutoCloseable {
    /** The HTTP port served, when HTTP is on. */
    OptionalInt httpPort();

    /** The UDP port served, when UDP is on. */
    OptionalInt udpPort();

    TrackerStatistics statistics();

    /** Waits until {@link #close} has been called and the listeners are closed. */
    void awaitStopped() throws InterruptedException;

    @Override
    void close();
}
