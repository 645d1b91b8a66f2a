package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document against the server: every /api/ route is documented and every documented operation is
 * routed; real answers of a real daemon (in-memory ports) match the document's schemas, errors included.
 */
class OpenApiContractTest {
    /**
     * Routes outside /api/ that the document need not describe: the web page, its files and Transmission's RPC
     * (documented by Transmission). A new route outside /api/ must be added here on purpose.
     */
    private static final Set<String> NOT_API = Set.of("GET /", "GET /web/{file}", "POST /transmission/rpc",
            "GET /transmission/rpc");
    private static final String MAGNET = "magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=from-a-magnet";

    @TempDir
    Path dir;
    private TestDaemon daemon;
    private HttpApiServer server;
    private RawHttp http;
    private OpenApiDocument api;

    @BeforeEach
    void start() throws Exception {
        daemon = new TestDaemon(dir);
        server = HttpApiServer.start(new ApiConfig("127.0.0.1", 0, dir.resolve("api"), List.of(), false),
                daemon.daemon);
        http = new RawHttp(server.port());
        api = OpenApiDocument.load();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        daemon.close();
    }

    @Test
    void everyApiRouteIsDocumentedAndEveryDocumentedOperationIsRouted() {
        Set<String> routed = new TreeSet<>(server.routes());
        Set<String> documented = new TreeSet<>(api.operations());
        Set<String> undocumented = new TreeSet<>(routed);
        undocumented.removeAll(documented);
        undocumented.removeAll(NOT_API);
        assertEquals(Set.of(), undocumented, "routes missing from openapi.json (or, outside /api/, from NOT_API)");
        Set<String> unrouted = new TreeSet<>(documented);
        unrouted.removeAll(routed);
        assertEquals(Set.of(), unrouted, "operations in openapi.json that no route serves");
        assertTrue(documented.stream().allMatch(o -> o.split(" ")[1].startsWith("/api/")),
                "the document describes the API only");
    }

    @Test
    void theDocumentIsServedAsItIsKept() throws Exception {
        RawHttp.Reply reply = http.get("/api/v1/openapi.json");
        api.assertConforms("GET", "/api/v1/openapi.json", reply);
        assertEquals(api.node(), reply.json());
        assertEquals("3.1.0", reply.json().get("openapi").asText());
    }

