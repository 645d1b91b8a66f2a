package dev.jtorr.application.port.out;

import java.time.Instant;

/** The current time; the application never reads the clock itself, so tests can run in simulated time. */
public interface TimeSource {
    Instant now();

    /** Monotonic nanoseconds, for measuring intervals. */
    long nanoTime();
}
