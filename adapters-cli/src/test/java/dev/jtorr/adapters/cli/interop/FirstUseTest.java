package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.adapters.cli.wiring.CliRun;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a newcomer meets before the network has anything to say. */
class FirstUseTest {
    @TempDir
    Path dir;

    /** A torrent without trackers and no --peer: the download says at once that only incoming peers can be found. */
    @Test
    void aDownloadWithNoWayToFindPeersSaysSoAtOnce() throws Exception {
        Path content = SwarmInteropTest.content(dir, false, 100_000);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "16KiB");
        try (var download = JtorrProcess.jtorr(dir, "download", torrent.toString(), "-o", "out", "--port", "0",
                "--bind", "127.0.0.1", "--json")) {
            JsonNode notice = download.await(e -> e.path("event").asText().equals("notice")
                    && e.path("message").asText().contains("no way to find peers"), Duration.ofSeconds(30));
            assertTrue(notice.path("message").asText().contains("--peer HOST:PORT or --tracker URL"),
                    notice.toString());
        }
    }

    @Test
    void aMagnetLinkWithNoWayToFindPeersSaysWhatIsMissing() {
        CliRun run = CliRun.of("download", "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("names no tracker (tr=) and no peer (x.pe=)"), run.err());
    }

    @Test
    void aMagnetLinkWhereATorrentFileIsNeededIsNamedAsSuch() {
        CliRun run = CliRun.of("verify", "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a", ".");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("needs a .torrent file, not a magnet link"), run.err());
    }
}
