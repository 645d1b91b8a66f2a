package dev.jtorr.application.torrent;

import dev.jtorr.domain.choke.UploadSlots;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * An engine's upload slots, shared by its torrents (a global unchoke limit, as in libtorrent and Transmission): the
 * total, fixed or following the engine's upload capacity ({@link UploadSlots}), and how many each torrent holds. A
 * torrent may fill the slots the others leave free, and is always allowed a fair share of the total, so that a torrent
 * that took every slot while alone gives some back (at its next refill) when another needs them. Engine thread only.
 */
public final class SlotPool {
    /** A rate limit that held data back this recently saturates the upload. */
    private static final Duration LIMITED_FOR = Duration.ofSeconds(1);

    /** What one torrent holds and wants. */
    private static final class Holder {
        int unchoked;
        int waiting;
    }

    private final UploadSlots total;
    private final Map<Object, Holder> holders = new IdentityHashMap<>();
    private long uploaded;
    private Instant lastLimited = Instant.MIN;

    public SlotPool(UploadSlots total) {
        this.total = total;
    }

    /** The engine's total now. */
    public int total() {
        return total.slots();
    }

    /** Slots {@code torrent} may fill now, at most {@code cap} (its own fixed number, or unbounded). */
    int allowance(Object torrent, int cap) {
        Holder me = holders.get(torrent);
        int mine = me == null ? 0 : me.unchoked;
        int others = 0;
        int wanting = 0;
        for (Holder h : holders.values()) {
            others += h.unchoked;
            if (h.unchoked > 0 || h.waiting > 0) {
                wanting++;
            }
        }
        others -= mine;
        int share = Math.max(1, (total.slots() + Math.max(1, wanting) - 1) / Math.max(1, wanting));
        return Math.min(cap, Math.max(share, total.slots() - others));
    }

    /** {@code torrent} unchokes {@code unchoked} peers now; {@code waiting} more are interested but choked. */
    void holds(Object torrent, int unchoked, int waiting) {
        Holder h = holders.computeIfAbsent(torrent, t -> new Holder());
        h.unchoked = unchoked;
        h.waiting = waiting;
    }

    /** {@code torrent} has stopped or lost its peers: it holds nothing. */
    void release(Object torrent) {
        holders.remove(torrent);
    }

    /** Payload handed to peers, counted towards the engine's upload rate. */
    void uploaded(long bytes) {
        uploaded += bytes;
    }

    /** A rate limit held data back at {@code now}: the upload is saturated. */
    void limited(Instant now) {
        lastLimited = now;
    }

    /** Lets an automatic total follow the upload: every second, and when a torrent's peers come or go. */
    void tick(Instant now) {
        int unchoked = 0;
        int waiting = 0;
        for (Holder h : holders.values()) {
            unchoked += h.unchoked;
            waiting += h.waiting;
        }
        total.update(now, uploaded, now.isBefore(lastLimited.plus(LIMITED_FOR)), unchoked, waiting);
    }
}
