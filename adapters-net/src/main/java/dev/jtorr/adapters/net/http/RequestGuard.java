package dev.jtorr.adapters.net.http;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rules every request passes before a route sees it, learnt from the clients that were attacked through them:
 * <ul>
 *   <li>the {@code Host} header names this server: an IP address, {@code localhost} or a configured name, never
 *   another name (DNS rebinding, as in Transmission's CVE-2018-5702);</li>
 *   <li>a request that changes state and carries an {@code Origin} comes from this server's own origin (CSRF);</li>
 *   <li>bound to an address other than loopback, every request but the page itself and the login needs the API key
 *   (a bearer token, or basic authentication's password) or a login cookie;</li>
 *   <li>failed logins back off per client address (1, 2, 4 … 60 s), never for everybody.</li>
 * </ul>
 * Thread-safe.
 */
final class RequestGuard {
    static final String COOKIE = "jtorr_session";
    private static final int ADDRESSES_KEPT = 10_000;
    private final boolean needsCredentials;
    private final List<String> hostNames;
    private final ApiCredentials credentials;
    /** Failed logins by client address; guarded by itself. */
    private final Map<InetAddress, Backoff> failures = new LinkedHashMap<>(16, 0.75f, true);

    private record Backoff(int failures, Instant until) {
    }

    RequestGuard(boolean needsCredentials, List<String> hostNames, ApiCredentials credentials) {
        this.needsCredentials = needsCredentials;
        this.hostNames = hostNames.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.credentials = credentials;
    }

    /** Refuses the request (403 or 401) unless it passes every rule. */
    void check(Request request) {
        String host = request.header("host").orElseThrow(() -> new ApiException(400, "no Host header"));
        if (!hostAllowed(hostOnly(host))) {
            throw new ApiException(403, "Host " + host + " is not a name of this server");
        }
        if (changesState(request.method())) {
            request.header("origin").ifPresent(origin -> {
                if (!sameOrigin(origin, host)) {
                    throw new ApiException(403, "requests from origin " + origin + " are not accepted");
                }
            });
        }
        if (needsCredentials && !open(request) && !authenticated(request)) {
            throw new ApiException(401, "credentials needed: the API key as a bearer token, or log in");
        }
    }

    /** The page and its assets hold no data; the login must be reachable before logging in. */
    private static boolean open(Request r) {
        boolean api = r.path().startsWith("/api/") || r.path().startsWith("/transmission/");
        return (!api && r.method().equals("GET")) || r.path().equals("/api/v1/login");
    }

    boolean authenticated(Request request) {
        Optional<String> auth = request.header("authorization");
        if (auth.isPresent()) {
            String value = auth.get();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return credentials.isKey(value.substring(7).strip());
            }
            if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String pair = new String(Base64.getDecoder().decode(value.substring(6).strip()),
                            StandardCharsets.UTF_8);
                    return credentials.isKey(pair.substring(pair.indexOf(':') + 1));
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
        }
        return cookie(request).map(credentials::isCookie).orElse(false);
    }

    static Optional<String> cookie(Request request) {
        return request.header("cookie").flatMap(header -> {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    return Optional.of(p.substring(COOKIE.length() + 1));
                }
            }
            return Optional.empty();
        });
    }

    /**
     * Checks a login's password against the key, backing off per client address after failures.
     *
     * @return a new login cookie
     * @throws ApiException 429 while the client's address is backing off, 401 for a wrong password
     */
    String login(InetAddress client, String password, Instant now) {
        synchronized (failures) {
            Backoff b = failures.get(client);
            if (b != null && now.isBefore(b.until())) {
                long seconds = Math.max(1, (Duration.between(now, b.until()).toMillis() + 999) / 1000);
                throw new ApiException(429, "too many failed logins from " + client.getHostAddress() + "; retry in "
                        + seconds + " s").withHeader("Retry-After", Long.toString(seconds));
            }
        }
        if (credentials.isKey(password)) {
            synchronized (failures) {
                failures.remove(client);
            }
            return credentials.newCookie();
        }
        synchronized (failures) {
            Backoff b = failures.get(client);
            int n = b == null ? 1 : b.failures() + 1;
            failures.put(client, new Backoff(n, now.plusSeconds(Math.min(60, 1L << Math.min(6, n - 1)))));
            if (failures.size() > ADDRESSES_KEPT) {
                failures.remove(failures.keySet().iterator().next());
            }
        }
        throw new ApiException(401, "wrong password");
    }

    void logout(Request request) {
        cookie(request).ifPresent(credentials::forget);
    }

    static boolean changesState(String method) {
        return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
    }

    private boolean hostAllowed(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || isIpLiteral(h) || hostNames.contains(h);
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            return authority != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The host part of a Host header: without its port, an IPv6 literal without its brackets. */
    static String hostOnly(String header) {
        String h = header.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.lastIndexOf(':');
        return colon >= 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
    }

    /** An IPv4 dotted quad or an IPv6 literal; never a name (so no lookup happens). */
    static boolean isIpLiteral(String host) {
        if (host.contains(":")) {
            return host.matches("[0-9a-f:.%a-z]+") && host.chars().filter(c -> c == ':').count() >= 2;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
