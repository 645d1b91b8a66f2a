package dev.jtorr.domain.peer;

import dev.jtorr.domain.piece.Blocks;

/**
 * How many block requests to keep outstanding at a peer: enough to cover the bandwidth-delay product, so the
 * pipe never runs dry between a block's arrival and the next request. The depth grows with the peer's measured
 * rate ({@code rate x queueTime / block size}), never below {@link #MIN} nor above the cap.
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

    private RequestPipeline() {
    }

    /** Requests to keep in flight at a peer sending {@code bytesPerSecond}, capped at {@code max}. */
    public static int depth(long bytesPerSecond, int max) {
        long want = (long) Math.ceil(bytesPerSecond * QUEUE_SECONDS / Blocks.SIZE);
        return (int) Math.max(Math.min(MIN, max), Math.min(max, want));
    }
}
