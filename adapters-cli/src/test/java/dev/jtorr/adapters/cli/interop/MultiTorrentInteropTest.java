package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.adapters.cli.wiring.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several torrents in one jtorr process over one port, against real software: libtorrent fetching two torrents from
 * one {@code jtorr seed A B}, one {@code jtorr download T1 T2 T3} from three libtorrent seeders, a kill -9 in the
 * middle of a three-torrent download, and the shared port's routing by info-hash over real TCP.
 */
class MultiTorrentInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String LT_PEER = SwarmInteropTest.script("lt_peer.py");

    @TempDir
    Path dir;

    @Test
    void libtorrentDownloadsTwoTorrentsFromOneJtorrSeedProcessOnOnePort() throws Exception {
        Tools.requireLibtorrent();
        Path a = file("alpha.bin", (3 << 20) + 777, 1);
        Path b = tree("beta", 2 << 20, 2);
        Path ta = create(a, "v1", "32KiB");
        Path tb = create(b, "hybrid", "64KiB");
        int port = Ports.free();
        try (var seeder = seed(port, List.of(a, b))) {
            Path out = Files.createDirectories(dir.resolve("lt-downloads"));
            // one libtorrent session holds both torrents and dials the one jtorr port for each
            try (var lt = JtorrProcess.start(dir, "libtorrent download", List.of(Tools.PYTHON, LT_PEER, "download",
                    ta.toString(), out.toString(), String.valueOf(Ports.free()), "--torrent", tb.toString(),
                    "--peer", "127.0.0.1:" + port, "--seconds", "50"))) {
                JsonNode finished = lt.awaitEvent("finished", TIMEOUT);
                assertEquals(0, lt.waitFor(TIMEOUT), lt.output());
                assertEquals(2, finished.path("torrents").size(), finished.toString());
            }
            SwarmInteropTest.assertSameTree(a, out.resolve("alpha.bin"));
            SwarmInteropTest.assertSameTree(b, out.resolve("beta"));
            // each torrent's bytes came from its own session in the seeder, which says so in its progress
            for (Path content : List.of(a, b)) {
                String id = v1(create(content));
                long size = size(content);
                seeder.await(e -> isProgress(e, id) && e.path("uploaded").asLong() >= size, TIMEOUT);
            }
        }
    }

    @Test
    void jtorrDownloadsThreeTorrentsFromThreeLibtorrentSeedersInOneRun() throws Exception {
        Tools.requireLibtorrent();
        List<Path> contents = List.of(file("one.bin", (3 << 20) + 5, 3), tree("two", 2 << 20, 4),
                file("three.bin", (3 << 19) + 99, 5));
        List<String> versions = List.of("v1", "hybrid", "v1");
        var torrents = new ArrayList<Path>();
        var ids = new ArrayList<String>();
        var ports = new ArrayList<Integer>();
        var seeders = new ArrayList<JtorrProcess>();
        try {
            for (int i = 0; i < 3; i++) {
                Path content = contents.get(i);
                Path torrent = dir.resolve("torrents").resolve(content.getFileName() + ".torrent");
                Files.createDirectories(torrent.getParent());
                // made by libtorrent, so jtorr also reads another tool's torrents here
                Tools.libtorrent(dir, "create", content.toString(), torrent.toString(), versions.get(i), "65536");
                torrents.add(torrent);
                ids.add(Tools.libtorrent(dir, "inspect", torrent.toString()).path("v1").asText());
                ports.add(Ports.free());
                seeders.add(SwarmInteropTest.libtorrentSeed(dir, torrent, content, ports.get(i), 0));
            }
            Path out = dir.resolve("downloads");
            var args = new ArrayList<>(List.of("download"));
            torrents.forEach(t -> args.add(t.toString()));
            args.addAll(List.of("-o", out.toString(), "--port", "0", "--bind", "127.0.0.1", "--json"));
            // every --peer applies to every torrent: the two seeders without a torrent hang up on it
            ports.forEach(p -> args.addAll(List.of("--peer", "127.0.0.1:" + p)));
            CliRun run = CliRun.of(args.toArray(String[]::new));

            assertEquals(0, run.status(), run.toString());
            Map<String, JsonNode> finished = finishedByTorrent(run.out());
            assertEquals(ids.stream().sorted().toList(), finished.keySet().stream().sorted().toList(),
                    "one finished event per torrent, named by its v1 info-hash\n" + run);
            for (int i = 0; i < 3; i++) {
                Path content = contents.get(i);
                JsonNode f = finished.get(ids.get(i));
                assertTrue(f.path("complete").asBoolean(), f.toString());
                assertEquals(content.getFileName().toString(), f.path("name").asText(), f.toString());
                assertEquals(size(content), f.path("total_bytes").asLong(), f.toString());
                SwarmInteropTest.assertSameTree(content, out.resolve(content.getFileName()));
                long fromOwnSeeder = 0;
                for (JsonNode p : f.path("peers")) {
                    if (p.path("address").asText().equals("127.0.0.1:" + ports.get(i))) {
                        fromOwnSeeder += p.path("downloaded").asLong();
                    } else {
                        assertEquals(0, p.path("downloaded").asLong(), "only the seeder that has the torrent sends"
                                + " it: " + f);
                    }
                }
                assertTrue(fromOwnSeeder >= size(content), "came from its libtorrent seeder: " + f);
            }
        } finally {
            for (JtorrProcess s : seeders) {
                s.close();
            }
        }
    }

    /**
     * The seeder's upload limit is a total over its three torrents (about 5 s for all of them), and it is not shared
     * evenly, so one torrent may be complete when the downloader dies; the kill comes once each has verified pieces
     * and a third of the whole is verified.
     */
    @Test
    void aThreeTorrentDownloadKilledWithSigkillResumesKeepingEveryVerifiedPiece() throws Exception {
        List<Path> contents = List.of(file("a.bin", (4 << 20) + 1234, 6), file("b.bin", 3 << 20, 7),
                tree("c", 3 << 20, 8));
        List<Path> torrents = List.of(create(contents.get(0), "v1", "64KiB"), create(contents.get(1), "hybrid",
                "64KiB"), create(contents.get(2), "v1", "64KiB"));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            index.put(v1(torrents.get(i)), i);
        }
        long total = 0;
        for (Path c : contents) {
            total += size(c);
        }
        int seedPort = Ports.free();
        Path out = dir.resolve("downloads");
        var download = new ArrayList<>(List.of("download"));
        torrents.forEach(t -> download.add(t.toString()));
        download.addAll(List.of("-o", out.toString(), "--port", "0", "--bind", "127.0.0.1", "--json", "--peer",
                "127.0.0.1:" + seedPort));
        try (var seeder = seed(seedPort, contents, "--upload-limit", "2MiB")) {
            long[] verifiedBeforeKill = new long[3];
            try (var first = JtorrProcess.jtorr(dir, download.toArray(String[]::new))) {
                awaitPartlyVerified(first, index, total);
                first.kill9();
                // everything it printed before it died counts as reported before the kill
                for (JsonNode e : first.events()) {
                    Integer i = index.get(e.path("torrent").asText());
                    if (e.path("event").asText().equals("progress") && i != null) {
                        verifiedBeforeKill[i] = Math.max(verifiedBeforeKill[i], e.path("verified_bytes").asLong());
                    }
                }
            }

            long[] onDisk = new long[3];
            for (int i = 0; i < 3; i++) {
                Path content = contents.get(i);
                onDisk[i] = verifiedOnDisk(torrents.get(i), out.resolve(content.getFileName()), size(content));
                assertTrue(onDisk[i] >= verifiedBeforeKill[i], content.getFileName() + ": every piece reported "
                        + "verified before the kill is on disk: " + onDisk[i] + " >= " + verifiedBeforeKill[i]);
            }
            assertTrue(Arrays.stream(onDisk).sum() < total, "the kill left pieces to fetch");

            CliRun again = CliRun.of(download.toArray(String[]::new));
            assertEquals(0, again.status(), again.toString());
            Map<String, JsonNode> finished = finishedByTorrent(again.out());
            assertEquals(index.keySet(), finished.keySet(), "one finished event per torrent\n" + again);
            for (var e : finished.entrySet()) {
                int i = index.get(e.getKey());
                JsonNode f = e.getValue();
                Path content = contents.get(i);
                assertTrue(f.path("complete").asBoolean(), f.toString());
                long missing = size(content) - onDisk[i];
                // one piece of slack: a block that arrived twice, never a verified piece fetched again
                assertTrue(f.path("downloaded").asLong() <= missing + 64 * 1024, content.getFileName()
                        + ": fetched only what was missing (" + missing + " bytes): " + f);
                SwarmInteropTest.assertSameTree(content, out.resolve(content.getFileName()));
                assertEquals(0, CliRun.of("verify", torrents.get(i).toString(), out.resolve(content.getFileName())
                        .toString()).status());
            }
        }
    }

    @Test
    void anUnknownInfoHashIsDroppedOnTheSharedPortAndEachKnownOneIsAnswered() throws Exception {
        Path a = file("first.bin", 1 << 20, 9);
        Path b = file("second.bin", (1 << 20) + 3, 10);
        byte[] hashA = HexFormat.of().parseHex(v1(create(a, "v1", "32KiB")));
        byte[] hashB = HexFormat.of().parseHex(v1(create(b, "hybrid", "32KiB")));
        byte[] unknown = hashB.clone();
        unknown[0] ^= 0x55;
        int port = Ports.free();
        try (var seeder = seed(port, List.of(a, b))) {
            try (var s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                handshake(s, unknown);
                var answer = new ByteArrayOutputStream();
                try {
                    s.getInputStream().transferTo(answer);
                } catch (SocketTimeoutException e) {
                    fail("the connection naming an unknown torrent was left open; it got "
                            + HexFormat.of().formatHex(answer.toByteArray()));
                } catch (IOException e) {
                    // reset: dropped as well
                }
                assertEquals("", HexFormat.of().formatHex(answer.toByteArray()),
                        "no handshake for an unknown info-hash");
            }
            // B, the second torrent, and then A: each handshake is answered with the info-hash it named
            for (byte[] hash : List.of(hashB, hashA)) {
                try (var s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(15_000);
                    handshake(s, hash);
                    byte[] answer = new DataInputStream(s.getInputStream()).readNBytes(68);
                    assertEquals(68, answer.length, "a whole handshake back");
                    assertEquals(19, answer[0]);
                    assertEquals("BitTorrent protocol", new String(answer, 1, 19, StandardCharsets.US_ASCII));
                    assertArrayEquals(hash, Arrays.copyOfRange(answer, 28, 48), "the info-hash named");
                }
            }
            assertTrue(seeder.isAlive(), seeder.output());
        }
    }

    /** Bytes of the pieces that {@code jtorr verify --json} finds good (pieces of 64 KiB, no pad files). */
    private static long verifiedOnDisk(Path torrent, Path data, long size) {
        var check = CliRun.of("verify", torrent.toString(), data.toString(), "--json");
        JsonNode report = check.out().lines().filter(l -> l.startsWith("{")).map(Tools::json)
                .filter(e -> e.path("event").asText().equals("verified")).reduce((x, y) -> y)
                .orElseThrow(() -> new AssertionError("no report: " + check));
        long missing = 0;
        for (JsonNode piece : report.path("bad_pieces")) {
            missing += Math.min(64 * 1024, size - piece.asLong() * 64 * 1024);
        }
        return size - missing;
    }

    /** Sends a BEP 3 handshake for {@code infoHash} as a peer with no extensions. */
    private static void handshake(Socket s, byte[] infoHash) throws IOException {
        var out = new DataOutputStream(s.getOutputStream());
        out.writeByte(19);
        out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[8]);
        out.write(infoHash);
        out.write("-TS0001-multitorrent".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Waits until the progress shows each torrent partly verified and 35% of all bytes verified, with some left to
     * fetch.
     */
    private static void awaitPartlyVerified(JtorrProcess p, Map<String, Integer> index, long total)
            throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end && p.isAlive()) {
            long[] verified = new long[index.size()];
            for (JsonNode e : p.events()) {
                Integer i = index.get(e.path("torrent").asText());
                if (e.path("event").asText().equals("progress") && i != null) {
                    verified[i] = Math.max(verified[i], e.path("verified_bytes").asLong());
                }
            }
            long sum = Arrays.stream(verified).sum();
            if (Arrays.stream(verified).allMatch(v -> v > 0) && sum >= total * 35 / 100) {
                if (sum >= total) {
                    fail("the download finished before it could be interrupted\n" + p.output());
                }
                return;
            }
            Thread.sleep(20);
        }
        fail("no progress with every torrent partly verified and 35% of the whole\n" + p.output());
    }

    /** {@code jtorr seed PATH...} in {@code dir} (each torrent at ./torrents/NAME.torrent); waits until each seeds. */
    private JtorrProcess seed(int port, List<Path> contents, String... extra) throws InterruptedException {
        var args = new ArrayList<>(List.of("seed"));
        contents.forEach(c -> args.add(c.toString()));
        args.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--json"));
        args.addAll(List.of(extra));
        var p = JtorrProcess.jtorr(dir, args.toArray(String[]::new));
        for (Path c : contents) {
            String id = v1(create(c));
            p.await(e -> isProgress(e, id) && e.path("phase").asText().equals("seeding"), TIMEOUT);
        }
        return p;
    }

    private static boolean isProgress(JsonNode e, String torrent) {
        return e.path("event").asText().equals("progress") && e.path("torrent").asText().equals(torrent);
    }

    /** A run's "finished" events by torrent (its v1 info-hash); fails on a torrent reported twice. */
    private static Map<String, JsonNode> finishedByTorrent(String out) {
        var map = new LinkedHashMap<String, JsonNode>();
        out.lines().filter(l -> l.startsWith("{")).map(Tools::json)
                .filter(e -> e.path("event").asText().equals("finished"))
                .forEach(e -> assertEquals(null, map.put(e.path("torrent").asText(), e), "finished twice: " + e));
        return map;
    }

    /** ./torrents/NAME.torrent, where {@code jtorr seed} looks for the torrent of NAME. */
    private Path create(Path content) {
        return dir.resolve("torrents").resolve(content.getFileName() + ".torrent");
    }

    private Path create(Path content, String version, String pieceSize) {
        Path out = create(content);
        var run = CliRun.of("create", content.toString(), "--" + version, "--piece-size", pieceSize, "-o",
                out.toString(), "--force");
        assertEquals(0, run.status(), run.toString());
        return out;
    }

    private static String v1(Path torrent) {
        var run = CliRun.of("info", torrent.toString(), "--json");
        assertEquals(0, run.status(), run.toString());
        return Tools.json(run.out()).path("info_hash_v1").asText();
    }

    /** One file of random bytes under src/. */
    private Path file(String name, int size, long seed) throws IOException {
        return write(dir.resolve("src").resolve(name), size, new Random(seed));
    }

    /** A folder under src/ with files of odd sizes, an empty one and a nested one. */
    private Path tree(String name, int scale, long seed) throws IOException {
        Path root = dir.resolve("src").resolve(name);
        var random = new Random(seed);
        write(root.resolve("big.bin"), scale + 4_321, random);
        write(root.resolve("empty"), 0, random);
        write(root.resolve("d/odd.txt"), 70_001, random);
        write(root.resolve("d/e/tiny"), 1, random);
        return root;
    }

    private static Path write(Path p, int size, Random random) throws IOException {
        Files.createDirectories(p.getParent());
        byte[] data = new byte[size];
        random.nextBytes(data);
        return Files.write(p, data);
    }

    /** Bytes of content: a file's size, or the sum over a folder's files. */
    private static long size(Path content) throws IOException {
        try (Stream<Path> s = Files.walk(content)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).sum();
        }
    }
}
