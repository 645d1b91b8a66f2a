package dev.jtorr.adapters.net.lsd;

/**
 * Settings of the local service discovery adapter.
 *
 * @param loopbackOnly join the groups and announce on loopback interfaces only (tests set it, so that a mistake in a
 *                     test's options can never send a multicast datagram onto a real network; a loopback interface
 *                     that can multicast exists only where a test made one, in a network namespace)
 */
public record LsdConfig(boolean loopbackOnly) {
    /** The system property that turns {@code loopbackOnly} on. */
    public static final String LOOPBACK_ONLY_PROPERTY = "jtorr.lsd.loopbackOnly";

    /** Loopback-only when the system property says so. */
    public static LsdConfig fromSystemProperties() {
        return new LsdConfig(Boolean.getBoolean(LOOPBACK_ONLY_PROPERTY));
    }
}
