package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.adapters.cli.wiring.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 in the middle of a download, then a restart: nothing verified is lost or fetched again. */
class CrashResumeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void aDownloadKilledWithSigkillResumesKeepingEveryVerifiedPiece() throws Exception {
        Path content = SwarmInteropTest.content(dir, true, 10 << 20);
        Path torrent = SwarmInteropTest.torrent(dir, content, "hybrid", "64KiB");
        int seedPort = Ports.free();
        Path out = dir.resolve("downloads");
        try (var seeder = SwarmInteropTest.jtorrSeed(dir, torrent, content, seedPort, "--upload-limit", "3MiB")) {
            var first = JtorrProcess.jtorr(dir, "download", torrent.toString(), "-o", out.toString(), "--port", "0",
                    "--bind", "127.0.0.1", "--json", "--peer", "127.0.0.1:" + seedPort);
            JsonNode before = first.await(e -> e.path("event").asText().equals("progress")
                    && e.path("percent").asDouble() >= 35, TIMEOUT);
            first.kill9();
            long verifiedBeforeKill = before.path("verified_bytes").asLong();

            JsonNode report = verifyReport(torrent, out.resolve(content.getFileName()));
            assertTrue(report.path("bad_pieces").size() > 0, "the kill left pieces to fetch: " + report);
            long goodBytes = report.path("good_pieces").asLong() * 64 * 1024;
            assertTrue(goodBytes >= verifiedBeforeKill, "every piece reported verified before the kill is on disk: "
                    + goodBytes + " >= " + verifiedBeforeKill);

            JsonNode finished = SwarmInteropTest.jtorrDownload(torrent, out, "127.0.0.1:" + seedPort);
            long total = finished.path("total_bytes").asLong();
            long fetched = finished.path("downloaded").asLong();
            assertTrue(fetched <= total - verifiedBeforeKill + (1 << 20),
                    "verified pieces were not downloaded again: fetched " + fetched + " of " + total);
            SwarmInteropTest.assertSameTree(content, out.resolve(content.getFileName()));
            assertEquals(0, CliRun.of("verify", torrent.toString(), out.resolve(content.getFileName()).toString())
                    .status());
            assertTrue(Files.exists(out.resolve(".jtorr")), "fast-resume records live in downloads/.jtorr");
        }
    }

    /** {@code jtorr verify --json}'s report of {@code data} against {@code torrent}: good and bad pieces. */
    static JsonNode verifyReport(Path torrent, Path data) {
        var check = CliRun.of("verify", torrent.toString(), data.toString(), "--json");
        for (String line : check.out().split("\n")) {
            JsonNode e = Tools.json(line);
            if (e.path("event").asText().equals("verified")) {
                return e;
            }
        }
        throw new AssertionError("no report from jtorr verify: " + check);
    }
}
