package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WebPageTest {
    private final Router router = new Router();

    WebPageTest() {
        WebPage.register(router);
    }

    private Response get(String path) throws Exception {
        var request = new Request("GET", path, null, Map.of(), new ByteArrayInputStream(new byte[0]),
                InetAddress.getLoopbackAddress());
        return router.find(request).handle(request);
    }

    @Test
    void theRootServesThePageWithAStrictPolicy() throws Exception {
        Response page = get("/");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.headers().get("Content-Type"));
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("<script src=\"/web/app.js\""));
        String csp = page.headers().get("Content-Security-Policy");
        assertTrue(csp.startsWith("default-src 'self'"), csp);
        assertTrue(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), csp);
    }

    @Test
    void assetsComeWithTheirMediaTypes() throws Exception {
        assertEquals("text/javascript; charset=utf-8", get("/web/app.js").headers().get("Content-Type"));
        assertEquals("text/css; charset=utf-8", get("/web/style.css").headers().get("Content-Type"));
        assertEquals("image/svg+xml", get("/web/favicon.svg").headers().get("Content-Type"));
        assertTrue(get("/web/app.js").body().length > 1000);
    }

    @Test
    void thePageHasNoInlineScriptOrStyle() throws Exception {
        String html = new String(get("/").body(), StandardCharsets.UTF_8);
        assertTrue(!html.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), "inline script");
        assertTrue(!html.contains("style=") && !html.contains("<style") && !html.matches("(?s).*\\son[a-z]+=.*"),
                "inline style or handler");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/web/..%2fWebPage.class", "/web/%2e%2e%2fopenapi.json", "/web/../openapi.json",
            "/web/WebPage.class", "/web/", "/web/index.html/x", "/index.html"})
    void nothingElseIsServed(String path) {
        var e = assertThrows(ApiException.class, () -> get(path));
        assertEquals(404, e.status());
    }
}
