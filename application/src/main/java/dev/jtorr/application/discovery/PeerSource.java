package dev.jtorr.application.discovery;

import java.time.Instant;

/**
 * One way a torrent finds peers: the addresses given by hand and the trackers today; peer exchange, the DHT and
 * local discovery will be sources too. A source hands the addresses it finds to the session's peer pool (given when
 * it is made); the session drives every source from its own thread.
 */
public interface PeerSource {
    /** The session's clock ticked (about once a second): look for peers now if it is time. */
    void tick(Instant now);

    /** The session is ending: stop, and run {@code done} once finished (at once, or after a last message). */
    void stop(Runnable done);
}
