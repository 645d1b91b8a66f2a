package dev.jtorr.adapters.cli.interop;

import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.assertSameTree;
import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.content;
import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.jtorrSeed;
import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.script;
import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.torrent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.adapters.cli.wiring.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Magnet links between jtorr and libtorrent (python3-libtorrent) on loopback, no tracker and no DHT: the peer is
 * given directly. The metadata crosses by BEP 9, then the data, compared byte for byte with the original.
 */
class MagnetInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String LT_PEER = script("lt_peer.py");

    @TempDir
    Path dir;

    static JsonNode info(Path torrent) {
        CliRun run = CliRun.of("info", "--json", torrent.toString());
        assertEquals(0, run.status(), run.toString());
        return Tools.json(run.out());
    }

    /** A magnet link of {@code torrent}: its v1 hash, and its v2 one as btmh when asked. */
    static String magnet(Path torrent, boolean withV2) {
        JsonNode info = info(torrent);
        String link = "magnet:?xt=urn:btih:" + info.get("info_hash_v1").asText();
        if (withV2) {
            link += "&xt=urn:btmh:1220" + info.get("info_hash_v2").asText();
        }
        return link;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"v1, multi", "hybrid, single", "v1, single-large-metadata"})
    void libtorrentResolvesAMagnetFromAJtorrSeederAndDownloads(String version, String layout) throws Exception {
        Tools.requireLibtorrent();
        // 16 KiB pieces of 8 MiB make 512 piece hashes: an info dictionary of several metadata pieces
        boolean large = layout.endsWith("large-metadata");
        Path content = content(dir, layout.equals("multi"), large ? 8 << 20 : 3 << 20);
        Path torrent = torrent(dir, content, version, large ? "16KiB" : "32KiB");
        int port = Ports.free();
        try (var seeder = jtorrSeed(dir, torrent, content, port)) {
            Path out = Files.createDirectories(dir.resolve("lt-downloads"));
            var lt = JtorrProcess.start(dir, "libtorrent download", List.of(Tools.PYTHON, LT_PEER, "download",
                    magnet(torrent, false), out.toString(), String.valueOf(Ports.free()), "--peer",
                    "127.0.0.1:" + port, "--seconds", "60"));
            JsonNode finished = lt.awaitEvent("finished", TIMEOUT);
            assertEquals(0, lt.waitFor(TIMEOUT), lt.output());
            assertTrue(finished.path("metadata_seconds").isNumber(), finished.toString());
            assertSameTree(content, out.resolve(content.getFileName()));
        }
    }
}
