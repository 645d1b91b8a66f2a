package dev.jtorr.application.torrent;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers we dial and when: each known address is dialled at once, and after a failure or a disconnect again
 * with exponential back-off (5 s doubling to 5 min).
 */
final class Dialer {
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private static final class State {
        boolean busy;
        int failures;
        Instant next = Instant.MIN;
    }

    private final Map<PeerAddress, State> known = new LinkedHashMap<>();

    Dialer() {
    }

    void add(PeerAddress address) {
        known.putIfAbsent(address, new State());
    }

    /** At most {@code room} addresses to dial now; they count as busy until {@link #connected}, {@link #failed} or forgotten. */
    List<PeerAddress> due(Instant now, int room) {
        if (known.isEmpty() || room <= 0) {
            return List.of(); // a seed with nobody to dial asks every second
        }
        var out = new ArrayList<PeerAddress>();
        for (var e : known.entrySet()) {
            if (out.size() >= room) {
                break;
            }
            State s = e.getValue();
            if (!s.busy && !now.isBefore(s.next)) {
                s.busy = true;
                out.add(e.getKey());
            }
        }
        return out;
    }

    void connected(PeerAddress address) {
        State s = known.get(address);
        if (s != null) {
            s.busy = true;
            s.failures = 0;
        }
    }

    void failed(PeerAddress address, Instant now) {
        State s = known.get(address);
        if (s != null) {
            s.busy = false;
            s.failures++;
            long factor = 1L << Math.min(10, s.failures - 1);
            Duration wait = FIRST_RETRY.multipliedBy(factor);
            s.next = now.plus(wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait);
        }
    }

    void disconnected(PeerAddress address, Instant now) {
        failed(address, now);
    }

    /** Never dial this address again (a banned peer). */
    void forget(PeerAddress address) {
        known.remove(address);
    }
}
