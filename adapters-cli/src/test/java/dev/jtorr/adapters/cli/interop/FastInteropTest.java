package dev.jtorr.adapters.cli.interop;

import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.assertSameTree;
import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.content;
import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.jtorrSeed;
import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.script;
import static dev.jtorr.adapters.cli.interop.SwarmInteropTest.torrent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 6 (Fast extension) with libtorrent on loopback, read from libtorrent's own log of the messages it sends (==>)
 * and receives (<==): both handshakes set the Fast bit, so each side says what it has by have all or have none, and
 * the side that chokes offers allowed-fast pieces, which the other asks for and gets while choked.
 */
class FastInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String LT_PEER = script("lt_peer.py");

    @TempDir
    Path dir;

    private static List<String> log(JsonNode event) {
        var lines = new ArrayList<String>();
        event.path("log").forEach(l -> lines.add(l.asText()));
        return lines;
    }

    private static boolean has(List<String> log, String message) {
        return log.stream().anyMatch(l -> l.contains(message));
    }

    @Test
    void libtorrentHearsHaveAllAndAllowedFastFromAJtorrSeed() throws Exception {
        Tools.requireLibtorrent();
        Path content = content(dir, false, 2 << 20);
        Path torrent = torrent(dir, content, "v1", "32KiB");
        int port = Ports.free();
        try (var seeder = jtorrSeed(dir, torrent, content, port)) {
            Path out = Files.createDirectories(dir.resolve("lt-out"));
            var lt = JtorrProcess.start(dir, "libtorrent download", List.of(Tools.PYTHON, LT_PEER, "download",
                    torrent.toString(), out.toString(), String.valueOf(Ports.free()), "--peer", "127.0.0.1:" + port,
                    "--seconds", "60", "--peer-log", "1"));
            JsonNode finished = lt.awaitEvent("finished", TIMEOUT);
            assertEquals(0, lt.waitFor(TIMEOUT), lt.output());
            assertSameTree(content, out.resolve(content.getFileName()));
            List<String> log = log(finished);
            assertTrue(has(log, "<== HAVE_ALL"), "jtorr said have all: " + log);
            assertFalse(has(log, "<== BITFIELD"), "and no bitfield: " + log);
            assertTrue(has(log, "==> HAVE_NONE"), "libtorrent said have none: " + log);
            assertTrue(has(log, "<== ALLOWED_FAST"), "jtorr offered allowed-fast pieces to a starting peer: " + log);
        }
    }

    /**
     * One upload slot and two libtorrent downloaders: the seeding turn passes from one to the other after 30 s, and
     * the one choked hears the choke, then a reject for each request still queued (BEP 6), and asks again later.
     */
    @Test
    void aJtorrSeedThatChokesALibtorrentPeerRejectsItsQueuedRequests() throws Exception {
        Tools.requireLibtorrent();
        Path content = content(dir, false, 10 << 20);
        Path torrent = torrent(dir, content, "v1", "32KiB");
        int port = Ports.free();
        try (var seeder = jtorrSeed(dir, torrent, content, port, "--upload-slots", "1", "--upload-limit", "256KiB")) {
            var downloads = new ArrayList<JtorrProcess>();
            for (int i = 0; i < 2; i++) {
                Path out = Files.createDirectories(dir.resolve("lt-out" + i));
                downloads.add(JtorrProcess.start(dir, "libtorrent download " + i, List.of(Tools.PYTHON, LT_PEER,
                        "download", torrent.toString(), out.toString(), String.valueOf(Ports.free()), "--peer",
                        "127.0.0.1:" + port, "--seconds", "80", "--peer-log", "1")));
            }
            var fromJtorr = new ArrayList<String>();
            for (int i = 0; i < 2; i++) {
                try (var lt = downloads.get(i)) {
                    JsonNode finished = lt.awaitEvent("finished", TIMEOUT);
                    assertSameTree(content, dir.resolve("lt-out" + i).resolve(content.getFileName()));
                    // the two libtorrents also meet (by PEX) and choke each other: only jtorr's messages count
                    String jtorr = "[127.0.0.1:" + port + "]";
                    log(finished).stream().filter(l -> l.contains(jtorr)).forEach(fromJtorr::add);
                }
            }
            int choke = -1;
            for (int i = 0; i < fromJtorr.size() && choke < 0; i++) {
                choke = fromJtorr.get(i).contains("<== CHOKE") ? i : -1;
            }
            assertTrue(choke >= 0, "jtorr choked a peer when the turn passed: " + fromJtorr);
            assertTrue(fromJtorr.subList(choke, fromJtorr.size()).stream().anyMatch(l -> l.contains("<== REJECT")),
                    "and rejected its queued requests after the choke: " + fromJtorr);
        }
    }

    @Test
    void jtorrGetsTheAllowedFastPiecesOfALibtorrentSeedThatNeverUnchokesIt() throws Exception {
        Tools.requireLibtorrent();
        Path content = content(dir, false, 2 << 20);
        Path torrent = torrent(dir, content, "v1", "32KiB");
        int port = Ports.free();
        var seeder = JtorrProcess.start(dir, "libtorrent seed", List.of(Tools.PYTHON, LT_PEER, "seed",
                torrent.toString(), content.getParent().toString(), String.valueOf(port), "--seconds", "20",
                "--unchoke-slots", "0", "--peer-log", "1"));
        try (seeder; var jtorr = JtorrProcess.jtorr(dir, "download", torrent.toString(), "-o",
                dir.resolve("jtorr-out").toString(), "--port", "0", "--bind", "127.0.0.1", "--json", "--peer",
                "127.0.0.1:" + port)) {
            seeder.awaitEvent("seeding", TIMEOUT);
            JsonNode stopped = seeder.awaitEvent("stopped", TIMEOUT);
            List<String> log = log(stopped);
            assertTrue(has(log, "==> HAVE_ALL"), "libtorrent said have all: " + log);
            assertTrue(has(log, "<== HAVE_NONE"), "jtorr said have none: " + log);
            assertTrue(has(log, "==> ALLOWED_FAST"), "libtorrent offered allowed-fast pieces: " + log);
            assertFalse(has(log, "==> UNCHOKE"), "libtorrent never unchoked jtorr: " + log);
            assertTrue(has(log, "<== REQUEST"), "jtorr asked while choked: " + log);
            assertTrue(has(log, "==> PIECE"), "and got blocks: " + log);
            assertFalse(has(log, "==> REJECT"), "for allowed-fast pieces only, none rejected: " + log);
            JsonNode progress = jtorr.await(e -> e.path("event").asText().equals("progress")
                    && e.path("verified_bytes").asLong() > 0, TIMEOUT);
            assertTrue(progress.path("verified_bytes").asLong() < Files.size(content), "only the allowed pieces");
        }
    }
}
