package dev.jtorr.application.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which torrents changed after a cursor: every change takes the next number of one counter and is recorded against
 * its torrent, so a client that gives the last cursor it saw is sent only the torrents changed since (and the ids of
 * those removed since), however many there are. Memory is one number per torrent plus one per removal, the oldest
 * removals forgotten beyond {@value #REMOVALS_KEPT} (a client further behind gets everything again).
 *
 * <p>Thread-safe; {@link #since} may wait for a change.
 */
final class ChangeFeed {
    static final int REMOVALS_KEPT = 10_000;
    /** Starts at 1: a cursor of 0 always asks for everything, so no answer may give it. */
    private long counter = 1;
    /** The version at which each torrent last changed, in the order they changed last. */
    private final Map<String, Long> versions = new LinkedHashMap<>();
    private final Map<String, Object> lastSeen = new HashMap<>();
    private final LinkedHashMap<String, Long> removals = new LinkedHashMap<>();
    /** The oldest cursor the removals still cover. */
    private long removalsFrom;

    /** What changed after a cursor. */
    record Since(long cursor, boolean full, List<String> changed, List<String> removed) {
    }

    private final dev.jtorr.application.port.out.TimeSource time;

    ChangeFeed(dev.jtorr.application.port.out.TimeSource time) {
        this.time = time;
    }

    synchronized void changed(String id) {
        versions.remove(id);
        versions.put(id, ++counter);
        removals.remove(id);
        lastSeen.remove(id);
        notifyAll();
    }

    /** Records a change only when {@code view} differs from the last one given for the torrent. */
    synchronized void changedIfDifferent(String id, Object view) {
        if (Objects.equals(lastSeen.get(id), view)) {
            return;
        }
        changed(id);
        lastSeen.put(id, view);
    }

    synchronized void removed(String id) {
        versions.remove(id);
        lastSeen.remove(id);
        removals.put(id, ++counter);
        if (removals.size() > REMOVALS_KEPT) {
            var oldest = removals.entrySet().iterator().next();
            removalsFrom = oldest.getValue();
            removals.remove(oldest.getKey());
        }
        notifyAll();
    }

    synchronized long version(String id) {
        return versions.getOrDefault(id, 0L);
    }

    /**
     * The torrents changed and removed after {@code cursor}, waiting up to {@code wait} for one. A cursor of 0, one
     * older than the removals remembered, or one this feed never gave (a daemon restarted since) gets every torrent,
     * {@code full}: the client replaces what it holds.
     */
    synchronized Since since(long cursor, Duration wait) throws InterruptedException {
        java.time.Instant deadline = time.now().plus(wait);
        while (cursor > 0 && counter == cursor) {
            long left = Duration.between(time.now(), deadline).toMillis();
            if (left <= 0) {
                return new Since(counter, false, List.of(), List.of());
            }
            wait(left);
        }
        boolean complete = cursor <= 0 || cursor < removalsFrom || cursor > counter;
        var changed = new ArrayList<String>();
        versions.forEach((id, v) -> {
            if (complete || v > cursor) {
                changed.add(id);
            }
        });
        var removed = new ArrayList<String>();
        removals.forEach((id, v) -> {
            if (!complete && v > cursor) {
                removed.add(id);
            }
        });
        return new Since(counter, complete, changed, removed);
    }
}
