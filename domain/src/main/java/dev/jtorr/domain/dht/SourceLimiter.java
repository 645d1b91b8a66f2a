package dev.jtorr.domain.dht;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Rate limit on the datagrams handled per source host: at most {@code perSource} in each one-second window, and at
 * most {@code total} from all sources together, so one flooding address (or many forged ones) costs bounded work and
 * memory. The counts are forgotten every window. Not thread-safe.
 */
public final class SourceLimiter {
    static final Duration WINDOW = Duration.ofSeconds(1);
    static final int MAX_SOURCES = 4_096;
    private final int perSource;
    private final int total;
    private final Map<String, int[]> counts = new HashMap<>();
    private int all;
    private Instant windowStart = Instant.MIN;

    public SourceLimiter(int perSource, int total) {
        this.perSource = perSource;
        this.total = total;
    }

    /** Counts one datagram from {@code host}; false when it is over a limit and must be dropped. */
    public boolean allow(String host, Instant now) {
        if (!now.isBefore(windowStart.plus(WINDOW)) || now.isBefore(windowStart)) {
            counts.clear();
            all = 0;
            windowStart = now;
        }
        if (all >= total) {
            return false;
        }
        int[] c = counts.get(host);
        if (c == null) {
            if (counts.size() >= MAX_SOURCES) {
                return false;
            }
            c = new int[1];
            counts.put(host, c);
        }
        if (c[0] >= perSource) {
            return false;
        }
        c[0]++;
        all++;
        return true;
    }
}
