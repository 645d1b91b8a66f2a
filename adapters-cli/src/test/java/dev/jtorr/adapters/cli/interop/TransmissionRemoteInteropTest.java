package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.adapters.cli.wiring.CliRun;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's transmission-remote 3.00 drives a {@code jtorr daemon} through its Transmission RPC: it adds a .torrent
 * that the daemon then downloads from a {@code jtorr seed}, lists it to 100 %, shows it, stops, starts and verifies
 * it, sets speed limits, and removes it, with and without its data.
 */
class TransmissionRemoteInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void transmissionRemoteAddsListsShowsStopsStartsVerifiesLimitsAndRemovesADownload() throws Exception {
        Tools.requireCommand("transmission-remote", "transmission-cli");
        Path content = dir.resolve("seed").resolve("payload.bin");
        Files.createDirectories(content.getParent());
        byte[] bytes = new byte[3_000_000];
        new Random(17).nextBytes(bytes);
        Files.write(content, bytes);
        Path torrent = dir.resolve("payload.torrent");
        var made = CliRun.of("create", content.toString(), "--piece-size", "64KiB", "-o", torrent.toString());
        assertEquals(0, made.status(), made.toString());
        Path downloads = dir.resolve("dl");
        int seedPort = Ports.free();

        try (var seed = SwarmInteropTest.awaitSeeding(JtorrProcess.jtorr(dir,
                SwarmInteropTest.jtorrSeedArgs(torrent, content, seedPort, "--no-trackers")));
             var daemon = JtorrProcess.jtorr(dir, "daemon", "--state-dir", dir.resolve("state").toString(),
                     "--download-dir", downloads.toString(), "--rpc-port", "0", "--port", "0", "--bind", "127.0.0.1",
                     "--peer", "127.0.0.1:" + seedPort, "--json")) {
            JsonNode listening = daemon.awaitEvent("listening", TIMEOUT);
            String api = listening.path("api_url").asText();
            String host = URI.create(api).getAuthority();
            var remote = new Remote(host);

            assertTrue(remote.run("-a", torrent.toString()).contains("success"));
            String done = remote.awaitList(l -> l.contains("payload.bin") && l.contains("100%"));
            assertTrue(done.contains("Done"), "nothing left: the ETA column says Done\n" + done);
            Path downloaded = downloads.resolve("payload.bin");
            assertEquals(-1, Files.mismatch(downloaded, content), "the bytes on disk are the seed's");

            String info = remote.run("-t", "1", "-i");
            assertTrue(info.contains("Name: payload.bin"), info);
            assertTrue(info.contains("Percent Done: 100%"), info);
            assertTrue(info.contains("Total size: 3.00 MB"), info);
            assertTrue(info.contains("Location: " + downloads), info);

            remote.run("-t", "1", "-S");
            remote.awaitList(l -> l.contains("payload.bin") && (l.contains("Stopped") || l.contains("Finished")));
            remote.run("-t", "1", "-s");
            remote.awaitList(l -> l.contains("payload.bin") && !l.contains("Stopped") && !l.contains("Finished"));
            corruptOneByte(downloaded, 1_000_000);
            remote.run("-t", "1", "-v");
            // only a check finds the damaged piece, and only a fetch from the seed repairs it
            remote.awaitList(l -> l.contains("payload.bin") && l.contains("100%") && !l.contains("Verifying")
                    && mismatch(downloaded, content) == -1);

            remote.run("-d", "100");
            assertEquals(100_000, session(api).path("download_limit").asLong(), "the engine got 100 kB/s");
            assertTrue(remote.run("-si").contains("Download speed limit: 100 kB/s"));
            remote.run("-D");
            assertEquals(0, session(api).path("download_limit").asLong());
            remote.run("-t", "1", "-u", "30");
            assertTrue(remote.run("-t", "1", "-i").contains("Upload Limit: 30 kB/s"));

            remote.run("-t", "1", "-r");
            remote.awaitList(l -> !l.contains("payload.bin"));
            assertTrue(Files.exists(downloaded), "a plain remove keeps the data");

            remote.run("-a", torrent.toString());
            remote.awaitList(l -> l.contains("payload.bin") && l.contains("100%"));
            remote.run("-t", "1", "--remove-and-delete");
            remote.awaitList(l -> !l.contains("payload.bin"));
            assertFalse(Files.exists(downloaded), "--remove-and-delete deletes the data");
            assertTrue(seed.isAlive(), seed.output());
        }
    }

    @Test
    void boundBeyondLoopbackTheDaemonTakesTheApiKeyFromTransmissionRemotesAuth() throws Exception {
        Tools.requireCommand("transmission-remote", "transmission-cli");
        Path content = Files.write(dir.resolve("small.bin"), new byte[100_000]);
        Path torrent = dir.resolve("small.torrent");
        assertEquals(0, CliRun.of("create", content.toString(), "-o", torrent.toString()).status());
        Path state = dir.resolve("state");
        // in a namespace of its own, 0.0.0.0 reaches that namespace's loopback alone, yet it is not a loopback
        // address: the daemon asks for credentials as it would on a network
        try (var ns = Netns.create();
             var daemon = JtorrProcess.jtorrIn(ns, dir, "daemon", "--state-dir", state.toString(), "--download-dir",
                     dir.resolve("dl").toString(), "--rpc-bind", "0.0.0.0", "--rpc-port", "0", "--port", "0",
                     "--json")) {
            int port = URI.create(daemon.awaitEvent("listening", TIMEOUT).path("api_url").asText()).getPort();
            String key = Files.readString(state.resolve("api-key")).strip();
            String host = "127.0.0.1:" + port;
            assertTrue(exit(ns, "transmission-remote", host, "-l").contains("401"));
            assertTrue(exit(ns, "transmission-remote", host, "--auth", "me:wrong", "-l").contains("401"));
            assertTrue(Tools.run(dir, ns.exec(List.of("transmission-remote", host, "--auth", "me:" + key, "-a",
                    torrent.toString())).toArray(String[]::new)).contains("success"));
            assertTrue(Tools.run(dir, ns.exec(List.of("transmission-remote", host, "--auth", "me:" + key, "-l"))
                    .toArray(String[]::new)).contains("small.bin"));
        }
    }

    /** Runs a command inside {@code ns} that must fail; returns its output. */
    private String exit(Netns ns, String... command) throws Exception {
        Process p = new ProcessBuilder(ns.exec(List.of(command))).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), String.join(" ", command));
        assertTrue(p.exitValue() != 0, "expected a failure:\n" + out);
        return out;
    }

    private static void corruptOneByte(Path file, long position) throws java.io.IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            var b = java.nio.ByteBuffer.allocate(1);
            channel.read(b, position);
            b.put(0, (byte) ~b.get(0)).rewind();
            channel.write(b, position);
        }
    }

    private static long mismatch(Path a, Path b) {
        try {
            return Files.mismatch(a, b);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static JsonNode session(String api) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api
                + "api/v1/session")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Tools.json(r.body());
    }

    /** transmission-remote aimed at the daemon. */
    private final class Remote {
        private final String host;

        Remote(String host) {
            this.host = host;
        }

        String run(String... args) {
            var command = new ArrayList<>(List.of("transmission-remote", host));
            command.addAll(List.of(args));
            return Tools.run(dir, command.toArray(String[]::new));
        }

        /** Lists until the list (its lines between the header and the sum) satisfies {@code match}; returns it. */
        String awaitList(Predicate<String> match) throws InterruptedException {
            long end = System.nanoTime() + TIMEOUT.toNanos();
            String list = "";
            while (System.nanoTime() < end) {
                List<String> lines = List.of(run("-l").split("\n"));
                list = String.join("\n", lines.subList(Math.min(1, lines.size()), Math.max(1, lines.size() - 1)));
                if (match.test(list)) {
                    return list;
                }
                Thread.sleep(200);
            }
            fail("transmission-remote -l never showed what was expected; last:\n" + list);
            return list;
        }
    }
}
