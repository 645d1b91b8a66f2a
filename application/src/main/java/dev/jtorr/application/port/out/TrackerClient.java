package dev.jtorr.application.port.out;

import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceReply;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.ScrapeStats;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Talks to trackers: HTTP(S) (BEP 3, 7, 23, 48) and UDP (BEP 15), chosen by the URL's scheme. Calls never block;
 * the futures complete on the adapter's threads, exceptionally with a {@link TrackerException} when the tracker
 * refuses, times out (each call is bounded in time, retransmissions included), or answers with something invalid
 * or oversized. Thread-safe.
 */
public interface TrackerClient {
    /** Whether this client can talk to {@code url} at all (a known scheme and a host). */
    boolean supports(String url);

    CompletableFuture<AnnounceReply> announce(String url, AnnounceRequest request);

    /** Counts for each of {@code infoHashes} (20 bytes each) that the tracker reported. */
    CompletableFuture<Map<Digest, ScrapeStats>> scrape(String url, List<Digest> infoHashes);

    /** No trackers at all: every call fails at once. For tests and offline use. */
    TrackerClient NONE = new TrackerClient() {
        @Override
        public boolean supports(String url) {
            return false;
        }

        @Override
        public CompletableFuture<AnnounceReply> announce(String url, AnnounceRequest request) {
            return CompletableFuture.failedFuture(new TrackerException("no tracker client: " + url));
        }

        @Override
        public CompletableFuture<Map<Digest, ScrapeStats>> scrape(String url, List<Digest> infoHashes) {
            return CompletableFuture.failedFuture(new TrackerException("no tracker client: " + url));
        }
    };
}
