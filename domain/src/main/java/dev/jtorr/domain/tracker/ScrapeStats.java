package dev.jtorr.domain.tracker;

/**
 * A tracker's counts for one torrent (BEP 48 scrape, BEP 15 scrape).
 *
 * @param complete   seeders now
 * @param downloaded {@code completed} events the tracker has seen
 * @param incomplete leechers now
 */
public record ScrapeStats(int complete, int downloaded, int incomplete) {
}
