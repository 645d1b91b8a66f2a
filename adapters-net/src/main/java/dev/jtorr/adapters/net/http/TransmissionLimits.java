package dev.jtorr.adapters.net.http;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Transmission's speed limits, a value in kB/s (1000 bytes, as Transmission counts) and a switch, on top of jtorr's
 * one number in bytes per second where 0 is unlimited: the value of a switched-off limit is remembered here, so that
 * switching it on again (transmission-remote's {@code -d} after {@code -D}) brings it back. Thread-safe.
 */
final class TransmissionLimits {
    /** Transmission's speed unit in bytes. */
    static final long KB = 1000;
    /** The value Transmission shows for a limit never set. */
    static final long DEFAULT_KB = 100;
    private final Map<String, Long> remembered = new ConcurrentHashMap<>();

    /** The limit's value in kB/s as a client shows it, whether or not it is on. */
    long shownKb(String key, long currentBytes) {
        return currentBytes > 0 ? Math.max(1, (currentBytes + KB / 2) / KB) : remembered.getOrDefault(key, DEFAULT_KB);
    }

    /**
     * The new limit in bytes per second from a request's value and switch (either may be absent), or empty when it
     * stays as it is: a value alone changes a limit that is on and is remembered for one that is off.
     */
    Optional<Long> apply(String key, long currentBytes, Optional<Long> kb, Optional<Boolean> enabled) {
        kb.ifPresent(v -> remembered.put(key, v));
        if (enabled.isPresent() && !enabled.get()) {
            return Optional.of(0L);
        }
        if (enabled.isPresent()) {
            Long value = remembered.get(key);
            if (value == null) {
                return currentBytes > 0 ? Optional.empty() : Optional.of(DEFAULT_KB * KB);
            }
            // jtorr has no "limited to nothing": 0 kB/s switched on becomes the smallest limit there is
            return Optional.of(Math.max(1, value) * KB);
        }
        if (kb.isPresent() && currentBytes > 0) {
            return Optional.of(Math.max(1, kb.get()) * KB);
        }
        return Optional.empty();
    }
}
