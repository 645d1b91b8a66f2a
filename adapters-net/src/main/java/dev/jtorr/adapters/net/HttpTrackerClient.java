package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.TrackerException;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceReply;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.ScrapeStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * HTTP(S) trackers (BEP 3, 48) through {@link HttpClient}: one GET per request, the body capped at
 * {@link HttpTrackerCodec#MAX_BODY}, the whole exchange bounded by {@link NetConfig#trackerTimeout()}.
 */
final class HttpTrackerClient {
    private final NetConfig config;
    private HttpClient http;

    HttpTrackerClient(NetConfig config) {
        this.config = config;
    }

    /**
     * Made on first use: an {@link HttpClient} loads the TLS trust store and keeps a selector thread in native code,
     * which costs every command's start-up and holds up the JVM's exit by a few hundred milliseconds.
     */
    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(config.trackerTimeout())
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return http;
    }

    CompletableFuture<AnnounceReply> announce(String url, AnnounceRequest request) {
        return get(url, HttpTrackerCodec.announceUrl(url, request), HttpTrackerCodec::parseAnnounce);
    }

    CompletableFuture<Map<Digest, ScrapeStats>> scrape(String url, List<Digest> hashes) {
        var scrape = HttpTrackerCodec.scrapeUrl(url);
        if (scrape.isEmpty()) {
            return CompletableFuture.failedFuture(new TrackerException("tracker " + url
                    + " has no scrape URL (its path does not end in announce)"));
        }
        return get(url, HttpTrackerCodec.scrapeQuery(scrape.get(), hashes), HttpTrackerCodec::parseScrape);
    }

    private <T> CompletableFuture<T> get(String url, String full, BiFunction<String, byte[], T> parse) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(full)).timeout(config.trackerTimeout())
                    .header("User-Agent", "jtorr").GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new TrackerException("not a usable tracker URL: " + url));
        }
        return http().sendAsync(request, info -> new LimitedBody(HttpTrackerCodec.MAX_BODY, url))
                .orTimeout(config.trackerTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        throw new CompletionException(translate(url, error));
                    }
                    return read(url, response, parse);
                });
    }

    private static <T> T read(String url, HttpResponse<byte[]> response, BiFunction<String, byte[], T> parse) {
        if (response.statusCode() != 200) {
            // a failure reason in the body says more than the status
            HttpTrackerCodec.failureReason(response.body()).ifPresent(reason -> {
                throw new TrackerException("tracker " + url + " refused: " + reason);
            });
            throw new TrackerException("tracker " + url + " answered HTTP " + response.statusCode());
        }
        return parse.apply(url, response.body());
    }

    private static TrackerException translate(String url, Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof TrackerException t) {
            return t;
        }
        if (e instanceof TimeoutException || e instanceof HttpTimeoutException) {
            return new TrackerException("tracker " + url + " did not answer in time");
        }
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new TrackerException("tracker " + url + " unreachable: " + what, e);
    }
}
