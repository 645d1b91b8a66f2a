package dev.jtorr.adapters.net.dht;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of the DHT adapter.
 *
 * @param stateFile    where the routing table is saved on exit and loaded on start; empty for nowhere
 * @param loopbackOnly send nothing to, and resolve no name of, a host that is not on this machine (tests set it, so
 *                     that a mistake in a test's options can never reach the public DHT)
 */
public record DhtConfig(Optional<Path> stateFile, boolean loopbackOnly) {
    /** The system property that turns {@code loopbackOnly} on. */
    public static final String LOOPBACK_ONLY_PROPERTY = "jtorr.dht.loopbackOnly";

    /**
     * The user's state folder ({@code $XDG_STATE_HOME/jtorr}, else {@code ~/.local/state/jtorr}) and loopback-only
     * when the system property says so.
     */
    public static DhtConfig forUser(java.util.Map<String, String> env) {
        String state = env.get("XDG_STATE_HOME");
        Path folder = state != null && !state.isBlank() ? Path.of(state, "jtorr")
                : Path.of(System.getProperty("user.home"), ".local", "state", "jtorr");
        return new DhtConfig(Optional.of(folder.resolve("dht-nodes.dat")),
                Boolean.getBoolean(LOOPBACK_ONLY_PROPERTY));
    }
}
