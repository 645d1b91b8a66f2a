package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.Scheduler;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * An action run once, {@code delay} after it is first asked for, however often it is asked for meanwhile (a rate
 * limit's "try again when the bucket has refilled a little"). The delay gets up to as much again at random: torrents
 * sharing the engine's bucket then take turns at it, where fixed delays let the same one find it refilled first every
 * time and starve the others. On the engine's thread.
 */
final class DeferredOnce {
    private final Scheduler loop;
    private final Duration delay;
    private final Runnable action;
    private final RandomGenerator random;
    private boolean scheduled;

    DeferredOnce(Scheduler loop, Duration delay, RandomGenerator random, Runnable action) {
        this.loop = loop;
        this.delay = delay;
        this.random = random;
        this.action = action;
    }

    void request() {
        if (!scheduled) {
            scheduled = true;
            loop.after(delay.plusNanos(random.nextLong(delay.toNanos() + 1)), () -> {
                scheduled = false;
                action.run();
            });
        }
    }
}
