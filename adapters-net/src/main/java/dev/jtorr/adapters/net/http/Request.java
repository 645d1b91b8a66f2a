package dev.jtorr.adapters.net.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as a route sees it: method, path, the path's named parts, the query, headers (names in lower
 * case) and a body read on demand, never past a cap.
 */
final class Request {
    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final Map<String, List<String>> headers;
    private final InputStream body;
    private final InetAddress client;
    private Map<String, String> params = Map.of();
    /** Permits for bodies larger than a JSON body, shared by the server's requests; null when there are none. */
    private final java.util.concurrent.Semaphore largeBodies;
    private boolean holdsPermit;

    Request(String method, String path, String rawQuery, Map<String, List<String>> headers, InputStream body,
            InetAddress client) {
        this(method, path, rawQuery, headers, body, client, null);
    }

    Request(String method, String path, String rawQuery, Map<String, List<String>> headers, InputStream body,
            InetAddress client, java.util.concurrent.Semaphore largeBodies) {
        this.largeBodies = largeBodies;
        this.method = method;
        this.path = path;
        this.query = parseQuery(rawQuery);
        this.headers = headers;
        this.body = body;
        this.client = client;
    }

    /** Gives back the large-body permit this request holds, if any (the server calls it once the answer is sent). */
    void release() {
        if (holdsPermit) {
            holdsPermit = false;
            largeBodies.release();
        }
    }

    String method() {
        return method;
    }

    String path() {
        return path;
    }

    InetAddress client() {
        return client;
    }

    /** A named part of the path, such as {@code id} in {@code /api/v1/torrents/{id}}. */
    String param(String name) {
        return params.get(name);
    }

    Request withParams(Map<String, String> values) {
        this.params = Map.copyOf(values);
        return this;
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** The first value of a header, its name in any case. */
    Optional<String> header(String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    /**
     * The body's bytes.
     *
     * @throws ApiException 413 when it is longer than {@code max}
     */
    byte[] body(int max) throws IOException {
        long declared = header("content-length").map(Request::parseLength).orElse(-1L);
        if (declared > max) {
            throw new ApiException(413, "request body of " + declared + " bytes is over the limit of " + max);
        }
        if (max > ApiConfig.MAX_JSON && largeBodies != null && !holdsPermit) {
            // a few large bodies in memory at once, not one per client that sends one
            try {
                if (!largeBodies.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new ApiException(503, "too many uploads at once; try again");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(503, "interrupted");
            }
            holdsPermit = true;
        }
        byte[] bytes = body.readNBytes(max + 1);
        if (bytes.length > max) {
            throw new ApiException(413, "request body is over the limit of " + max + " bytes");
        }
        return bytes;
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "Content-Length is not a number");
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        var out = new LinkedHashMap<String, String>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "malformed query string");
            }
        }
        return out;
    }
}
