package dev.jtorr.adapters.cli.interop;

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
import java.util.Base64;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jtorr daemon} as a process: its watch folder; and a kill with SIGKILL in the middle of a download, then a
 * start again on the same state folder: the torrent is still there, every piece it had verified is on disk and not
 * fetched again, and it completes.
 */
class DaemonProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private JtorrProcess daemon(int seedPort) {
        return JtorrProcess.jtorr(dir, "daemon", "--state-dir", dir.resolve("state").toString(), "--download-dir",
                dir.resolve("downloads").toString(), "--rpc-port", "0", "--port", "0", "--bind", "127.0.0.1",
                "--peer", "127.0.0.1:" + seedPort, "--json");
    }

    static String api(JtorrProcess daemon) throws InterruptedException {
        return daemon.awaitEvent("listening", TIMEOUT).path("api_url").asText();
    }

    static JsonNode get(String url) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return Tools.json(response.body());
    }

    static JsonNode addTorrent(String api, Path torrent) throws Exception {
        String body = "{\"metainfo\":\"" + Base64.getEncoder().encodeToString(Files.readAllBytes(torrent)) + "\"}";
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "api/v1/torrents"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return Tools.json(response.body());
    }

    static JsonNode awaitTorrent(String url, Predicate<JsonNode> condition) throws Exception {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode t = get(url);
        while (!condition.test(t)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within " + TIMEOUT + ": " + t);
            }
            Thread.sleep(100);
            t = get(url);
        }
        return t;
    }

    @Test
    void aDaemonKilledWithSigkillKeepsItsTorrentAndEveryVerifiedPiece() throws Exception {
        Path content = SwarmInteropTest.content(dir, false, 10 << 20);
        Path torrent = SwarmInteropTest.torrent(dir, content, "hybrid", "64KiB");
        int seedPort = Ports.free();
        try (var seeder = SwarmInteropTest.jtorrSeed(dir, torrent, content, seedPort, "--upload-limit", "3MiB")) {
            var first = daemon(seedPort);
            String id;
            long verifiedBeforeKill;
            try {
                String api = api(first);
                id = addTorrent(api, torrent).path("id").asText();
                JsonNode before = awaitTorrent(api + "api/v1/torrents/" + id,
                        t -> t.path("progress").asDouble() >= 0.35);
                verifiedBeforeKill = before.path("verified_bytes").asLong();
            } finally {
                first.kill9();
            }
            Path data = dir.resolve("downloads").resolve(content.getFileName());
            JsonNode report = CrashResumeTest.verifyReport(torrent, data);
            assertTrue(report.path("bad_pieces").size() > 0, "the kill left pieces to fetch: " + report);
            assertTrue(report.path("good_pieces").asLong() * 64 * 1024 >= verifiedBeforeKill,
                    "every piece reported verified before the kill is on disk");

            try (var second = daemon(seedPort)) {
                String api = api(second);
                JsonNode list = get(api + "api/v1/torrents");
                assertEquals(1, list.path("total").asInt(), "the torrent is still in the daemon: " + list);
                JsonNode done = awaitTorrent(api + "api/v1/torrents/" + id,
                        t -> t.path("state").asText().equals("seeding"));
                long total = done.path("size_bytes").asLong();
                assertEquals(total, done.path("verified_bytes").asLong());
                assertTrue(done.path("downloaded").asLong() <= total - verifiedBeforeKill + (1 << 20),
                        "verified pieces were not fetched again: " + done);
            }
            assertEquals(-1L, Files.mismatch(content, data));
        }
    }

    @Test
    void torrentsDroppedIntoTheWatchFolderAreAddedAndRenamedAndABadOneIsSetAside() throws Exception {
        Path content = SwarmInteropTest.content(dir, false, 1 << 20);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "64KiB");
        Path watch = Files.createDirectories(dir.resolve("watch"));
        int seedPort = Ports.free();
        try (var seeder = SwarmInteropTest.jtorrSeed(dir, torrent, content, seedPort);
             var daemon = JtorrProcess.jtorr(dir, "daemon", "--state-dir", dir.resolve("state").toString(),
                     "--download-dir", dir.resolve("downloads").toString(), "--rpc-port", "0", "--port", "0",
                     "--bind", "127.0.0.1", "--peer", "127.0.0.1:" + seedPort, "--watch", watch.toString(),
                     "--json")) {
            String api = api(daemon);
            Files.copy(torrent, watch.resolve("film.torrent"));
            Files.writeString(watch.resolve("junk.torrent"), "not a torrent");
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (!(Files.exists(watch.resolve("film.torrent.added"))
                    && Files.exists(watch.resolve("junk.torrent.invalid")))) {
                assertTrue(System.nanoTime() < end, "the watch folder was not taken up: " + daemon.output());
                Thread.sleep(100);
            }
            JsonNode list = get(api + "api/v1/torrents");
            assertEquals(1, list.path("total").asInt(), list.toString());
            String id = list.path("torrents").get(0).path("id").asText();
            awaitTorrent(api + "api/v1/torrents/" + id, t -> t.path("state").asText().equals("seeding"));
        }
        assertEquals(-1L, Files.mismatch(content, dir.resolve("downloads").resolve(content.getFileName())));
    }
}
