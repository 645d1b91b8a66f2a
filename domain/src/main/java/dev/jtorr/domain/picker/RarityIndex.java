package dev.jtorr.domain.picker;

import dev.jtorr.domain.piece.Bitfield;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * How many peers have each piece, with the pieces not yet started kept sorted by that count, so that the rarest
 * piece a peer has is found without scanning every piece.
 *
 * <p>{@code order} holds every piece index. Its first {@code active} entries are the pieces still to start, grouped
 * in buckets by availability, lowest first: bucket {@code a} is {@code order[start[a] .. start[a + 1])}, and
 * {@code start[levels] == active}. The rest are pieces we have or have started (in no particular order). A change of
 * availability moves a piece to the edge of the next bucket by one swap; taking a piece out of the buckets or putting
 * it back moves it across every bucket above its own, a swap each. Single-threaded.
 */
final class RarityIndex {
    /** Random probes into a bucket before it is scanned for the pieces a peer has. */
    private static final int PROBES = 8;

    private final int[] availability;
    private final int[] order;
    private final int[] pos;
    private int[] start = new int[8];
    private int levels = 1;
    private int active;

    /** Every piece available from no peer yet; the pieces in {@code left} are left out (we have them). */
    RarityIndex(int pieces, Bitfield left) {
        availability = new int[pieces];
        order = new int[pieces];
        pos = new int[pieces];
        int front = 0;
        int back = pieces;
        for (int p = 0; p < pieces; p++) {
            int at = left.get(p) ? --back : front++;
            order[at] = p;
            pos[p] = at;
        }
        active = front;
        start[1] = active;
    }

    int availability(int piece) {
        return availability[piece];
    }

    /** Whether some piece is still to start. */
    boolean isEmpty() {
        return active == 0;
    }

    /** Whether {@code piece} is still to start. */
    boolean isActive(int piece) {
        return pos[piece] < active;
    }

    /** One more peer has {@code piece}. */
    void increment(int piece) {
        int a = availability[piece]++;
        if (isActive(piece)) {
            ensureLevels(a + 2);
            swap(pos[piece], start[a + 1] - 1); // last of its bucket...
            start[a + 1]--;                        // ...becomes the first of the next
        }
    }

    /** One peer fewer has {@code piece} (never below zero). */
    void decrement(int piece) {
        int a = availability[piece];
        if (a == 0) {
            return;
        }
        availability[piece] = a - 1;
        if (isActive(piece)) {
            swap(pos[piece], start[a]); // first of its bucket...
            start[a]++;                 // ...becomes the last of the one below
        }
    }

    /** {@code piece} was started or is had: no longer a candidate. */
    void remove(int piece) {
        if (!isActive(piece)) {
            return;
        }
        for (int l = availability[piece]; l < levels; l++) {
            swap(pos[piece], start[l + 1] - 1);
            start[l + 1]--;
        }
        active = start[levels];
    }

    /** {@code piece} is wanted again (its data failed the hash check): a candidate once more. */
    void add(int piece) {
        if (isActive(piece)) {
            return;
        }
        int a = availability[piece];
        ensureLevels(a + 1);
        swap(pos[piece], active);
        active++;
        start[levels] = active;
        for (int l = levels - 1; l > a; l--) {
            swap(pos[piece], start[l]);
            start[l]++;
        }
    }

    /**
     * The rarest piece still to start that {@code peerHas}, ties broken uniformly at random, or -1 when the peer has
     * none of them.
     */
    int rarest(Bitfield peerHas, RandomGenerator random) {
        for (int l = 0; l < levels; l++) {
            int piece = uniformAmong(start[l], start[l + 1], peerHas, random);
            if (piece >= 0) {
                return piece;
            }
        }
        return -1;
    }

    /** Any piece still to start that {@code peerHas}, each equally likely, or -1. */
    int any(Bitfield peerHas, RandomGenerator random) {
        return uniformAmong(0, active, peerHas, random);
    }

    /**
     * A piece of {@code order[from .. to)} that {@code peerHas}, each equally likely: random probes first (a seed has
     * them all, so the first probe does), then a count and a second pass. A probe's hit is uniform among the peer's
     * pieces there, and so is the counted pick, so the result is uniform either way.
     */
    private int uniformAmong(int from, int to, Bitfield peerHas, RandomGenerator random) {
        int n = to - from;
        if (n <= 0) {
            return -1;
        }
        for (int probe = 0; probe < Math.min(PROBES, n); probe++) {
            int piece = order[from + random.nextInt(n)];
            if (peerHas.get(piece)) {
                return piece;
            }
        }
        int count = 0;
        for (int i = from; i < to; i++) {
            if (peerHas.get(order[i])) {
                count++;
            }
        }
        if (count == 0) {
            return -1;
        }
        int skip = random.nextInt(count);
        for (int i = from; ; i++) {
            if (peerHas.get(order[i]) && skip-- == 0) {
                return order[i];
            }
        }
    }

    /** At least {@code wanted} buckets; new ones are empty, at the top. */
    private void ensureLevels(int wanted) {
        if (wanted <= levels) {
            return;
        }
        if (wanted + 1 > start.length) {
            start = Arrays.copyOf(start, Math.max(wanted + 1, start.length * 2));
        }
        for (int l = levels + 1; l <= wanted; l++) {
            start[l] = active;
        }
        levels = wanted;
    }

    private void swap(int i, int j) {
        int a = order[i];
        int b = order[j];
        order[i] = b;
        order[j] = a;
        pos[b] = i;
        pos[a] = j;
    }
}
