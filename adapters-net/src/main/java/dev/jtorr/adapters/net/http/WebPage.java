package dev.jtorr.adapters.net.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The daemon's web page: {@code GET /} serves {@code web/index.html} and {@code GET /web/{file}} its scripts and
 * styles, all kept as resources beside this class (nothing from another origin). Only the names in {@link #ASSETS}
 * are served, so a path never reaches the class loader unchecked. Every answer carries a Content-Security-Policy
 * that allows this origin only and no inline script or style.
 */
final class WebPage {
    /** The page's files and their media types; nothing else under {@code /web/} exists. */
    static final Map<String, String> ASSETS = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private WebPage() {
    }

    static void register(Router router) {
        router.add("GET", "/", r -> asset("index.html"))
                .add("GET", "/web/{file}", r -> asset(r.param("file")));
    }

    private static Response asset(String name) throws IOException {
        String type = ASSETS.get(name);
        if (type == null) {
            throw new ApiException(404, "no such file: /web/" + name);
        }
        try (InputStream in = WebPage.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new IOException("web/" + name + " is missing from the jar");
            }
            return Response.bytes(200, type, in.readAllBytes())
                    .withHeader("Content-Security-Policy", CSP)
                    .withHeader("X-Frame-Options", "DENY")
                    .withHeader("Referrer-Policy", "no-referrer");
        }
    }
}
