package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.adapters.cli.wiring.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * jtorr in real swarms with real clients from Debian's packages, on loopback: libtorrent (python3-libtorrent) and
 * aria2 as seeders and downloaders, jtorr against itself. Every byte that arrives is compared with the original.
 */
class SwarmInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String LT_PEER = script("lt_peer.py");

    @TempDir
    Path dir;

    static String script(String name) {
        try {
            return Path.of(SwarmInteropTest.class.getResource("/interop/" + name).toURI()).toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Makes the content: one file, or a tree with empty files and odd sizes; returns its path. */
    static Path content(Path dir, boolean multi, int scale) throws IOException {
        var random = new Random(scale);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        if (multi) {
            sizes.put("set/big.bin", scale + 12_345);
            sizes.put("set/empty", 0);
            sizes.put("set/a/odd.txt", 70_001);
            sizes.put("set/a/b/tiny", 1);
            sizes.put("set/z.bin", scale / 3 + 7);
        } else {
            sizes.put("one.bin", scale + 4321);
        }
        for (var e : sizes.entrySet()) {
            Path p = dir.resolve("src").resolve(e.getKey());
            Files.createDirectories(p.getParent());
            byte[] data = new byte[e.getValue()];
            random.nextBytes(data);
            Files.write(p, data);
        }
        return dir.resolve("src").resolve(multi ? "set" : "one.bin");
    }

    static Path torrent(Path dir, Path content, String version, String pieceSize) {
        Path out = dir.resolve(content.getFileName() + "." + version + ".torrent");
        var run = CliRun.of("create", content.toString(), "--" + version, "--piece-size", pieceSize, "-o",
                out.toString(), "--force");
        assertEquals(0, run.status(), run.toString());
        return out;
    }

    /** Every regular file under {@code expected} is in {@code actual} with the same bytes, and nothing else. */
    static void assertSameTree(Path expected, Path actual) throws IOException {
        assertEquals(files(expected), files(actual), "same files");
        for (String f : files(expected)) {
            assertEquals(-1L, Files.mismatch(expected.resolve(f), actual.resolve(f)), f + " is byte-identical");
        }
    }

    private static List<String> files(Path root) throws IOException {
        if (Files.isRegularFile(root)) {
            return List.of("");
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    static JtorrProcess libtorrentSeed(Path dir, Path torrent, Path content, int port, long uploadLimit)
            throws InterruptedException {
        return libtorrentSeed(dir, torrent, content, port, uploadLimit, "default");
    }

    /** A libtorrent seeder; {@code encryption} as lt_peer.py's --encryption (default, handshake, rc4). */
    static JtorrProcess libtorrentSeed(Path dir, Path torrent, Path content, int port, long uploadLimit,
                                       String encryption) throws InterruptedException {
        Tools.requireLibtorrent();
        var p = JtorrProcess.start(dir, "libtorrent seed", List.of(Tools.PYTHON, LT_PEER, "seed", torrent.toString(),
                content.getParent().toString(), String.valueOf(port), "--upload-limit", String.valueOf(uploadLimit),
                "--seconds", "300", "--encryption", encryption));
        p.awaitEvent("seeding", TIMEOUT);
        return p;
    }

    static JtorrProcess jtorrSeed(Path dir, Path torrent, Path content, int port, String... extra)
            throws InterruptedException {
        return awaitSeeding(JtorrProcess.jtorr(dir, jtorrSeedArgs(torrent, content, port, extra)));
    }

    /** The arguments of {@code jtorr seed} for {@code content} on loopback {@code port}, with JSON events. */
    static String[] jtorrSeedArgs(Path torrent, Path content, int port, String... extra) {
        var args = new ArrayList<>(List.of("seed", content.toString(), "--torrent", torrent.toString(), "--port",
                String.valueOf(port), "--bind", "127.0.0.1", "--json"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Waits until a {@code jtorr seed} process has checked its data and seeds; returns it. */
    static JtorrProcess awaitSeeding(JtorrProcess seed) throws InterruptedException {
        seed.await(e -> e.path("event").asText().equals("progress") && e.path("phase").asText().equals("seeding"),
                TIMEOUT);
        return seed;
    }

    /** Runs {@code jtorr download} in this JVM; returns its "finished" JSON event. */
    static JsonNode jtorrDownload(Path torrent, Path output, String... peers) {
        return jtorrDownload(torrent, output, List.of(), peers);
    }

    /** Runs {@code jtorr download} in this JVM with {@code extra} options; returns its "finished" JSON event. */
    static JsonNode jtorrDownload(Path torrent, Path output, List<String> extra, String... peers) {
        var args = new ArrayList<>(List.of("download", torrent.toString(), "-o", output.toString(), "--port", "0",
                "--bind", "127.0.0.1", "--json"));
        args.addAll(extra);
        for (String p : peers) {
            args.add("--peer");
            args.add(p);
        }
        var run = CliRun.of(args.toArray(String[]::new));
        return finishedComplete(run);
    }

    /** A run's last "finished" JSON event, after checking the run exited 0 and reported a complete result. */
    static JsonNode finishedComplete(CliRun run) {
        assertEquals(0, run.status(), run.toString());
        JsonNode finished = null;
        for (String line : run.out().split("\n")) {
            JsonNode e = Tools.json(line);
            if (e.path("event").asText().equals("finished")) {
                finished = e;
            }
        }
        assertTrue(finished != null && finished.path("complete").asBoolean(), run.toString());
        return finished;
    }

    static void awaitListening(int port, JtorrProcess process) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nothing listens on port " + port + "\n" + process.output());
    }

    /**
     * Pieces of 64 KiB are written through the page cache; 1 MiB ones mostly with direct I/O (where the file system
     * of the temporary folder allows it), unless {@code --no-direct-io}.
     */
    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @CsvSource({"v1, single, 64KiB, ''", "v1, multi, 64KiB, ''", "hybrid, single, 64KiB, ''",
        "hybrid, multi, 64KiB, ''", "v1, multi, 1MiB, ''", "hybrid, multi, 1MiB, ''",
        "v1, single, 1MiB, --no-direct-io", "v2, single, 64KiB, ''", "v2, multi, 64KiB, ''", "v2, multi, 1MiB, ''"})
    void jtorrDownloadsFromALibtorrentSeeder(String version, String layout, String pieces, String option)
            throws Exception {
        Path content = content(dir, layout.equals("multi"), 3 << 20);
        Path torrent = torrent(dir, content, version, pieces);
        int port = Ports.free();
        try (var seeder = libtorrentSeed(dir, torrent, content, port, 0)) {
            Path out = dir.resolve("downloads");
            JsonNode finished = jtorrDownload(torrent, out, option.isEmpty() ? List.of() : List.of(option),
                    "127.0.0.1:" + port);
            assertSameTree(content, out.resolve(content.getFileName()));
            assertFalse(Files.exists(out.resolve(content.getFileName()).resolve(".pad")), "pad files never written");
            assertTrue(finished.path("peers").get(0).path("client").asText().startsWith("LT"), finished.toString());
        }
    }

    /**
     * A v2-only torrent made by libtorrent (its piece layers, its file order): jtorr downloads it from a libtorrent
     * seeder under the truncated v2 info-hash, then seeds it to a second libtorrent, which checks every piece.
     */
    @Test
    void aV2OnlyTorrentMadeByLibtorrentCrossesBothWays() throws Exception {
        Tools.requireLibtorrent();
        Path content = content(dir, true, 3 << 20);
        Path torrent = dir.resolve("lt-v2.torrent");
        Tools.run(dir, Tools.PYTHON, script("lt_tool.py"), "create", content.toString(), torrent.toString(), "v2",
                "65536");
        int port = Ports.free();
        Path out = dir.resolve("downloads");
        try (var seeder = libtorrentSeed(dir, torrent, content, port, 0)) {
            jtorrDownload(torrent, out, "127.0.0.1:" + port);
            assertSameTree(content, out.resolve(content.getFileName()));
        }
        int jtorrPort = Ports.free();
        try (var seeder = jtorrSeed(dir, torrent, out.resolve(content.getFileName()), jtorrPort)) {
            Path ltOut = Files.createDirectories(dir.resolve("lt-downloads"));
            var lt = JtorrProcess.start(dir, "libtorrent download", List.of(Tools.PYTHON, LT_PEER, "download",
                    torrent.toString(), ltOut.toString(), String.valueOf(Ports.free()), "--peer",
                    "127.0.0.1:" + jtorrPort, "--seconds", "60"));
            lt.awaitEvent("finished", TIMEOUT);
            assertEquals(0, lt.waitFor(TIMEOUT), lt.output());
            assertSameTree(content, ltOut.resolve(content.getFileName()));
        }
    }

    /**
     * The whole download through the CLI against libtorrent's encryption policies (lt_peer.py's --encryption:
     * "handshake" allows only the encrypted handshake, plain text after it; "rc4" only an RC4 stream; "plain" no
     * encryption; "default" libtorrent's own) with a jtorr --encryption value; the finished event says how the
     * connection was protected.
     */
    @ParameterizedTest(name = "libtorrent {0}, jtorr {1}")
    @CsvSource({"handshake, prefer, handshake", "rc4, prefer, rc4", "rc4, require, rc4", "rc4, allow, rc4",
        "plain, prefer, none", "default, require, rc4", "default, disable, none"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // never connected
    void jtorrDownloadsFromALibtorrentSeederWithEachEncryption(String ltPolicy, String jtorrPolicy, String expected)
            throws Exception {
        Path content = content(dir, true, 3 << 20);
        Path torrent = torrent(dir, content, "v1", "64KiB");
        int port = Ports.free();
        try (var seeder = libtorrentSeed(dir, torrent, content, port, 0, ltPolicy)) {
            Path out = dir.resolve("downloads");
            JsonNode finished = jtorrDownload(torrent, out, List.of("--encryption", jtorrPolicy),
                    "127.0.0.1:" + port);
            assertSameTree(content, out.resolve(content.getFileName()));
            JsonNode peer = finished.path("peers").get(0);
            assertTrue(peer.path("client").asText().startsWith("LT"), finished.toString());
            assertEquals(expected, peer.path("encryption").asText(), finished.toString());
        }
    }

    /** --download-limit holds against a libtorrent seeder that could send far faster (a lower bound only). */
    @Test
    void aDownloadLimitHoldsAgainstALibtorrentSeeder() throws Exception {
        Path content = content(dir, false, 3 << 20);
        Path torrent = torrent(dir, content, "v1", "64KiB");
        int port = Ports.free();
        try (var seeder = libtorrentSeed(dir, torrent, content, port, 0)) {
            Path out = dir.resolve("downloads");
            JsonNode finished = jtorrDownload(torrent, out, List.of("--download-limit", "1MiB"), "127.0.0.1:" + port);
            assertSameTree(content, out.resolve(content.getFileName()));
            // 3 MiB at 1 MiB/s, less the quarter-second burst the bucket allows
            assertTrue(finished.path("seconds").asDouble() > 2.5, finished.toString());
        }
    }

    /** libtorrent with each of its encryption policies downloads from a jtorr seeder with an --encryption value. */
    @ParameterizedTest(name = "{0} {1}, libtorrent {2}, jtorr {3}")
    @CsvSource({"v1, multi, default, prefer", "hybrid, single, default, prefer", "v1, single, handshake, prefer",
        "v1, multi, rc4, require", "v1, single, plain, disable", "v1, single, default, disable",
        "v2, multi, default, prefer", "v2, single, default, prefer"})
    void libtorrentDownloadsFromAJtorrSeeder(String version, String layout, String encryption, String jtorrPolicy)
            throws Exception {
        Tools.requireLibtorrent();
        Path content = content(dir, layout.equals("multi"), 3 << 20);
        Path torrent = torrent(dir, content, version, "32KiB");
        int port = Ports.free();
        try (var seeder = jtorrSeed(dir, torrent, content, port, "--encryption", jtorrPolicy)) {
            Path out = Files.createDirectories(dir.resolve("lt-downloads"));
            var lt = JtorrProcess.start(dir, "libtorrent download", List.of(Tools.PYTHON, LT_PEER, "download",
                    torrent.toString(), out.toString(), String.valueOf(Ports.free()), "--peer", "127.0.0.1:" + port,
                    "--seconds", "60", "--encryption", encryption));
            lt.awaitEvent("finished", TIMEOUT);
            assertEquals(0, lt.waitFor(TIMEOUT));
            assertSameTree(content, out.resolve(content.getFileName()));
        }
    }

    @Test
    void jtorrDownloadsFromLibtorrentAria2AndJtorrAtOnceAndEachContributes() throws Exception {
        Tools.requireLibtorrent();
        Tools.requireCommand("aria2c", "aria2");
        Path content = content(dir, false, 16 << 20);
        Path torrent = torrent(dir, content, "v1", "64KiB");
        int ltPort = Ports.free();
        int ariaPort = Ports.free();
        int jtPort = Ports.free();
        long limit = 1 << 20;
        try (var lt = libtorrentSeed(dir, torrent, content, ltPort, limit);
             var aria = JtorrProcess.start(dir, "aria2 seed", List.of("aria2c", "--interface=127.0.0.1",
                     "--disable-ipv6=true", "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
                     "--enable-peer-exchange=false", "--no-conf=true", "--check-integrity=true",
                     "--bt-hash-check-seed=true", "--seed-ratio=0.0", "--seed-time=5", "--listen-port=" + ariaPort,
                     "--max-overall-upload-limit=" + limit, "--console-log-level=warn", "--summary-interval=0",
                     "-d", content.getParent().toString(), torrent.toString()));
             var jt = jtorrSeed(dir, torrent, content, jtPort, "--upload-limit", "1MiB")) {
            awaitListening(ariaPort, aria); // aria2 checks the data first, then listens
            JsonNode finished = jtorrDownload(torrent, dir.resolve("downloads"), "127.0.0.1:" + ltPort,
                    "127.0.0.1:" + ariaPort, "127.0.0.1:" + jtPort);
            assertSameTree(content, dir.resolve("downloads").resolve(content.getFileName()));
            Map<String, Long> byClient = new LinkedHashMap<>();
            for (JsonNode p : finished.path("peers")) {
                byClient.merge(p.path("client").asText().substring(0, 2), p.path("downloaded").asLong(), Long::sum);
            }
            for (String client : List.of("LT", "A2", "JT")) {
                assertTrue(byClient.getOrDefault(client, 0L) > 0, client + " contributed: " + byClient);
            }
        }
    }

    @Test
    void oneUploadLimitedJtorrSeederAndFourJtorrLeechersFinishAndTrade() throws Exception {
        Path content = content(dir, true, 6 << 20);
        Path torrent = torrent(dir, content, "hybrid", "64KiB");
        int seedPort = Ports.free();
        int[] ports = {Ports.free(), Ports.free(), Ports.free(), Ports.free()};
        try (var seeder = jtorrSeed(dir, torrent, content, seedPort, "--upload-limit", "1MiB")) {
            var leechers = new ArrayList<JtorrProcess>();
            for (int i = 0; i < 4; i++) {
                var args = new ArrayList<>(List.of("download", torrent.toString(), "-o", "leecher" + i, "--port",
                        String.valueOf(ports[i]), "--bind", "127.0.0.1", "--json", "--peer", "127.0.0.1:" + seedPort));
                for (int j = 0; j < 4; j++) {
                    if (j != i) {
                        args.addAll(List.of("--peer", "127.0.0.1:" + ports[j]));
                    }
                }
                leechers.add(JtorrProcess.jtorr(dir, args.toArray(String[]::new)));
            }
            long fromLeechers = 0;
            for (int i = 0; i < 4; i++) {
                var l = leechers.get(i);
                JsonNode finished = l.awaitEvent("finished", TIMEOUT);
                assertEquals(0, l.waitFor(TIMEOUT), l.output());
                assertTrue(finished.path("complete").asBoolean(), finished.toString());
                assertSameTree(content, dir.resolve("leecher" + i).resolve(content.getFileName()));
                for (JsonNode p : finished.path("peers")) {
                    if (!p.path("address").asText().endsWith(":" + seedPort)) {
                        fromLeechers += p.path("downloaded").asLong();
                    }
                }
            }
            // at 1 MiB/s the seeder alone would need ~25 s for four copies; the leechers shared the rest
            assertTrue(fromLeechers > Files.size(content.resolve("big.bin")), "bytes traded between leechers: "
                    + fromLeechers);
        }
    }
}
