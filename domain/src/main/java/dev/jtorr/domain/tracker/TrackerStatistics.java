package dev.jtorr.domain.tracker;

import java.time.Duration;

/**
 * A tracker's counters, for its statistics page.
 *
 * @param totals    swarms and peers now
 * @param announces announces answered since start
 * @param scrapes   scrapes answered since start
 * @param refused   announces refused since start
 * @param uptime    time since start
 */
public record TrackerStatistics(SwarmRegistry.Totals totals, long announces, long scrapes, long refused,
                                Duration uptime) {
}
