package dev.jtorr.domain.choke;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * How many peers to unchoke at once: a number the user fixed, or one that follows the upload capacity. Automatic
 * slots grow while the upload is not held back by a rate limit, every slot is in use, peers wait for one, and the
 * last slot opened raised the upload rate (the peers already unchoked could not take more, as libtorrent's
 * rate-based choker and Transmission's open-up-to-the-limit assume); a slot that adds no rate is closed again, and
 * then as many more as the upload does without (fewer peers at once each get their pieces sooner), after which no
 * probe is made for a while. A probe opens several slots at once (four, doubling after each probe that paid off,
 * keeping only as many as added rate), so that a crowd arriving at a seed is served at once. Time comes in as a parameter; single-threaded.
 */
public final class UploadSlots {
    /** Slots an automatic count starts with (libtorrent's default number of unchoke slots). */
    public static final int AUTOMATIC_START = 8;
    /** Slots an automatic count never goes beyond. */
    public static final int AUTOMATIC_MAX = 100;
    /** The rate is measured over this long, before a change and again after it has settled. */
    static final Duration WINDOW = Duration.ofSeconds(2);
    /** After a change, the rate needs this long to follow before it is measured. */
    static final Duration SETTLE = Duration.ofSeconds(1);
    /** Slots the first probe opens: a crowd that arrives at an idle seed is served at once. */
    static final int FIRST_STEP = 4;
    /** Samples of the upload counter are taken at most this often, however often the count is looked at. */
    static final Duration SAMPLE_EVERY = Duration.ofMillis(900);
    /** After a slot that added nothing, no other is tried for this long. */
    static final Duration HOLD_OFF = Duration.ofSeconds(30);

    /** One look at the upload counter. */
    private record Sample(Instant at, long bytes) {
    }

    private final boolean automatic;
    private final int min;
    private final int max;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private int slots;
    /** Slots opened by the probe under way; 0 when none is. */
    private int probe;
    /** Slots the next probe opens: doubles after each that paid off, one after one that did not. */
    private int step = FIRST_STEP;
    private long rateBefore;
    private Instant changed = Instant.MIN;
    private Instant holdUntil = Instant.MIN;
    /** Whether any probe has opened slots yet. */
    private boolean probed;

    private UploadSlots(boolean automatic, int start, int min, int max) {
        this.automatic = automatic;
        this.slots = start;
        this.min = min;
        this.max = max;
    }

    /** Always {@code n} slots. */
    public static UploadSlots fixed(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one upload slot");
        }
        return new UploadSlots(false, n, n, n);
    }

    /** Slots that follow the upload capacity, from {@code start} within {@code min}..{@code max}. */
    public static UploadSlots automatic(int start, int min, int max) {
        if (min < 1 || start < min || max < start) {
            throw new IllegalArgumentException("need 1 <= min <= start <= max, got " + min + ", " + start + ", "
                    + max);
        }
        return new UploadSlots(true, start, min, max);
    }

    /** {@link #AUTOMATIC_START} slots to begin with, between 2 and {@link #AUTOMATIC_MAX}. */
    public static UploadSlots automatic() {
        return automatic(AUTOMATIC_START, 2, AUTOMATIC_MAX);
    }

    public boolean isAutomatic() {
        return automatic;
    }

    /** Peers to unchoke at once, the optimistic one included. */
    public int slots() {
        return slots;
    }

    /**
     * Looks at the upload, at least once a second and whenever peers come or go; an automatic count may change.
     *
     * @param uploaded  payload bytes uploaded so far (a counter that only grows)
     * @param limited   a rate limit held back data since the last call: the upload is saturated
     * @param unchoked  peers unchoked now
     * @param waiting   interested peers that are choked
     */
    public void update(Instant now, long uploaded, boolean limited, int unchoked, int waiting) {
        if (!automatic) {
            return;
        }
        if (samples.isEmpty() || !now.isBefore(samples.getLast().at().plus(SAMPLE_EVERY))) {
            samples.addLast(new Sample(now, uploaded));
            while (samples.size() > 16) {
                samples.removeFirst();
            }
        }
        if (changed.equals(Instant.MIN)) {
            changed = now; // the rate is measured from here
        }
        if (probe != 0) {
            Instant settled = changed.plus(SETTLE);
            if (now.isBefore(settled.plus(WINDOW))) {
                return;
            }
            long after = rate(now, uploaded, settled);
            if (probe > 0) {
                judgeOpened(now, after, unchoked, waiting, limited);
            } else {
                judgeClosed(now, after);
            }
            return;
        }
        if (limited) {
            step = 1;
        }
        // the first probe does not wait for a whole window of rate: a crowd may arrive as the seed starts
        if ((!probed || !now.isBefore(changed.plus(WINDOW))) && canGrow(now, unchoked, waiting, limited)) {
            open(now, rate(now, uploaded, changed));
        }
    }

    /** The slots a probe opened have run a window: keep those that added rate. */
    private void judgeOpened(Instant now, long after, int unchoked, int waiting, boolean limited) {
        int opened = probe;
        probe = 0;
        if (unchoked < slots) {
            return; // no peer took the new slots: nothing learnt, and they cost nothing while empty
        }
        // each slot that takes a full share adds rateBefore / before: keep as many as paid off
        int before = slots - opened;
        int paid = rateBefore == 0 ? (after > 0 ? opened : 0) : (int) Math.clamp(shares(after - rateBefore, before),
                0, opened);
        slots = Math.max(min, before + paid);
        if (paid == 0 && slots > min) {
            // the upload is full: maybe with fewer slots too (each peer then gets its pieces sooner)
            close(now, after, opened);
        } else if (paid < opened) {
            settle(now);
        } else {
            step = Math.min(step * 2, 16);
            if (canGrow(now, unchoked, waiting, limited)) {
                open(now, after); // the window just measured is the new count's rate: no need to wait
            } else {
                changed = now;
            }
        }
    }

    /** The slots a probe closed have been closed a window: open again as many as the rate lost. */
    private void judgeClosed(Instant now, long after) {
        int closed = -probe;
        probe = 0;
        // the slots still open each carry after / slots: reopen as many as the rate lost
        int lost = after == 0 ? closed : (int) Math.clamp(((rateBefore - after) * slots * 2 / after + 1) / 2, 0,
                closed);
        slots += lost;
        if (lost == 0 && slots > min) {
            close(now, after, closed);
        } else {
            settle(now);
        }
    }

    /** How many of {@code slots} equal shares of the rate {@code delta} is, rounded. */
    private long shares(long delta, int slots) {
        return (delta * slots * 2 / rateBefore + 1) / 2;
    }

    /** No probe for {@link #HOLD_OFF}: the count pays off as it is. */
    private void settle(Instant now) {
        step = 1;
        holdUntil = now.plus(HOLD_OFF);
        changed = now;
    }

    /** Closes {@code n} slots (fewer at the minimum) to see whether the upload keeps its rate without them. */
    private void close(Instant now, long rate, int n) {
        rateBefore = rate;
        probe = -Math.min(n, slots - min);
        slots += probe;
        step = 1;
        changed = now;
    }

    private boolean canGrow(Instant now, int unchoked, int waiting, boolean limited) {
        return unchoked >= slots && waiting > 0 && !limited && slots < max && !now.isBefore(holdUntil);
    }

    /** Opens the next probe's slots, the upload having run at {@code rate} with the slots before it. */
    private void open(Instant now, long rate) {
        probed = true;
        rateBefore = rate;
        probe = Math.min(step, max - slots); // slots no peer takes yet cost nothing, and wait for the next to come
        slots += probe;
        changed = now;
    }

    /**
     * Bytes per second over about the last {@link #WINDOW}, counting from no sample before {@code from}; over less
     * when the samples since then cover less.
     */
    private long rate(Instant now, long uploaded, Instant from) {
        Sample start = null;
        for (Sample s : samples) {
            if (s.at().isBefore(from)) {
                continue;
            }
            if (start == null || !s.at().isAfter(now.minus(WINDOW))) {
                start = s;
            }
        }
        if (start == null || !start.at().isBefore(now)) {
            return 0;
        }
        return (uploaded - start.bytes()) * 1000 / Duration.between(start.at(), now).toMillis();
    }
}
