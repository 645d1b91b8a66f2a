package dev.jtorr.domain.peer;

import dev.jtorr.domain.piece.Blocks;

/**
 * How many block requests to keep outstanding at a peer: enough to cover the bandwidth-delay product, so the
 * pipe never runs dry between a block's arrival and the next request. The depth grows with the peer's measured
 * rate ({@code rate x queueTime / block size}), never below {@link #MIN} nor above the cap.
 *
 * <p>A peer's rate is known only after its first whole second. Until then an instance of this class does what TCP's
 * slow start does: every block that arrives lets one more request out, so the depth doubles each round trip from
 * {@link #MIN} instead of a fast peer being held to {@code MIN} for that second, while a slow peer, sending few
 * blocks, gains few requests. Not thread-safe.
 */
public final class RequestPipeline {
    /**
     * Requests in flight at a peer whose rate we do not know yet. Kept small on purpose: the simulated swarm shows
     * that 64 (1 MiB) at a slow seeder makes every leecher fetch from the seeder instead of from each other.
     */
    public static final int MIN = 16;
    /** Default cap; libtorrent accepts up to 500 queued requests per peer by default. */
    public static final int DEFAULT_MAX = 256;
    private static final double QUEUE_SECONDS = 2.0;

    private int slowStart = MIN;

    /** A block arrived from the peer whose measured rate is {@code bytesPerSecond} (0 while not yet measured). */
    public void blockReceived(long bytesPerSecond, int max) {
        if (bytesPerSecond == 0 && slowStart < max) {
            slowStart++;
        }
    }

    /** Requests to keep in flight now: the rate-based depth, or the slow-start window while the rate is unknown. */
    public int target(long bytesPerSecond, int max) {
        int byRate = depth(bytesPerSecond, max);
        return bytesPerSecond == 0 ? Math.min(max, Math.max(byRate, slowStart)) : byRate;
    }

    /**
     * How many requests to send now to a peer with {@code outstanding} in flight and a depth of {@code target}: none
     * until an eighth of the depth is free (at least one slot), then every free slot at once. Refilling after every
     * arrival sent a request or two per write at a fast peer; each write woke the connection's writer and cost a
     * send system call (and the peer a receive). The pipeline still never holds less than seven eighths of its
     * depth, and an empty one fills at once.
     */
    public static int toSend(int target, int outstanding) {
        int free = target - outstanding;
        if (free <= 0 || (outstanding > 0 && free < Math.max(1, target / 8))) {
            return 0;
        }
        return free;
    }

    /** Requests to keep in flight at a peer sending {@code bytesPerSecond}, capped at {@code max}. */
    public static int depth(long bytesPerSecond, int max) {
        long want = (long) Math.ceil(bytesPerSecond * QUEUE_SECONDS / Blocks.SIZE);
        return (int) Math.max(Math.min(MIN, max), Math.min(max, want));
    }
}
