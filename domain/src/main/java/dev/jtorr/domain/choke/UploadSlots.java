package dev.jtorr.domain.choke;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * How many peers to unchoke at once: a number the user fixed, or one that follows the upload capacity. Automatic
 * slots grow while the upload is not held back by a rate limit, every slot is in use, peers wait for one, and the
 * last slot opened raised the upload rate (the peers already unchoked could not take more, as libtorrent's
 * rate-based choker and Transmission's open-up-to-the-limit assume); a slot that adds no rate is closed again and
 * no other is tried for a while. Growth doubles after each slot that paid off, so that a crowd arriving at a seed is
 * served in seconds. Time comes in as a parameter; single-threaded.
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
    /** Slots the next probe opens: doubles after each that paid off. */
    private int step = 1;
    private long rateBefore;
    private Instant changed = Instant.MIN;
    private Instant holdUntil = Instant.MIN;

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
     * Looks at the upload, about once a second; an automatic count may change.
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
        samples.addLast(new Sample(now, uploaded));
        while (samples.size() > 16) {
            samples.removeFirst();
        }
        if (changed.equals(Instant.MIN)) {
            changed = now; // the rate is measured from here
        }
        if (probe > 0) {
            Instant settled = changed.plus(SETTLE);
            if (now.isBefore(settled.plus(WINDOW))) {
                return;
            }
            int opened = probe;
            probe = 0;
            if (unchoked < slots) {
                return; // no peer took the new slots: nothing learnt, and they cost nothing while empty
            }
            // each slot that takes a full share adds rateBefore / before: keep as many as paid off
            int before = slots - opened;
            long after = rate(now, uploaded, settled);
            int paid = rateBefore == 0 ? (after > 0 ? opened : 0)
                    : (int) Math.clamp(((after - rateBefore) * before * 2 / rateBefore + 1) / 2, 0, opened);
            slots = Math.max(min, before + paid);
            if (paid < opened) {
                step = 1;
                holdUntil = now.plus(HOLD_OFF);
                changed = now;
                return;
            }
            step = Math.min(step * 2, 16);
            if (canGrow(now, unchoked, waiting, limited)) {
                open(now, after, waiting); // the window just measured is the new count's rate: no need to wait
            } else {
                changed = now;
            }
            return;
        }
        if (unchoked < slots || waiting == 0 || limited) {
            step = 1;
        }
        if (!now.isBefore(changed.plus(WINDOW)) && canGrow(now, unchoked, waiting, limited)) {
            open(now, rate(now, uploaded, changed), waiting);
        }
    }

    private boolean canGrow(Instant now, int unchoked, int waiting, boolean limited) {
        return unchoked >= slots && waiting > 0 && !limited && slots < max && !now.isBefore(holdUntil);
    }

    /** Opens the next probe's slots, the upload having run at {@code rate} with the slots before it. */
    private void open(Instant now, long rate, int waiting) {
        rateBefore = rate;
        probe = Math.min(Math.min(step, waiting), max - slots);
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
