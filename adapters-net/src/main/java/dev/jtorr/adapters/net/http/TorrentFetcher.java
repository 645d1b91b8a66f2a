package dev.jtorr.adapters.net.http;

import dev.jtorr.domain.bencode.BencodeLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Fetches a .torrent file by its http or https URL for an add request: 30 s at most, no larger than jtorr reads.
 * An API that other machines reach does not fetch for them from this machine's own network (loopback, private,
 * link-local or multicast addresses) and follows no redirect, so that its clients cannot make it a way into that
 * network; an API bound to loopback, whose clients are on this machine already, fetches from anywhere.
 */
final class TorrentFetcher {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final boolean localAllowed;
    private final HttpClient client;

    /** @param localAllowed whether URLs may name this machine's own network and redirects are followed */
    TorrentFetcher(boolean localAllowed) {
        this.localAllowed = localAllowed;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(localAllowed ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER).build();
    }

    byte[] fetch(String url) throws IOException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "not a URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new ApiException(400, "url must be http, https or magnet, not " + uri.getScheme());
        }
        if (uri.getHost() == null) {
            throw new ApiException(400, "url has no host: " + url);
        }
        if (!localAllowed) {
            refuseLocal(uri.getHost());
        }
        int max = BencodeLimits.TORRENT_FILE.maxInputLength();
        HttpResponse<InputStream> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ApiException(502, "cannot fetch " + url + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // what URI accepts, the HTTP client may still refuse (a port out of range, a missing host)
            throw new ApiException(400, "cannot fetch " + url + ": " + e.getMessage());
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new ApiException(502, "fetching " + url + " gave HTTP " + response.statusCode());
            }
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new ApiException(502, url + " is larger than a .torrent file may be (" + max + " bytes)");
            }
            return bytes;
        }
    }

    private static void refuseLocal(String host) {
        java.net.InetAddress[] addresses;
        try {
            addresses = java.net.InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1)
                    : host);
        } catch (java.net.UnknownHostException e) {
            throw new ApiException(502, "cannot fetch from " + host + ": unknown host");
        }
        for (java.net.InetAddress a : addresses) {
            if (isLocal(a)) {
                throw new ApiException(403, "the daemon does not fetch from its own network (" + host + " is "
                        + a.getHostAddress() + ")");
            }
        }
    }

    static boolean isLocal(java.net.InetAddress a) {
        boolean uniqueLocal = a instanceof java.net.Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
        return a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress() || uniqueLocal;
    }
}
