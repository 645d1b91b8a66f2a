package dev.jtorr.domain.peer;

import java.time.Duration;
import java.time.Instant;

/**
 * A transfer rate in bytes per second, averaged over the last few seconds in one-second buckets. Time comes in
 * as a parameter, so rates are exact under simulated time. Not thread-safe.
 */
public final class RateMeter {
    private static final int BUCKETS = 5;
    private final long[] buckets = new long[BUCKETS];
    private long currentSecond = Long.MIN_VALUE;
    private long total;
    private Instant started;

    /** Counts {@code bytes} transferred at {@code now}. */
    public void add(long bytes, Instant now) {
        advance(now);
        buckets[(int) Math.floorMod(currentSecond, BUCKETS)] += bytes;
        total += bytes;
    }

    /** Bytes per second over the last {@value #BUCKETS} whole seconds (fewer while the meter is young). */
    public long rate(Instant now) {
        advance(now);
        long sum = 0;
        for (int i = 1; i < BUCKETS; i++) {
            sum += buckets[(int) Math.floorMod(currentSecond - i, BUCKETS)];
        }
        long age = Duration.between(started, now).toSeconds();
        long seconds = Math.max(1, Math.min(BUCKETS - 1, age));
        return sum / seconds;
    }

    /** Bytes counted since the meter was made. */
    public long total() {
        return total;
    }

    private void advance(Instant now) {
        long second = now.getEpochSecond();
        if (started == null) {
            started = now;
            currentSecond = second;
            return;
        }
        if (second <= currentSecond) {
            return;
        }
        long steps = Math.min(BUCKETS, second - currentSecond);
        for (long s = 1; s <= steps; s++) {
            buckets[(int) Math.floorMod(currentSecond + s, BUCKETS)] = 0;
        }
        currentSecond = second;
    }
}
