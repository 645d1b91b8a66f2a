package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard in front of every route, against a real server and daemon: DNS rebinding (Host), cross-site requests
 * (Origin), credentials (the API key as bearer or basic password, the login cookie), the logins' back-off per
 * client address, and the API key file.
 */
class ApiSecurityTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock();
    private TestDaemon daemon;
    private HttpApiServer server;
    private RawHttp http;
    private OpenApiDocument api;

    @BeforeEach
    void startDaemon() throws Exception {
        daemon = new TestDaemon(dir);
        api = OpenApiDocument.load();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        daemon.close();
    }

    private void serve(boolean requireCredentials) throws Exception {
        if (server != null) {
            server.close();
        }
        server = HttpApiServer.start(new ApiConfig("127.0.0.1", 0, dir.resolve("state"), List.of("nas.example"),
                requireCredentials), daemon.daemon, clock);
        http = new RawHttp(server.port());
    }

    private String key() throws Exception {
        return Files.readString(dir.resolve("state").resolve("api-key"), StandardCharsets.UTF_8).strip();
    }

    private void assertError(int status, RawHttp.Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        api.assertComponent("Error", reply.json());
        assertEquals(status, reply.json().get("error").get("status").asInt());
    }

    @Test
    void aHostHeaderNamingAnotherServerIsRefused() throws Exception {
        serve(false);
        int port = server.port();
        for (String foreign : List.of("evil.example", "evil.example:" + port, "localhost.evil.example:" + port,
                "127.0.0.1.evil.example", "nas.example.evil.example")) {
            assertError(403, http.get("/api/v1/session", "Host", foreign));
        }
        for (String own : List.of("127.0.0.1:" + port, "127.0.0.1", "localhost:" + port, "LocalHost", "[::1]:" + port,
                "192.168.1.20:" + port, "nas.example:" + port)) {
            assertEquals(200, http.get("/api/v1/session", "Host", own).status(), own);
        }
        assertError(400, http.get("/api/v1/session", "Host", null));
    }

    @Test
    void aRequestThatChangesStateFromAnotherOriginIsRefused() throws Exception {
        serve(false);
        String own = "http://127.0.0.1:" + server.port();
        for (String foreign : List.of("http://evil.example", "http://localhost:" + server.port(), "null",
                "https://127.0.0.1:" + server.port() + ".evil.example")) {
            assertError(403, http.json("PATCH", "/api/v1/session", "{}", "Origin", foreign));
            assertError(403, http.json("POST", "/api/v1/torrents", "{\"magnet\":\"magnet:?xt=urn:btih:"
                    + "ef".repeat(20) + "\"}", "Origin", foreign));
        }
        assertEquals(0, daemon.daemon.torrents().size(), "nothing was added from another origin");
        assertEquals(200, http.json("PATCH", "/api/v1/session", "{}", "Origin", own).status());
        assertEquals(200, http.json("PATCH", "/api/v1/session", "{}").status(), "no Origin: not a browser's form");
        assertEquals(200, http.get("/api/v1/session", "Origin", "http://evil.example").status(),
                "a read from another origin gets no CORS header, so its page cannot see the answer");
    }

    @Test
    void onLoopbackNoCredentialsAreNeededUnlessRequired() throws Exception {
        serve(false);
        assertEquals(200, http.get("/api/v1/session").status());
        serve(true);
        assertError(401, http.get("/api/v1/session"));
    }

    @Test
    void theApiKeyIsTakenAsBearerTokenOrBasicPassword() throws Exception {
        serve(true);
        String key = key();
        assertError(401, http.get("/api/v1/torrents"));
        assertError(401, http.json("POST", "/api/v1/torrents", "{}"));
        assertError(401, http.get("/api/v1/openapi.json"));
        assertEquals(200, http.get("/api/v1/torrents", "Authorization", "Bearer " + key).status());
        assertEquals(200, http.get("/api/v1/torrents", "Authorization", "bearer " + key).status());
        assertError(401, http.get("/api/v1/torrents", "Authorization", "Bearer " + key + "x"));
        assertError(401, http.get("/api/v1/torrents", "Authorization", "Bearer "));
        assertEquals(200, http.get("/api/v1/torrents", "Authorization", basic("anyone", key)).status());
        assertEquals(200, http.get("/api/v1/torrents", "Authorization", basic("", key)).status());
        assertError(401, http.get("/api/v1/torrents", "Authorization", basic(key, "wrong")));
        assertError(401, http.get("/api/v1/torrents", "Authorization", "Basic !!not-base64"));
        assertError(401, http.get("/api/v1/torrents", "Cookie", RequestGuard.COOKIE + "=" + key));
    }

    @Test
    void aLoginCookieWorksUntilLogout() throws Exception {
        serve(true);
        RawHttp.Reply login = http.json("POST", "/api/v1/login", "{\"password\":\"" + key() + "\"}");
        assertEquals(204, login.status(), login.toString());
        String setCookie = login.header("Set-Cookie");
        assertNotNull(setCookie);
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
        String cookie = setCookie.split(";")[0];
        assertTrue(cookie.startsWith(RequestGuard.COOKIE + "="), cookie);

        assertEquals(200, http.get("/api/v1/session", "Cookie", "other=1; " + cookie).status());
        assertEquals(204, http.send("POST", "/api/v1/logout", null, "Cookie", cookie).status());
        assertError(401, http.get("/api/v1/session", "Cookie", cookie));
        assertError(401, http.send("POST", "/api/v1/logout", null, "Cookie", cookie));
    }

    @Test
    void failedLoginsBackOffForTheirAddressOnly() throws Exception {
        serve(true);
        String wrong = "{\"password\":\"not the key\"}";
        String right = "{\"password\":\"" + key() + "\"}";
        assertError(401, http.json("POST", "/api/v1/login", wrong));
        RawHttp.Reply backingOff = http.json("POST", "/api/v1/login", right);
        assertError(429, backingOff);
        assertEquals("1", backingOff.header("Retry-After"), "1 s after the first failure");
        api.assertConforms("POST", "/api/v1/login", backingOff);

        var elsewhere = new RawHttp(server.port(), InetAddress.getByName("127.0.0.2"));
        assertEquals(204, elsewhere.json("POST", "/api/v1/login", right).status(), "another address is not held");

        clock.advance(Duration.ofSeconds(1));
        assertError(401, http.json("POST", "/api/v1/login", wrong));
        RawHttp.Reply longer = http.json("POST", "/api/v1/login", wrong);
        assertError(429, longer);
        assertEquals("2", longer.header("Retry-After"), "the wait doubles with each failure");
        clock.advance(Duration.ofMillis(1500));
        assertEquals("1", http.json("POST", "/api/v1/login", right).header("Retry-After"), "0.5 s is 1 s");
        clock.advance(Duration.ofMillis(500));
        assertEquals(204, http.json("POST", "/api/v1/login", right).status());
        assertError(401, http.json("POST", "/api/v1/login", wrong));
        assertEquals("1", http.json("POST", "/api/v1/login", wrong).header("Retry-After"),
                "a good login starts the count again");
    }

    @Test
    void theApiKeyIsMadeOwnerOnlyAndKeptAcrossRestarts() throws Exception {
        serve(true);
        Path file = dir.resolve("state").resolve("api-key");
        String key = key();
        assertTrue(key.length() >= 32, "at least 24 random bytes: " + key);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        serve(true);
        assertEquals(key, key());
        assertEquals(200, http.get("/api/v1/session", "Authorization", "Bearer " + key).status());
    }

    @Test
    void thePageNeedsNoCredentials() throws Exception {
        serve(true);
        // the page's own route may not be there yet (404); what matters is that it is not behind the key
        assertNotEquals(401, http.get("/").status());
        assertNotEquals(401, http.get("/web/app.js").status());
        assertError(401, http.get("/api/v1/torrents"));
        assertError(401, http.send("POST", "/", new byte[0]));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
