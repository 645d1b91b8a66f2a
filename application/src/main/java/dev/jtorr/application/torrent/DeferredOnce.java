package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.Scheduler;
import java.time.Duration;

/**
 * An action run once, {@code delay} after it is first asked for, however often it is asked for meanwhile (a rate
 * limit's "try again when the bucket has refilled a little"). On the session's thread.
 */
final class DeferredOnce {
    private final Scheduler loop;
    private final Duration delay;
    private final Runnable action;
    private boolean scheduled;

    DeferredOnce(Scheduler loop, Duration delay, Runnable action) {
        this.loop = loop;
        this.delay = delay;
        this.action = action;
    }

    void request() {
        if (!scheduled) {
            scheduled = true;
            loop.after(delay, () -> {
                scheduled = false;
                action.run();
            });
        }
    }
}
