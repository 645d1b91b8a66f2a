package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RPC over HTTP: both paths, the session id handshake, and the body cap. */
class TransmissionRpcHttpTest {
    private static final String HEADER = "X-Transmission-Session-Id";
    private final HttpClient client = HttpClient.newHttpClient();
    private final FakeTorrents fake = new FakeTorrents();
    private HttpApiServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        fake.put(FakeTorrents.view("a".repeat(40), "alpha", "seeding"));
        server = HttpApiServer.start(new ApiConfig("127.0.0.1", 0, dir, List.of(), false), fake);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRequestWithoutTheSessionIdGets409WithTheIdThatThenWorksOnBothPaths() throws Exception {
        String body = "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\",\"name\"]},\"tag\":4}";
        HttpResponse<String> first = post("/transmission/rpc/", body, null);
        assertEquals(409, first.statusCode());
        String id = first.headers().firstValue(HEADER).orElseThrow();
        assertTrue(id.length() >= 32, id);
        assertEquals(id, post("/transmission/rpc", body, "wrong").headers().firstValue(HEADER).orElseThrow(),
                "the id stays the same while the daemon runs");

        for (String path : List.of("/transmission/rpc/", "/transmission/rpc")) {
            HttpResponse<String> answer = post(path, body, id);
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode json = new ObjectMapper().readTree(answer.body());
            assertEquals("success", json.get("result").asText());
            assertEquals(4, json.get("tag").asInt());
            assertEquals("alpha", json.at("/arguments/torrents/0/name").asText());
        }
        HttpResponse<String> malformed = post("/transmission/rpc/", "{not json", id);
        assertEquals(200, malformed.statusCode());
        assertNotEquals("success", new ObjectMapper().readTree(malformed.body()).get("result").asText());
    }

    @Test
    void aBodyOverTheCapIsRefusedUnread() throws Exception {
        String id = post("/transmission/rpc/", "{}", null).headers().firstValue(HEADER).orElseThrow();
        try (var socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /transmission/rpc/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + HEADER + ": "
                    + id + "\r\nContent-Length: " + (ApiConfig.MAX_BODY + 1) + "\r\n\r\n{")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
        }
    }

    @Test
    void aRefusalForWantOfCredentialsAsksTransmissionClientsForBasicAuthenticationAndNobodyElse() {
        // curl, under transmission-remote --auth, sends the credentials only when a 401 names a scheme
        Response refused = Response.json(401, new byte[0]);
        assertEquals("Basic realm=\"jtorr\"", TransmissionRpc.challenge(request("/transmission/rpc/"), refused)
                .headers().get("WWW-Authenticate"));
        assertEquals(null, TransmissionRpc.challenge(request("/api/v1/torrents"), refused).headers()
                .get("WWW-Authenticate"), "a browser must not pop up a login dialog for the page's API");
        assertEquals(null, TransmissionRpc.challenge(request("/transmission/rpc"), Response.json(403, new byte[0]))
                .headers().get("WWW-Authenticate"));
    }

    private static Request request(String path) {
        return new Request("POST", path, null, java.util.Map.of(), java.io.InputStream.nullInputStream(),
                java.net.InetAddress.getLoopbackAddress());
    }

    private HttpResponse<String> post(String path, String body, String sessionId) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (sessionId != null) {
            builder.header(HEADER, sessionId);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
