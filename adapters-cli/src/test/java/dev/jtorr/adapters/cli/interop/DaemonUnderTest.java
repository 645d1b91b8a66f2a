package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A {@code jtorr daemon} process on loopback (API and peer ports chosen by the system, offline settings), its state
 * and downloads in a test's folder, with a small client for its HTTP API. Closing stops it (SIGTERM).
 */
final class DaemonUnderTest implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final JtorrProcess process;
    private final String url;
    private final Path downloads;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private DaemonUnderTest(JtorrProcess process, String url, Path downloads) {
        this.process = process;
        this.url = url;
        this.downloads = downloads;
    }

    static DaemonUnderTest start(Path dir) throws InterruptedException, IOException {
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        var process = JtorrProcess.jtorr(dir, "daemon", "--state-dir", dir.resolve("state").toString(),
                "--download-dir", downloads.toString(), "--rpc-port", "0", "--port", "0", "--json");
        try {
            JsonNode listening = process.awaitEvent("listening", TIMEOUT);
            return new DaemonUnderTest(process, listening.path("api_url").asText(), downloads);
        } catch (InterruptedException | RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    /** The page's address, e.g. {@code http://127.0.0.1:40123/}. */
    String url() {
        return url;
    }

    Path downloads() {
        return downloads;
    }

    /** Adds a .torrent (as base64 JSON); returns its id. */
    String add(byte[] torrent, boolean paused) throws IOException, InterruptedException {
        String body = Tools.JSON.writeValueAsString(Map.of("metainfo", Base64.getEncoder().encodeToString(torrent),
                "paused", paused));
        return call("POST", "api/v1/torrents", body, 201).path("id").asText();
    }

    /** GETs an API path (without the leading slash) that must answer 200. */
    JsonNode get(String path) throws IOException, InterruptedException {
        return call("GET", path, null, 200);
    }

    /** The status an API path answers a GET with. */
    int status(String path) throws IOException, InterruptedException {
        return send("GET", path, null).statusCode();
    }

    JsonNode post(String path) throws IOException, InterruptedException {
        return call("POST", path, "", 200);
    }

    JsonNode patch(String path, String json) throws IOException, InterruptedException {
        return call("PATCH", path, json, 200);
    }

    private JsonNode call(String method, String path, String body, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, body);
        assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
        return Tools.json(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    String output() {
        return process.output();
    }

    @Override
    public void close() throws InterruptedException {
        http.close();
        process.close();
    }
}
