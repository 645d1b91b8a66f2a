package dev.jtorr.application.discovery;

import java.time.Duration;
import java.time.Instant;

/**
 * When a peer source looks for peers again: every {@code interval} once a look has found some, and sooner while none
 * has: after {@code first}, then twice as long each time, up to the interval.
 */
final class RetrySchedule {
    private final Duration first;
    private final Duration interval;
    private Duration retry;

    RetrySchedule(Duration first, Duration interval) {
        this.first = first;
        this.interval = interval;
        this.retry = first;
    }

    /** The time of the next look, after one started at {@code at} that {@code found} peers or not. */
    Instant next(Instant at, boolean found) {
        if (found) {
            retry = first;
            return at.plus(interval);
        }
        Instant next = at.plus(retry);
        retry = retry.multipliedBy(2).compareTo(interval) > 0 ? interval : retry.multipliedBy(2);
        return next;
    }
}