    @Test
    void realAnswersOfEveryJsonRouteMatchTheirSchemas() throws Exception {
        byte[] one = TestDaemon.torrent("one.bin", 100_000, List.of("http://127.0.0.1:1/announce"));
        byte[] two = TestDaemon.torrent("two.bin", 50_000, List.of());

        RawHttp.Reply added = send("POST", "/api/v1/torrents", "/api/v1/torrents", "{\"metainfo\":\""
                + Base64.getEncoder().encodeToString(one) + "\",\"sequential\":true}", true);
        check("POST", "/api/v1/torrents", added, 201);
        String id = added.json().get("id").asText();
        assertEquals("/api/v1/torrents/" + id, added.header("Location"));
        assertTrue(added.json().get("sequential").asBoolean());

        RawHttp.Reply form = multipart(two);
        check("POST", "/api/v1/torrents", form, 201);
        String formId = form.json().get("id").asText();
        assertEquals("paused", form.json().get("state").asText());

        RawHttp.Reply magnet = send("POST", "/api/v1/torrents", "/api/v1/torrents", "{\"magnet\":\"" + MAGNET
                + "\",\"paused\":false,\"download_dir\":\"magnets\"}", true);
        check("POST", "/api/v1/torrents", magnet, 201);
        assertEquals(MAGNET, magnet.json().get("magnet").asText());
        assertTrue(magnet.json().get("eta_seconds").isNull(), "no guess without metadata");

        RawHttp.Reply list = http.get("/api/v1/torrents");
        check("GET", "/api/v1/torrents", list, 200);
        assertEquals(3, list.json().get("total").asInt());
        for (JsonNode t : list.json().get("torrents")) {
            api.assertComponent("Torrent", t);
        }
        RawHttp.Reply page = http.get("/api/v1/torrents?fields=name,progress&sort=-name&offset=1&limit=1");
        check("GET", "/api/v1/torrents", page, 200);
        assertEquals(Set.of("id", "name", "progress"), fieldNames(page.json().get("torrents").get(0)));
        RawHttp.Reply filtered = http.get("/api/v1/torrents?state=paused&q=TWO");
        check("GET", "/api/v1/torrents", filtered, 200);
        assertEquals(List.of(formId), ids(filtered.json().get("torrents")));

        for (String each : List.of(id, formId, magnet.json().get("id").asText())) {
            check("GET", "/api/v1/torrents/{id}", http.get("/api/v1/torrents/" + each), 200);
            check("GET", "/api/v1/torrents/{id}/trackers", http.get("/api/v1/torrents/" + each + "/trackers"), 200);
            check("GET", "/api/v1/torrents/{id}/peers", http.get("/api/v1/torrents/" + each + "/peers"), 200);
        }
        RawHttp.Reply files = http.get("/api/v1/torrents/" + id + "/files");
        check("GET", "/api/v1/torrents/{id}/files", files, 200);
        assertEquals("one.bin", files.json().get("files").get(0).get("path").asText());
        RawHttp.Reply trackers = http.get("/api/v1/torrents/" + id + "/trackers");
        assertEquals("http://127.0.0.1:1/announce", trackers.json().get("trackers").get(0).get("url").asText());

        RawHttp.Reply changed = send("PATCH", "/api/v1/torrents/{id}", "/api/v1/torrents/" + id,
                "{\"download_limit\":1000,\"upload_limit\":2000,\"wanted_files\":[0],\"sequential\":false}", true);
        check("PATCH", "/api/v1/torrents/{id}", changed, 200);
        assertEquals(1000, changed.json().get("download_limit").asLong());
        assertFalse(changed.json().get("sequential").asBoolean());
        check("POST", "/api/v1/torrents/{id}/pause", http.send("POST", "/api/v1/torrents/" + id + "/pause", null),
                200);
        check("POST", "/api/v1/torrents/{id}/resume", http.send("POST", "/api/v1/torrents/" + id + "/resume", null),
                200);
        check("POST", "/api/v1/torrents/{id}/recheck",
                http.send("POST", "/api/v1/torrents/" + id + "/recheck", null), 200);

        check("GET", "/api/v1/session", http.get("/api/v1/session"), 200);
        RawHttp.Reply session = send("PATCH", "/api/v1/session", "/api/v1/session",
                "{\"download_limit\":5000,\"upload_limit\":0}", true);
        check("PATCH", "/api/v1/session", session, 200);
        assertEquals(5000, session.json().get("download_limit").asLong());
        assertEquals(3, session.json().get("torrents").asInt());

        RawHttp.Reply all = http.get("/api/v1/changes?since=0");
        check("GET", "/api/v1/changes", all, 200);
        assertTrue(all.json().get("full").asBoolean());
        long cursor = all.json().get("cursor").asLong();

        RawHttp.Reply event = http.firstEvent("/api/v1/events");
        assertEquals(200, event.status());
        assertEquals("text/event-stream", event.header("content-type"));
        api.assertConforms("GET", "/api/v1/events", event);
        api.assertComponent("Changes", eventData(event.text()));

        check("DELETE", "/api/v1/torrents/{id}", http.send("DELETE", "/api/v1/torrents/" + formId
                + "?delete_data=true", null), 204);
        RawHttp.Reply since = http.get("/api/v1/changes?since=" + cursor + "&wait=5");
        check("GET", "/api/v1/changes", since, 200);
        assertEquals(List.of(formId), new ObjectMapper().convertValue(since.json().get("removed"), List.class));
        check("GET", "/api/v1/torrents/{id}", http.get("/api/v1/torrents/" + formId), 404);

        check("POST", "/api/v1/login", send("POST", "/api/v1/login", "/api/v1/login", "{\"password\":\"" + key()
                + "\"}", true), 204);
        check("POST", "/api/v1/logout", http.send("POST", "/api/v1/logout", null), 204);
    }

