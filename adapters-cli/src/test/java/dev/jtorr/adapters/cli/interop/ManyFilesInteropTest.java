package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.adapters.cli.wiring.CliRun;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torrents of many small files against libtorrent, with jtorr allowed only 1,024 file descriptors (a common
 * default): 50,000 files in 200 folders download from a libtorrent seeder and seed to a libtorrent downloader, and a
 * download of 5,000 files killed with SIGKILL resumes without fetching again what it had verified.
 */
class ManyFilesInteropTest {
    private static final int FD_LIMIT = 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String LT_PEER = SwarmInteropTest.script("lt_peer.py");

    @TempDir
    static Path shared;
    static Path many;
    static Path manyTorrent;

    @TempDir
    Path dir;

    /** The 50,000 files (about 110 MB) and a v1 torrent of them made by libtorrent, shared by the first two tests. */
    @BeforeAll
    static void fiftyThousandFiles() throws IOException {
        Tools.requireLibtorrent();
        many = files(shared.resolve("src"), "many", 50_000, 200, 26);
        manyTorrent = libtorrentTorrent(shared, many, 256 * 1024);
    }

    /**
     * {@code count} files of 512 to 4,096 bytes spread over {@code folders} folders under {@code parent/name}. Each is
     * a slice of one random buffer that starts with its own number, so no two files are alike.
     */
    static Path files(Path parent, String name, int count, int folders, long seed) throws IOException {
        var random = new SplittableRandom(seed);
        byte[] pool = new byte[8 << 20];
        random.nextBytes(pool);
        Path root = parent.resolve(name);
        for (int f = 0; f < folders; f++) {
            Files.createDirectories(root.resolve(String.format("d%03d", f)));
        }
        for (int i = 0; i < count; i++) {
            int size = 512 + random.nextInt(4096 - 512 + 1);
            var data = ByteBuffer.allocate(size).putInt(i).put(pool, random.nextInt(pool.length - size), size - 4);
            Files.write(root.resolve(String.format("d%03d/f%05d.bin", i % folders, i)), data.array());
        }
        return root;
    }

    static Path libtorrentTorrent(Path dir, Path content, int pieceLength) {
        Path torrent = dir.resolve(content.getFileName() + ".torrent");
        Tools.libtorrent(dir, "create", content.toString(), torrent.toString(), "v1", String.valueOf(pieceLength));
        return torrent;
    }

    private static String[] download(Path torrent, Path out, int seedPort) {
        return new String[] {"download", torrent.toString(), "-o", out.toString(), "--port", "0", "--bind",
            "127.0.0.1", "--json", "--peer", "127.0.0.1:" + seedPort};
    }

    /** Waits for a jtorr download to end; returns its "finished" event after checking it exited 0, complete. */
    private static JsonNode finished(JtorrProcess download) throws InterruptedException {
        JsonNode finished = download.awaitEvent("finished", TIMEOUT);
        assertEquals(0, download.waitFor(TIMEOUT), download.output());
        assertTrue(finished.path("complete").asBoolean(), finished + "\n" + download.output());
        return finished;
    }

    /** The process runs under the descriptor limit (read once it has printed an event, so after bash's exec). */
    private static void assertFileLimit(JtorrProcess p) throws Exception {
        p.await(e -> true, TIMEOUT);
        String limits = Files.readString(Path.of("/proc", String.valueOf(p.process().pid()), "limits"));
        assertTrue(limits.matches("(?s).*Max open files\\s+" + FD_LIMIT + "\\s+" + FD_LIMIT + "\\s.*"), limits);
    }

    @Test
    void fiftyThousandFilesDownloadFromALibtorrentSeederWithin1024Descriptors() throws Exception {
        int port = Ports.free();
        try (var seeder = SwarmInteropTest.libtorrentSeed(dir, manyTorrent, many, port, 0)) {
            Path out = dir.resolve("downloads");
            try (var jtorr = JtorrProcess.jtorrWithFileLimit(dir, FD_LIMIT, download(manyTorrent, out, port))) {
                assertFileLimit(jtorr);
                finished(jtorr);
            }
            SwarmInteropTest.assertSameTree(many, out.resolve("many"));
        }
    }

