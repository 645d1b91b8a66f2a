package dev.jtorr.domain.peer;

import java.time.Instant;
import java.util.List;

/**
 * Token buckets that a transfer must satisfy all at once, such as a torrent's own limit and the total of every
 * torrent of an engine: what is available is the least any of them holds, and what is taken comes out of each.
 * Buckets may be shared between several limits. Not thread-safe: one engine thread uses it.
 */
public final class RateLimit {
    private final List<TokenBucket> buckets;

    public RateLimit(List<TokenBucket> buckets) {
        this.buckets = List.copyOf(buckets);
    }

    /** One bucket of {@code rate} bytes per second (0 for unlimited). */
    public static RateLimit of(long rate) {
        return new RateLimit(List.of(new TokenBucket(rate)));
    }

    /** Tokens available at {@code now} in every bucket; {@link Long#MAX_VALUE} when none limits. */
    public long available(Instant now) {
        long least = Long.MAX_VALUE;
        for (TokenBucket b : buckets) {
            least = Math.min(least, b.available(now));
        }
        return least;
    }

    /** Takes {@code bytes} from every bucket. */
    public void take(long bytes) {
        for (TokenBucket b : buckets) {
            b.take(bytes);
        }
    }
}
