package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.adapters.cli.wiring.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code download --select} from a libtorrent seeder: only the chosen files appear, each byte-identical; the bytes of
 * pieces they share with other files stay under {@code DIR/.jtorr/}; selecting more later fetches only what is new.
 */
class SelectInteropTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheSelectedFilesOfATorrentAreDownloadedFromLibtorrent() throws Exception {
        // set/big.bin, set/empty, set/a/odd.txt, set/a/b/tiny, set/z.bin in the torrent's order (v1: no padding, so
        // pieces straddle files)
        Path content = SwarmInteropTest.content(dir, true, 3 << 20);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "64KiB");
        var info = Tools.json(CliRun.of("info", torrent.toString(), "--json").out());
        List<String> order = info.path("files").findValues("path").stream().map(JsonNode::asText).toList();
        int odd = 1 + order.indexOf("set/a/odd.txt");
        int tiny = 1 + order.indexOf("set/a/b/tiny");
        assertTrue(odd > 0 && tiny > 0, order.toString());
        int port = Ports.free();
        Path out = dir.resolve("downloads");
        try (var seed = SwarmInteropTest.libtorrentSeed(dir, torrent, content, port, 0)) {
            JsonNode finished = SwarmInteropTest.jtorrDownload(torrent, out, List.of("--select", odd + "," + tiny),
                    "127.0.0.1:" + port);
            long wanted = Files.size(content.resolve("a/odd.txt")) + Files.size(content.resolve("a/b/tiny"));
            assertEquals(wanted, finished.path("total_bytes").asLong(), "only the selected files count");
            assertTrue(finished.path("downloaded").asLong() < 4 * wanted + 3 * 65536,
                    "about the selected files' pieces were fetched: " + finished);
            Path got = out.resolve("set");
            assertEquals(-1L, Files.mismatch(content.resolve("a/odd.txt"), got.resolve("a/odd.txt")));
            assertEquals(-1L, Files.mismatch(content.resolve("a/b/tiny"), got.resolve("a/b/tiny")));
            for (String other : List.of("big.bin", "empty", "z.bin")) {
                assertFalse(Files.exists(got.resolve(other)), other + " was not selected and is not created");
            }
            try (var kept = Files.list(out.resolve(".jtorr"))) {
                assertTrue(kept.anyMatch(f -> f.toString().endsWith(".parts")), "shared bytes kept apart");
            }

            // everything now: the pieces already verified are kept, the rest is fetched and every file is whole
            JsonNode all = SwarmInteropTest.jtorrDownload(torrent, out, "127.0.0.1:" + port);
            SwarmInteropTest.assertSameTree(content, got);
            long total = all.path("total_bytes").asLong();
            assertTrue(all.path("downloaded").asLong() < total, "not everything fetched again: " + all);
        }
    }

    @Test
    void aSelectionNamingNoFileOfTheTorrentIsAUsageError() throws Exception {
        Path content = SwarmInteropTest.content(dir, true, 1 << 20);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "64KiB");
        var run = CliRun.of("download", torrent.toString(), "-o", dir.resolve("dl").toString(), "--select", "2,9",
                "--port", "0", "--bind", "127.0.0.1");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("there is no file 9: the torrent has 5 files"), run.err());
        var bad = CliRun.of("download", torrent.toString(), "--select", "2-", "--port", "0");
        assertEquals(2, bad.status(), bad.toString());
        assertTrue(bad.err().contains("--select: not a file number or range: '2-'"), bad.err());
    }
}
