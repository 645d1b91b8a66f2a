package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page's login in a real browser. A daemon asks for credentials only when bound to an address other than
 * loopback, which a test here must not use; so the page, taken from the jar as the daemon serves it, talks to a
 * stand-in on loopback that answers as such a daemon does: 401 until the login's cookie comes back.
 */
class WebPageLoginBrowserTest {
    private static final String PASSWORD = "correct horse";
    private static final String COOKIE = "jtorr_session=s3cret";
    private static final String TORRENT = "{\"id\":\"aa\",\"name\":\"after-login.bin\",\"state\":\"paused\","
            + "\"size_bytes\":1000,\"progress\":0.5,\"download_rate\":0,\"upload_rate\":0,\"peers\":0,"
            + "\"eta_seconds\":null,\"error\":null}";

    @TempDir
    Path dir;
    private HttpServer server;
    private HeadlessChromium chromium;
    private final List<JsonNode> logins = new CopyOnWriteArrayList<>();
    private final List<String> loginOrigins = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        HeadlessChromium.require();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::serve);
        server.start();
        chromium = HeadlessChromium.start(dir.resolve("profile"));
    }

    @AfterEach
    void stop() {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @Test
    void a401ShowsTheLoginFormWhichLogsInAndReloads() {
        WebDriver browser = chromium.driver();
        String origin = "http://127.0.0.1:" + server.getAddress().getPort();
        browser.get(origin + "/");
        var wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> d.findElement(By.id("login")).isDisplayed());
        assertFalse(browser.findElement(By.id("app")).isDisplayed());

        browser.findElement(By.id("login-password")).sendKeys("wrong");
        browser.findElement(By.cssSelector("#login-form button")).click();
        wait.until(d -> d.findElement(By.id("login-error")).isDisplayed());
        assertEquals("wrong password", browser.findElement(By.id("login-error")).getText());

        browser.findElement(By.id("login-password")).clear();
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("#login-form button")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#torrent-rows tr[data-id=aa]")).isEmpty());
        assertTrue(browser.findElement(By.id("app")).isDisplayed());
        assertFalse(browser.findElement(By.id("login")).isDisplayed());
        assertEquals(PASSWORD, logins.get(logins.size() - 1).path("password").asText());
        assertEquals(List.of(origin, origin), loginOrigins, "the browser names the page's origin (CSRF check)");
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean in = COOKIE.equals(exchange.getRequestHeaders().getFirst("Cookie"));
            if (path.equals("/")) {
                resource(exchange, "index.html", "text/html; charset=utf-8");
            } else if (path.startsWith("/web/")) {
                resource(exchange, path.substring(5), path.endsWith(".js") ? "text/javascript" : path.endsWith(".css")
                        ? "text/css" : "image/svg+xml");
            } else if (path.equals("/api/v1/login")) {
                loginOrigins.add(exchange.getRequestHeaders().getFirst("Origin"));
                JsonNode body = Tools.JSON.readTree(exchange.getRequestBody());
                logins.add(body);
                if (PASSWORD.equals(body.path("password").asText())) {
                    exchange.getResponseHeaders().set("Set-Cookie", COOKIE + "; Path=/; HttpOnly; SameSite=Strict");
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    json(exchange, 401, "{\"error\":{\"status\":401,\"message\":\"wrong password\"}}");
                }
            } else if (!in) {
                json(exchange, 401, "{\"error\":{\"status\":401,\"message\":\"credentials needed\"}}");
            } else if (path.equals("/api/v1/session")) {
                json(exchange, 200, "{\"torrents\":1}");
            } else if (path.equals("/api/v1/events")) {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                send(exchange, 200, "id: 1\nevent: changes\ndata: {\"cursor\":1,\"full\":true,\"changed\":["
                        + TORRENT + "],\"removed\":[]}\n\n");
            } else {
                json(exchange, 404, "{\"error\":{\"status\":404,\"message\":\"no such resource\"}}");
            }
        }
    }

    private static void resource(HttpExchange exchange, String name, String type) throws IOException {
        try (InputStream in = WebPageLoginBrowserTest.class.getResourceAsStream(
                "/dev/jtorr/adapters/net/http/web/" + name)) {
            if (in == null) {
                json(exchange, 404, "{}");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            byte[] body = in.readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
