package dev.jtorr.domain.peer;

import java.time.Duration;
import java.time.Instant;

/**
 * A rate limit on bytes: tokens accrue at {@code rate} per second up to a quarter of a second's worth (and always
 * room for one 16 KiB block), and each byte sent or asked for takes one. A rate of 0 means no limit. Time comes in
 * as a parameter; not thread-safe (one session's thread uses it).
 */
public final class TokenBucket {
    private static final double MIN_BURST = 16 * 1024;
    private long rate;
    private double tokens;
    private Instant at;

    /** @param rate bytes per second; 0 for unlimited */
    public TokenBucket(long rate) {
        if (rate < 0) {
            throw new IllegalArgumentException("negative rate");
        }
        this.rate = rate;
    }

    /** Changes the rate from now on (0 for unlimited); tokens held stay, up to the new burst. */
    public void rate(long newRate) {
        if (newRate < 0) {
            throw new IllegalArgumentException("negative rate");
        }
        rate = newRate;
        tokens = Math.min(tokens, Math.max(newRate / 4.0, MIN_BURST));
    }

    /** Bytes per second, 0 for unlimited. */
    public long rate() {
        return rate;
    }

    public boolean limited() {
        return rate > 0;
    }

    /** Tokens available at {@code now} (refilled first); {@link Long#MAX_VALUE} when unlimited. */
    public long available(Instant now) {
        if (rate == 0) {
            return Long.MAX_VALUE;
        }
        if (at != null) {
            double seconds = Duration.between(at, now).toNanos() / 1e9;
            tokens = Math.min(Math.max(rate / 4.0, MIN_BURST), tokens + Math.max(0, seconds) * rate);
        }
        at = now;
        return (long) tokens;
    }

    /** Takes {@code bytes} tokens (after {@link #available} said they are there). */
    public void take(long bytes) {
        if (rate > 0) {
            tokens -= bytes;
        }
    }
}
