package dev.jtorr.application.port.in;

import dev.jtorr.domain.piece.Digest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How to run a tracker.
 *
 * @param bindAddress local address to serve on, empty for every interface
 * @param httpPort    TCP port for HTTP, 0 for any free one, -1 for no HTTP
 * @param udpPort     UDP port, 0 for any free one, -1 for no UDP
 * @param interval    the re-announce interval handed to clients; peers silent for twice as long (plus a minute)
 *                    are forgotten
 * @param maxNumWant  peers per reply at most
 * @param allowList   when present, only these info-hashes (20 bytes; a v2 hash truncated) are tracked
 */
public record ServeTrackerCommand(String bindAddress, int httpPort, int udpPort, Duration interval, int maxNumWant,
                                  Optional<Set<Digest>> allowList) {
    public ServeTrackerCommand {
        if (httpPort < -1 || httpPort > 65535 || udpPort < -1 || udpPort > 65535) {
            throw new InvalidCommandException("tracker ports must be 0-65535");
        }
        if (httpPort == -1 && udpPort == -1) {
            throw new InvalidCommandException("the tracker needs HTTP, UDP or both");
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofDays(1)) > 0) {
            throw new InvalidCommandException("the announce interval must be between 1 second and 1 day");
        }
        if (maxNumWant < 1) {
            throw new InvalidCommandException("numwant cap must be at least 1");
        }
        allowList = allowList.map(Set::copyOf);
        if (allowList.isPresent() && allowList.get().stream().anyMatch(d -> d.length() != 20)) {
            throw new InvalidCommandException("allow-list entries are 20-byte info-hashes");
        }
    }
}
