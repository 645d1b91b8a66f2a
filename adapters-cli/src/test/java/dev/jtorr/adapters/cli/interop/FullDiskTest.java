package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.adapters.cli.wiring.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download onto a file system that fills up, for real: a small tmpfs. It stops with one clear line and exit
 * status 1; once there is room, the same command finishes and does not fetch again what was verified before the
 * disk filled up. Mounting needs root (as on CI); elsewhere the test is skipped.
 */
class FullDiskTest {
    private static final int PIECE = 256 * 1024;

    @TempDir
    Path dir;

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Test
    void aFullDiskStopsTheDownloadClearlyAndTheNextRunKeepsWhatWasVerified() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small-disk"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", small.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        try {
            Path content = SwarmInteropTest.content(dir, false, 12 << 20);
            Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "256KiB");
            int seedPort = Ports.free();
            Path out = small.resolve("downloads");
            try (var seeder = SwarmInteropTest.jtorrSeed(dir, torrent, content, seedPort)) {
                var full = CliRun.of("download", torrent.toString(), "-o", out.toString(), "--port", "0",
                        "--bind", "127.0.0.1", "--peer", "127.0.0.1:" + seedPort);
                assertEquals(1, full.status(), full.toString());
                assertTrue(full.err().contains("the disk is full") && full.err().contains("verified pieces are kept"),
                        full.toString());
                assertTrue(full.err().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + full);

                var check = CliRun.of("verify", torrent.toString(), out.resolve(content.getFileName()).toString(),
                        "--json");
                long keptPieces = -1;
                for (String line : check.out().split("\n")) {
                    JsonNode e = Tools.json(line);
                    if (e.path("event").asText().equals("verified")) {
                        keptPieces = e.path("good_pieces").asLong();
                    }
                }
                assertTrue(keptPieces > 0, "pieces verified before the disk filled up are on it: " + check);

                assertEquals(0, run("mount", "-o", "remount,size=64m", small.toString()), "grow the disk");
                JsonNode finished = SwarmInteropTest.jtorrDownload(torrent, out, "127.0.0.1:" + seedPort);
                long total = finished.path("total_bytes").asLong();
                assertTrue(finished.path("downloaded").asLong() <= total - keptPieces * PIECE + (1 << 20),
                        "the kept pieces were not fetched again: " + finished);
                assertEquals(-1L, Files.mismatch(content, out.resolve(content.getFileName())), "byte-identical");
            }
        } finally {
            run("umount", "-l", small.toString());
        }
    }
}
