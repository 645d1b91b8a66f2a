package dev.jtorr.adapters.cli.interop;

import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.assertSameTree;
import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.content;
import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.torrent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 11 with libtorrent: jtorr sends its first ut_pex message when a peer's extension handshake names ut_pex, so a
 * libtorrent downloader given only jtorr learns of the seeder jtorr is downloading from, dials it and downloads from
 * it. (libtorrent's own first message comes only after a minute, too slow for this direction in a test.)
 */
class PexInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String LT_PEER = SwarmInteropTest.script("lt_peer.py");

    @TempDir
    Path dir;

    @Test
    void libtorrentLearnsTheSeederFromJtorrsPexAndDownloadsFromIt() throws Exception {
        Tools.requireLibtorrent();
        Path content = content(dir, false, 6 << 20);
        Path torrent = torrent(dir, content, "v1", "64KiB");
        int seedPort = Ports.free();
        int jtorrPort = Ports.free();
        // the seeder uploads slowly, so that jtorr is still downloading from it when libtorrent comes
        try (var seeder = SwarmInteropTest.libtorrentSeed(dir, torrent, content, seedPort, 300_000);
             var jtorr = JtorrProcess.jtorr(dir, "download", torrent.toString(), "-o",
                     dir.resolve("jtorr-out").toString(), "--port", String.valueOf(jtorrPort), "--bind", "127.0.0.1",
                     "--json", "--peer", "127.0.0.1:" + seedPort)) {
            jtorr.await(e -> e.path("event").asText().equals("progress") && e.path("downloaded").asLong() > 0,
                    TIMEOUT);
            Path out = Files.createDirectories(dir.resolve("lt-out"));
            var lt = JtorrProcess.start(dir, "libtorrent download", List.of(Tools.PYTHON, LT_PEER, "download",
                    torrent.toString(), out.toString(), String.valueOf(Ports.free()), "--peer",
                    "127.0.0.1:" + jtorrPort, "--seconds", "80"));
            JsonNode finished = lt.awaitEvent("finished", TIMEOUT);
            assertEquals(0, lt.waitFor(TIMEOUT), lt.output());
            assertSameTree(content, out.resolve(content.getFileName()));
            JsonNode seed = null;
            for (JsonNode p : finished.path("peers")) {
                if (p.path("address").asText().equals("127.0.0.1:" + seedPort)) {
                    seed = p;
                }
            }
            assertTrue(seed != null && seed.path("pex").asBoolean(), "libtorrent learned the seeder by PEX: "
                    + finished);
            assertTrue(seed.path("downloaded").asLong() > 0, "and downloaded from it: " + finished);
        }
    }
}
