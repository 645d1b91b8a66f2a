package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jtorr stream} from a slow seed: a range at the end of the file is served, byte for byte, before the start
 * of the file has arrived; the whole file served afterwards is the seed's.
 */
class StreamProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theEndOfAFileIsServedBeforeItsStartHasArrived() throws Exception {
        Path content = SwarmInteropTest.content(dir, false, 8 << 20);
        byte[] data = Files.readAllBytes(content);
        Path torrent = SwarmInteropTest.torrent(dir, content, "hybrid", "64KiB");
        int seedPort = Ports.free();
        try (var seeder = SwarmInteropTest.jtorrSeed(dir, torrent, content, seedPort, "--upload-limit", "1MiB");
             var stream = JtorrProcess.jtorr(dir, "stream", torrent.toString(), "--peer", "127.0.0.1:" + seedPort,
                     "--http-port", "0", "--port", "0", "--bind", "127.0.0.1", "--state-dir",
                     dir.resolve("state").toString(), "-o", dir.resolve("downloads").toString(), "--json")) {
            String url = stream.awaitEvent("streaming", TIMEOUT).path("url").asText();
            String torrentUrl = url.substring(0, url.indexOf("/files/"));

            int from = data.length - 100_000;
            HttpResponse<byte[]> tail = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Range", "bytes=" + from + "-").timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode when = Tools.json(HTTP.send(HttpRequest.newBuilder(URI.create(torrentUrl)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(206, tail.statusCode());
            assertEquals("bytes " + from + "-" + (data.length - 1) + "/" + data.length,
                    tail.headers().firstValue("Content-Range").orElse(""));
            assertArrayEquals(Arrays.copyOfRange(data, from, data.length), tail.body());
            assertTrue(when.path("progress").asDouble() < 0.5,
                    "the end came first, long before the rest: " + when);

            HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(200, head.statusCode());
            assertEquals("bytes", head.headers().firstValue("Accept-Ranges").orElse(""));
            assertEquals(Long.toString(data.length), head.headers().firstValue("Content-Length").orElse(""));

            HttpResponse<byte[]> whole = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, whole.statusCode());
            assertArrayEquals(data, whole.body());

            HttpResponse<String> outside = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Range", "bytes=" + data.length + "-").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(416, outside.statusCode());
        }
    }
}
