package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local service discovery (BEP 14) end to end, between processes inside a network namespace of the test's own (the
 * only place where a test may multicast: see {@link Netns}): torrents with no tracker, downloads with no
 * {@code --peer} and the DHT off, so the peers can only have found each other through their multicast announces.
 * jtorr with jtorr, and jtorr with libtorrent both ways.
 */
class LsdNamespaceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String LT_LSD = SwarmInteropTest.script("lt_lsd.py");

    @TempDir
    Path dir;

    private JtorrProcess jtorrSeed(Netns ns, Path torrent, Path content) throws InterruptedException {
        return SwarmInteropTest.awaitSeeding(JtorrProcess.jtorrIn(ns, dir,
                SwarmInteropTest.jtorrSeedArgs(torrent, content, Ports.free(), "--lsd")));
    }

    /** {@code jtorr download} in the namespace, with local discovery as its only way to find peers. */
    private void jtorrDownload(Netns ns, Path torrent, Path out) throws InterruptedException {
        try (var download = JtorrProcess.jtorrIn(ns, dir, "download", torrent.toString(), "-o", out.toString(),
                "--port", String.valueOf(Ports.free()), "--bind", "127.0.0.1", "--json", "--lsd", "--no-trackers")) {
            assertEquals(0, download.waitFor(TIMEOUT), download.output());
            assertTrue(download.awaitEvent("finished", TIMEOUT).path("complete").asBoolean(), download.output());
            assertTrue(download.events().stream().noneMatch(e -> e.toString().contains("no way to find peers")),
                    download.output());
        }
    }

    @Test
    void jtorrDownloadsFromAJtorrSeederFoundOnTheLocalNetworkAlone() throws Exception {
        Path content = SwarmInteropTest.content(dir, true, 400_000);
        Path torrent = SwarmInteropTest.torrent(dir, content, "hybrid", "32KiB");
        Path out = dir.resolve("out");
        try (var ns = Netns.create(); var seed = jtorrSeed(ns, torrent, content)) {
            jtorrDownload(ns, torrent, out);
        }
        SwarmInteropTest.assertSameTree(content, out.resolve(content.getFileName()));
    }

    @Test
    void jtorrDownloadsFromALibtorrentSeederFoundThroughLocalDiscovery() throws Exception {
        Tools.requireLibtorrent();
        Path content = SwarmInteropTest.content(dir, false, 500_000);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "64KiB");
        Path out = dir.resolve("out");
        try (var ns = Netns.create(); var lt = JtorrProcess.start(dir, "libtorrent LSD seed", ns.exec(List.of(
                Tools.PYTHON, LT_LSD, "seed", torrent.toString(), content.getParent().toString(),
                String.valueOf(Ports.free()), "--seconds", "120")))) {
            lt.awaitEvent("seeding", TIMEOUT);
            jtorrDownload(ns, torrent, out);
            // libtorrent heard our announce (and found our cookie was not its own)
            assertTrue(lt.events().stream().anyMatch(e -> e.path("message").asText().contains("<== LSD")),
                    lt.output());
        }
        assertEquals(-1L, Files.mismatch(content, out.resolve(content.getFileName())));
    }

    @Test
    void libtorrentDownloadsFromAJtorrSeederFoundThroughLocalDiscovery() throws Exception {
        Tools.requireLibtorrent();
        Path content = SwarmInteropTest.content(dir, false, 500_000);
        Path torrent = SwarmInteropTest.torrent(dir, content, "v1", "64KiB");
        Path out = dir.resolve("lt-out");
        Files.createDirectories(out);
        try (var ns = Netns.create(); var seed = jtorrSeed(ns, torrent, content);
             var lt = JtorrProcess.start(dir, "libtorrent LSD download", ns.exec(List.of(Tools.PYTHON, LT_LSD,
                     "download", torrent.toString(), out.toString(), String.valueOf(Ports.free()), "--seconds",
                     "60")))) {
            assertEquals(0, lt.waitFor(TIMEOUT), lt.output());
        }
        assertEquals(-1L, Files.mismatch(content, out.resolve(content.getFileName())));
    }
}
