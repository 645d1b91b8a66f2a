package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code jtorr seed} and a crowd of libtorrent leechers that know only the seed, all started at once: every
 * leecher completes with the original bytes, served through slots that are refilled as leechers finish.
 */
class CrowdInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int LEECHERS = 12;

    @TempDir
    Path dir;

    @Test
    void twelveLibtorrentLeechersCompleteFromOneJtorrSeed() throws Exception {
        Tools.requireLibtorrent();
        Path content = SwarmInteropTest.content(dir, false, 16 << 20);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "256KiB");
        int port = Ports.free();
        try (var seed = SwarmInteropTest.jtorrSeed(dir, torrent, content, port);
             var crowd = JtorrProcess.start(dir, "libtorrent crowd", List.of(Tools.PYTHON,
                     SwarmInteropTest.script("lt_crowd.py"), torrent.toString(), dir.resolve("crowd").toString(), "0",
                     String.valueOf(LEECHERS), "--peer", "127.0.0.1:" + port, "--seconds",
                     String.valueOf(TIMEOUT.toSeconds())))) {
            JsonNode finished = crowd.await(e -> !e.path("event").asText().isEmpty(), TIMEOUT.plusSeconds(10));
            assertEquals("finished", finished.path("event").asText(), crowd.output() + "\n" + seed.output());
            assertEquals(LEECHERS, finished.path("seconds").size(), finished.toString());
            for (int i = 0; i < LEECHERS; i++) {
                SwarmInteropTest.assertSameTree(content, dir.resolve("crowd").resolve(String.valueOf(i))
                        .resolve(content.getFileName()));
            }
        }
    }
}
