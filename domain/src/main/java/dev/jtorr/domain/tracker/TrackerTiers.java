package dev.jtorr.domain.tracker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The announce order of BEP 12: tiers in the order of the torrent, the URLs inside each tier shuffled once, and
 * a URL that answered moved to the front of its tier. Not thread-safe.
 */
public final class TrackerTiers {
    private final List<List<String>> tiers = new ArrayList<>();

    public TrackerTiers(List<List<String>> announceList, RandomGenerator random) {
        for (List<String> tier : announceList) {
            var copy = new ArrayList<String>();
            for (String url : tier) {
                if (!url.isBlank() && !contains(url) && !copy.contains(url)) {
                    copy.add(url);
                }
            }
            // Fisher-Yates with the given generator, so a simulated swarm stays deterministic
            for (int i = copy.size() - 1; i > 0; i--) {
                Collections.swap(copy, i, random.nextInt(i + 1));
            }
            if (!copy.isEmpty()) {
                tiers.add(copy);
            }
        }
    }

    private boolean contains(String url) {
        return tiers.stream().anyMatch(t -> t.contains(url));
    }

    public boolean isEmpty() {
        return tiers.isEmpty();
    }

    /** Every URL in the order to try them: first tier first, each tier in its current order. */
    public List<String> order() {
        return tiers.stream().flatMap(List::stream).toList();
    }

    /** The tiers as they stand (a copy). */
    public List<List<String>> tiers() {
        return tiers.stream().map(List::copyOf).toList();
    }

    /** The URL answered: it moves to the front of its tier (BEP 12). Unknown URLs are ignored. */
    public void succeeded(String url) {
        for (List<String> tier : tiers) {
            if (tier.remove(url)) {
                tier.add(0, url);
                return;
            }
        }
    }
}
