package dev.jtorr.application.discovery;

import java.time.Instant;
import java.util.List;

/** All the ways one torrent finds peers, driven together from the engine's thread. */
public final class PeerSources {
    private final List<PeerSource> sources;

    public PeerSources(List<PeerSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /** The torrent's clock ticked: each source looks for peers if it is time. */
    public void tick(Instant now) {
        sources.forEach(s -> s.tick(now));
    }

    /** Stops every source, then runs {@code done} once all of them are finished. */
    public void stop(Runnable done) {
        if (sources.isEmpty()) {
            done.run();
            return;
        }
        int[] running = {sources.size()};
        for (PeerSource source : sources) {
            source.stop(() -> {
                if (--running[0] == 0) {
                    done.run();
                }
            });
        }
    }
}