    @Test
    void errorsHaveTheirDocumentedStatusAndBody() throws Exception {
        String unknown = "cd".repeat(20);
        check("GET", "/api/v1/torrents/{id}", http.get("/api/v1/torrents/" + unknown), 404);
        check("GET", "/api/v1/torrents/{id}/files", http.get("/api/v1/torrents/" + unknown + "/files"), 404);
        check("POST", "/api/v1/torrents/{id}/pause", http.send("POST", "/api/v1/torrents/" + unknown + "/pause",
                null), 404);
        check("DELETE", "/api/v1/torrents/{id}", http.send("DELETE", "/api/v1/torrents/" + unknown, null), 404);
        check("PATCH", "/api/v1/torrents/{id}", http.json("PATCH", "/api/v1/torrents/" + unknown, "{}"), 404);

        String body = "{\"metainfo\":\"" + Base64.getEncoder().encodeToString(TestDaemon.torrent("dup.bin", 20_000,
                List.of())) + "\"}";
        RawHttp.Reply first = http.json("POST", "/api/v1/torrents", body);
        check("POST", "/api/v1/torrents", first, 201);
        RawHttp.Reply again = http.json("POST", "/api/v1/torrents", body);
        check("POST", "/api/v1/torrents", again, 409);
        assertEquals(first.header("Location"), again.header("Location"));

        check("POST", "/api/v1/torrents", http.json("POST", "/api/v1/torrents", "{\"magnet\":"), 400);
        check("POST", "/api/v1/torrents", http.json("POST", "/api/v1/torrents", "[1,2]"), 400);
        check("POST", "/api/v1/torrents", send("POST", "/api/v1/torrents", "/api/v1/torrents",
                "{\"magnet\":\"" + MAGNET + "\",\"colour\":\"blue\"}", false), 400);
        check("POST", "/api/v1/torrents", send("POST", "/api/v1/torrents", "/api/v1/torrents",
                "{\"magnet\":\"" + MAGNET + "\",\"url\":\"" + MAGNET + "\"}", false), 400);
        check("POST", "/api/v1/torrents", send("POST", "/api/v1/torrents", "/api/v1/torrents",
                "{\"paused\":true}", false), 400);
        check("POST", "/api/v1/torrents", send("POST", "/api/v1/torrents", "/api/v1/torrents",
                "{\"magnet\":\"" + MAGNET + "\",\"paused\":\"yes\"}", false), 400);
        check("PATCH", "/api/v1/session", send("PATCH", "/api/v1/session", "/api/v1/session", "{\"dht\":true}",
                false), 400);
        check("PATCH", "/api/v1/torrents/{id}", send("PATCH", "/api/v1/torrents/{id}", first.header("Location"),
                "{\"download_limit\":-1}", false), 400);
        check("PATCH", "/api/v1/torrents/{id}", send("PATCH", "/api/v1/torrents/{id}", first.header("Location"),
                "{\"wanted_files\":[1.5]}", false), 400);
        check("GET", "/api/v1/torrents", http.get("/api/v1/torrents?fields=name,colour"), 400);
        check("GET", "/api/v1/torrents", http.get("/api/v1/torrents?sort=colour"), 400);
        check("GET", "/api/v1/torrents", http.get("/api/v1/torrents?limit=0"), 400);
        check("GET", "/api/v1/changes", http.get("/api/v1/changes?since=-1"), 400);
        // the JDK's server refuses a malformed escape itself, before any route, with its own (HTML) body
        assertEquals(400, http.get("/api/v1/torrents?q=%zz").status());
        check("POST", "/api/v1/torrents", http.json("POST", "/api/v1/torrents", "{\"metainfo\":\"bm90IGEgdG9y\"}"),
                400);

        RawHttp.Reply wrongMethod = http.send("PUT", "/api/v1/torrents", new byte[0]);
        assertEquals(405, wrongMethod.status());
        assertEquals("GET, POST", wrongMethod.header("Allow"));
        api.assertComponent("Error", wrongMethod.json());
        assertEquals(405, wrongMethod.json().get("error").get("status").asInt());
        RawHttp.Reply wrongOnId = http.send("POST", "/api/v1/torrents/" + unknown, new byte[0]);
        assertEquals(405, wrongOnId.status());
        assertEquals("GET, PATCH, DELETE", wrongOnId.header("Allow"));

        RawHttp.Reply tooLarge = http.send("POST", "/api/v1/torrents", null, "Content-Type", "application/json",
                "Content-Length", Long.toString(ApiConfig.MAX_BODY + 1L));
        check("POST", "/api/v1/torrents", tooLarge, 413);
        RawHttp.Reply largePatch = http.send("PATCH", first.header("Location"), null, "Content-Type",
                "application/json", "Content-Length", Long.toString(ApiConfig.MAX_JSON + 1L));
        check("PATCH", "/api/v1/torrents/{id}", largePatch, 413);
        check("POST", "/api/v1/torrents", http.send("POST", "/api/v1/torrents",
                "magnet=x".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/x-www-form-urlencoded"), 415);
        check("POST", "/api/v1/torrents", http.send("POST", "/api/v1/torrents", "x".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "multipart/form-data"), 400);

        check("POST", "/api/v1/torrents", http.send("POST", "/api/v1/torrents", ("--b\r\nContent-Disposition: "
                + "form-data; name=\"magnet\"\r\n\r\nunterminated").getBytes(StandardCharsets.UTF_8),
                "Content-Type", "multipart/form-data; boundary=b"), 400);
        check("POST", "/api/v1/torrents", http.json("POST", "/api/v1/torrents", "{\"magnet\":\"" + MAGNET
                + "\",\"download_dir\":\"a\\u0000b\"}"), 400);
        check("POST", "/api/v1/torrents", http.send("POST", "/api/v1/torrents", ("--b\r\nContent-Disposition: "
                + "form-data; name=\"magnet\"\r\n\r\n" + MAGNET + "\r\n--b\r\nContent-Disposition: form-data; "
                + "name=\"download_dir\"\r\n\r\na\u0000b\r\n--b--").getBytes(StandardCharsets.UTF_8),
                "Content-Type", "multipart/form-data; boundary=b"), 400);
        for (String url : List.of("http:no-host", "https://", "ftp://127.0.0.1/a.torrent", "not a url",
                "http://127.0.0.1:99999/a.torrent", "http://user@/a")) {
            check("POST", "/api/v1/torrents", http.json("POST", "/api/v1/torrents", "{\"url\":\"" + url + "\"}"),
                    400);
        }

        RawHttp.Reply nowhere = http.get("/api/v1/nothing-here");
        assertEquals(404, nowhere.status());
        api.assertComponent("Error", nowhere.json());
    }

    /** Sends a JSON body the document must accept (a successful request) or refuse (a 400). */
    private RawHttp.Reply send(String method, String template, String target, String json, boolean valid)
            throws Exception {
        assertEquals(valid, api.accepts(method, template, json), "the document's schema for " + method + " "
                + template + (valid ? " refuses " : " accepts ") + json);
        return http.json(method, target, json);
    }

    /** Asserts the status, then that the answer is one the document gives for the operation. */
    private void check(String method, String template, RawHttp.Reply reply, int status) {
        assertEquals(status, reply.status(), method + " " + template + ": " + reply);
        api.assertConforms(method, template, reply);
        if (status >= 400) {
            assertEquals(status, reply.json().get("error").get("status").asInt());
            assertFalse(reply.json().get("error").get("message").asText().isBlank());
        }
    }

    private RawHttp.Reply multipart(byte[] torrent) throws Exception {
        String boundary = "----jtorr-test-boundary";
        var body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"torrent\"; filename=\"two.torrent\""
                + "\r\nContent-Type: application/x-bittorrent\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(torrent);
        body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"paused\"\r\n\r\ntrue\r\n--"
                + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send("POST", "/api/v1/torrents", body.toByteArray(), "Content-Type",
                "multipart/form-data; boundary=" + boundary);
    }

    private String key() throws Exception {
        return java.nio.file.Files.readString(dir.resolve("api").resolve("api-key")).strip();
    }

    private static JsonNode eventData(String event) throws Exception {
        assertTrue(event.startsWith("id: "), event);
        assertTrue(event.contains("\nevent: changes\n"), event);
        String data = event.substring(event.indexOf("\ndata: ") + 7).strip();
        return new ObjectMapper().readTree(data);
    }

    private static Set<String> fieldNames(JsonNode node) {
        var names = new LinkedHashSet<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> ids(JsonNode torrents) {
        var out = new ArrayList<String>();
        torrents.forEach(t -> out.add(t.get("id").asText()));
        return out;
    }
}
