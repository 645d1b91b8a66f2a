package dev.jtorr.adapters.net.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes a request by method and path to its handler; a path template names its variable parts in braces
 * ({@code /api/v1/torrents/{id}}). A path no route has is 404; a path some route has, with another method, is 405.
 */
final class Router {
    /** Answers one request. */
    interface Handler {
        Response handle(Request request) throws Exception;
    }

    /** A route as registered: what {@link #routes()} lists (the OpenAPI document is checked against it). */
    record Route(String method, String template, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String template, Handler handler) {
        routes.add(new Route(method, template, handler));
        return this;
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The handler for a request, its path parameters set on it; a HEAD without a route of its own is its GET. */
    Handler find(Request request) {
        if (request.method().equals("HEAD")) {
            try {
                return find(request, "HEAD");
            } catch (ApiException e) {
                if (e.status() != 405) {
                    throw e;
                }
                return find(request, "GET"); // the server sends the GET's headers without its body
            }
        }
        return find(request, request.method());
    }

    private Handler find(Request request, String method) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = match(r.template(), request.path());
            if (params == null) {
                continue;
            }
            if (r.method().equals(method)) {
                request.withParams(params);
                return r.handler();
            }
            allowed.add(r.method());
        }
        if (allowed.isEmpty()) {
            throw new ApiException(404, "no such resource: " + request.path());
        }
        throw new ApiException(405, request.method() + " is not allowed on " + request.path() + " (allowed: "
                + String.join(", ", allowed) + ")");
    }

    /** The template's variables taken from {@code path}, or null when it does not match. */
    static Map<String, String> match(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (p.length == t.length + 1 && p[p.length - 1].isEmpty()) {
            p = java.util.Arrays.copyOf(p, t.length); // a trailing slash names the same resource
        }
        if (t.length != p.length) {
            return null;
        }
        var params = new LinkedHashMap<String, String>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                if (p[i].isEmpty()) {
                    return null;
                }
                params.put(t[i].substring(1, t[i].length() - 1), p[i]);
            } else if (!t[i].equals(p[i])) {
                return null;
            }
        }
        return params;
    }
}