    @Test
    void fiftyThousandFilesSeedToALibtorrentDownloaderWithin1024Descriptors() throws Exception {
        int port = Ports.free();
        try (var seed = SwarmInteropTest.awaitSeeding(JtorrProcess.jtorrWithFileLimit(dir, FD_LIMIT,
                SwarmInteropTest.jtorrSeedArgs(manyTorrent, many, port)))) {
            assertFileLimit(seed);
            Path out = Files.createDirectories(dir.resolve("lt-downloads"));
            try (var lt = JtorrProcess.start(dir, "libtorrent download", List.of(Tools.PYTHON, LT_PEER, "download",
                    manyTorrent.toString(), out.toString(), String.valueOf(Ports.free()), "--peer",
                    "127.0.0.1:" + port, "--seconds", String.valueOf(TIMEOUT.toSeconds())))) {
                lt.awaitEvent("finished", TIMEOUT);
                assertEquals(0, lt.waitFor(TIMEOUT), lt.output());
            }
            assertTrue(seed.isAlive(), seed.output());
            SwarmInteropTest.assertSameTree(many, out.resolve("many"));
        }
    }

    /**
     * The seeder sends slowly enough that the kill lands mid-way; the restart gets a seeder without a limit. jtorr
     * saves its resume record only every 30 seconds, so what it reported verified before the kill is the measure.
     */
    @Test
    void aManyFileDownloadKilledWithSigkillDoesNotFetchVerifiedPiecesAgain() throws Exception {
        int piece = 16 * 1024;
        Path content = files(dir.resolve("src"), "five-thousand", 5_000, 50, 27);
        Path torrent = libtorrentTorrent(dir, content, piece);
        long total = size(content);
        Path out = dir.resolve("downloads");
        long verifiedBeforeKill = 0;
        int slowPort = Ports.free();
        try (var slow = SwarmInteropTest.libtorrentSeed(dir, torrent, content, slowPort, 2 << 20);
             var first = JtorrProcess.jtorrWithFileLimit(dir, FD_LIMIT, download(torrent, out, slowPort))) {
            first.await(e -> e.path("event").asText().equals("progress") && e.path("percent").asDouble() >= 40,
                    TIMEOUT);
            first.kill9();
            // everything it printed before it died counts as reported before the kill
            for (JsonNode e : first.events()) {
                if (e.path("event").asText().equals("progress")) {
                    verifiedBeforeKill = Math.max(verifiedBeforeKill, e.path("verified_bytes").asLong());
                }
            }
        }

        Set<Integer> bad = badPieces(torrent, out.resolve("five-thousand"));
        long missing = 0;
        for (int p : bad) {
            missing += Math.min(piece, total - (long) p * piece);
        }
        assertTrue(missing > 0, "the kill left pieces to fetch");
        assertTrue(total - missing >= verifiedBeforeKill, "every piece reported verified before the kill is on disk: "
                + (total - missing) + " >= " + verifiedBeforeKill);

        int port = Ports.free();
        try (var seeder = SwarmInteropTest.libtorrentSeed(dir, torrent, content, port, 0);
             var again = JtorrProcess.jtorrWithFileLimit(dir, FD_LIMIT, download(torrent, out, port))) {
            JsonNode finished = finished(again);
            // one piece of slack: a block that arrived twice, never a verified piece fetched again
            assertTrue(finished.path("downloaded").asLong() <= missing + piece, "fetched only the " + missing
                    + " bytes missing, none of the " + (total - missing) + " verified before the kill: " + finished);
        }
        SwarmInteropTest.assertSameTree(content, out.resolve("five-thousand"));
    }

    /** The pieces {@code jtorr verify} finds missing or wrong in {@code data}. */
    private static Set<Integer> badPieces(Path torrent, Path data) {
        var check = CliRun.of("verify", torrent.toString(), data.toString(), "--json");
        JsonNode report = check.out().lines().filter(l -> l.startsWith("{")).map(Tools::json)
                .filter(e -> e.path("event").asText().equals("verified")).reduce((x, y) -> y)
                .orElseThrow(() -> new AssertionError("no report: " + check));
        var bad = new HashSet<Integer>();
        report.path("bad_pieces").forEach(p -> bad.add(p.asInt()));
        return bad;
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
