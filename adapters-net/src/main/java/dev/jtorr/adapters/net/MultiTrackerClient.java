package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.port.out.TrackerException;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceReply;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.ScrapeStats;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The {@link TrackerClient}: HTTP and HTTPS URLs go to {@link HttpTrackerClient}, UDP ones to {@link UdpTrackerClient}. */
final class MultiTrackerClient implements TrackerClient {
    private final HttpTrackerClient http;
    private final UdpTrackerClient udp;

    @Inject
    MultiTrackerClient(NetConfig config) {
        this.http = new HttpTrackerClient(config);
        this.udp = new UdpTrackerClient(config);
    }

    private static String scheme(String url) {
        try {
            URI uri = new URI(url);
            return uri.getScheme() == null || uri.getHost() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        } catch (java.net.URISyntaxException e) {
            return "";
        }
    }

    @Override
    public boolean supports(String url) {
        return switch (scheme(url)) {
            case "http", "https", "udp" -> true;
            default -> false;
        };
    }

    @Override
    public CompletableFuture<AnnounceReply> announce(String url, AnnounceRequest request) {
        return switch (scheme(url)) {
            case "http", "https" -> http.announce(url, request);
            case "udp" -> udp.announce(url, request);
            default -> CompletableFuture.failedFuture(new TrackerException("unsupported tracker URL: " + url));
        };
    }

    @Override
    public CompletableFuture<Map<Digest, ScrapeStats>> scrape(String url, List<Digest> infoHashes) {
        return switch (scheme(url)) {
            case "http", "https" -> http.scrape(url, infoHashes);
            case "udp" -> udp.scrape(url, infoHashes);
            default -> CompletableFuture.failedFuture(new TrackerException("unsupported tracker URL: " + url));
        };
    }
}
