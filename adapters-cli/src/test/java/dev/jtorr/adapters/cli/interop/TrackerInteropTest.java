package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import dev.jtorr.adapters.cli.wiring.CliRun;
import dev.jtorr.adapters.net.NetConfig;
import dev.jtorr.adapters.net.NetModule;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceEvent;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.ScrapeStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Trackers with real software on loopback: jtorr's client against opentracker (HTTP and UDP), and libtorrent,
 * aria2, Transmission and jtorr finding a jtorr seeder through jtorr's tracker.
 */
class TrackerInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    static Metainfo read(Path torrent) throws Exception {
        return MetainfoParser.parse(Files.readAllBytes(torrent));
    }

    static List<Digest> announcedHashes(Metainfo m) {
        var out = new ArrayList<Digest>();
        m.infoHashes().v1().ifPresent(out::add);
        m.infoHashes().v2Truncated().ifPresent(out::add);
        return out;
    }

    private JtorrProcess opentracker(int port, Metainfo m) throws Exception {
        Tools.requireCommand("opentracker", "opentracker");
        Path home = Files.createDirectories(dir.resolve("opentracker"));
        Files.writeString(home.resolve("whitelist"), String.join("\n", announcedHashes(m).stream()
                .map(Digest::hex).toList()) + "\n");
        // as root it chroots into -d and drops privileges: the whitelist path is relative to that folder
        var p = JtorrProcess.start(home, "opentracker", List.of("opentracker", "-i", "127.0.0.1", "-p",
                String.valueOf(port), "-P", String.valueOf(port), "-d", home.toString(), "-w", "whitelist"));
        SwarmInteropTest.awaitListening(port, p);
        return p;
    }

    private static TrackerClient client() {
        return Guice.createInjector(new NetModule(NetConfig.defaults())).getInstance(TrackerClient.class);
    }

    private static PeerId peerId() {
        return PeerId.generate(new SplittableRandom(5));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http", "udp"})
    void jtorrSeedsAndDownloadsThroughOpentrackerAndItsClientAnnouncesAndScrapes(String scheme) throws Exception {
        int port = Ports.free();
        String url = scheme.equals("http") ? "http://127.0.0.1:" + port + "/announce" : "udp://127.0.0.1:" + port;
        Path content = SwarmInteropTest.content(dir, true, 2 << 20);
        Path torrent = dir.resolve("t.torrent");
        var made = CliRun.of("create", content.toString(), "--piece-size", "32KiB", "-t", url, "-o",
                torrent.toString());
        assertEquals(0, made.status(), made.toString());
        Metainfo m = read(torrent);
        int seedPort = Ports.free();
        try (var tracker = opentracker(port, m);
             var seed = SwarmInteropTest.jtorrSeed(dir, torrent, content, seedPort)) {
            // no --peer: the downloader learns the seeder from opentracker
            SwarmInteropTest.jtorrDownload(torrent, dir.resolve("downloads"));
            SwarmInteropTest.assertSameTree(content, dir.resolve("downloads").resolve(content.getFileName()));

            TrackerClient client = client();
            Digest v1 = m.infoHashes().v1().orElseThrow();
            var reply = client.announce(url, new AnnounceRequest(v1, peerId(), 6999, 0, 0, 1000,
                    AnnounceEvent.STARTED, 50, 1, Optional.empty())).get(30, TimeUnit.SECONDS);
            assertTrue(reply.peers().contains(new PeerAddress("127.0.0.1", seedPort)),
                    "opentracker lists the seeder: " + reply.peers() + "\n" + seed.output());
            assertTrue(reply.interval().toSeconds() > 0);
            Map<Digest, ScrapeStats> scrape = client.scrape(url, List.of(v1)).get(30, TimeUnit.SECONDS);
            assertTrue(scrape.get(v1).complete() >= 1, "scrape counts the seeder: " + scrape);
            assertTrue(scrape.get(v1).downloaded() >= 1, "and the completed download: " + scrape);
            client.announce(url, new AnnounceRequest(v1, peerId(), 6999, 0, 0, 1000, AnnounceEvent.STOPPED, 0, 1,
                    Optional.empty())).get(30, TimeUnit.SECONDS);
            var refused = client.announce(url, new AnnounceRequest(Digest.ofHex("ab".repeat(20)), peerId(), 6999,
                    0, 0, 1, AnnounceEvent.STARTED, 50, 1, Optional.empty()));
            var e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> refused.get(30, TimeUnit.SECONDS));
            assertTrue(String.valueOf(e.getCause()).contains("refused") || scheme.equals("udp"),
                    "a torrent off opentracker's whitelist is refused: " + e);
        }
    }

    /** Starts {@code jtorr tracker} on free ports; returns the process and its HTTP and UDP ports. */
    static JtorrProcess jtorrTracker(Path dir, int[] ports) throws InterruptedException {
        var p = JtorrProcess.jtorr(dir, "tracker", "--bind", "127.0.0.1", "--http-port", "0", "--udp-port", "0",
                "--interval", "5", "--json");
        JsonNode listening = p.awaitEvent("listening", TIMEOUT);
        ports[0] = listening.path("http_port").asInt();
        ports[1] = listening.path("udp_port").asInt();
        return p;
    }

    /** transmission-cli on loopback (no DHT, LPD, PEX, uTP or port forwarding), and the file it touches when done. */
    record Transmission(JtorrProcess process, Path finished) implements AutoCloseable {
        /** Starts Transmission on {@code what} (a .torrent file or a magnet link), downloading into {@code out}. */
        static Transmission start(Path dir, Path out, String what) throws java.io.IOException {
            int port = Ports.free();
            Path finished = dir.resolve("transmission-finished");
            Path script = dir.resolve("done.sh");
            Files.writeString(script, "#!/bin/sh\ntouch " + finished + "\n");
            script.toFile().setExecutable(true);
            Path config = Files.createDirectories(dir.resolve("tr-config"));
            Files.writeString(config.resolve("settings.json"), "{\"dht-enabled\": false, \"lpd-enabled\": false,"
                    + " \"pex-enabled\": false, \"utp-enabled\": false, \"port-forwarding-enabled\": false,"
                    + " \"bind-address-ipv4\": \"127.0.0.1\", \"bind-address-ipv6\": \"::1\", \"peer-port\": "
                    + port + ", \"rpc-enabled\": false, \"message-level\": 2}\n");
            return new Transmission(JtorrProcess.start(dir, "transmission download", List.of("stdbuf", "-o0",
                    "transmission-cli", "-g", config.toString(), "-w", out.toString(), "-p", String.valueOf(port),
                    "-f", script.toString(), what)), finished);
        }

        /** Whether Transmission said it finished within {@code timeout}. */
        boolean awaitFinished(Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (!Files.exists(finished) && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            return Files.exists(finished);
        }

        String output() {
            return process.output();
        }

        @Override
        public void close() throws InterruptedException {
            process.close();
        }
    }

    private static String fetch(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    @Test
    void libtorrentAria2TransmissionAndJtorrFindAJtorrSeederThroughJtorrsTracker() throws Exception {
        Tools.requireLibtorrent();
        Tools.requireCommand("aria2c", "aria2");
        Tools.requireCommand("transmission-cli", "transmission-cli");
        int[] ports = new int[2];
        try (var tracker = jtorrTracker(dir, ports)) {
            String http = "http://127.0.0.1:" + ports[0] + "/announce";
            String udp = "udp://127.0.0.1:" + ports[1];
            Path content = SwarmInteropTest.content(dir, true, 3 << 20);
            Path torrent = dir.resolve("t.torrent");
            var made = CliRun.of("create", content.toString(), "--v1", "--piece-size", "32KiB", "-t", http, "-t",
                    udp, "-o", torrent.toString());
            assertEquals(0, made.status(), made.toString());
            int seedPort = Ports.free();
            int ltPort = Ports.free();
            int ariaPort = Ports.free();
            try (var seed = SwarmInteropTest.jtorrSeed(dir, torrent, content, seedPort);
                 var lt = JtorrProcess.start(dir, "libtorrent download", List.of(Tools.PYTHON,
                         SwarmInteropTest.script("lt_peer.py"), "download", torrent.toString(),
                         dir.resolve("lt").toString(), String.valueOf(ltPort), "--seconds", "110"));
                 var aria = JtorrProcess.start(dir, "aria2 download", List.of("aria2c", "--interface=127.0.0.1",
                         "--disable-ipv6=true", "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
                         "--enable-peer-exchange=false", "--no-conf=true", "--seed-time=0",
                         "--listen-port=" + ariaPort, "--console-log-level=warn", "--summary-interval=0",
                         "-d", dir.resolve("aria").toString(), torrent.toString()));
                 var tr = Transmission.start(dir, Files.createDirectories(dir.resolve("tr")), torrent.toString())) {
                // libtorrent and aria2 dial the seeder they learn from the tracker
                lt.awaitEvent("finished", TIMEOUT);
                assertEquals(0, aria.waitFor(TIMEOUT), aria.output());
                // Transmission will not dial loopback peers from a tracker ("martian" filter); the seeder learns
                // Transmission from the tracker at its next announce and dials it
                assertTrue(tr.awaitFinished(TIMEOUT), "Transmission finished\n" + tr.output() + "\n" + seed.output());
                // and jtorr itself, with no --peer
                SwarmInteropTest.jtorrDownload(torrent, dir.resolve("jt"));
                for (String who : List.of("lt", "aria", "tr", "jt")) {
                    Path copy = dir.resolve(who).resolve(content.getFileName());
                    if (who.equals("tr")) {
                        // Transmission does not create zero-length files of multi-file torrents
                        Files.createDirectories(copy);
                        Files.write(copy.resolve("empty"), new byte[0]);
                    }
                    SwarmInteropTest.assertSameTree(content, copy);
                }
                // a client says completed when it gets round to it, some only as they exit: the count catches up
                JsonNode stats = Tools.json(fetch("http://127.0.0.1:" + ports[0] + "/stats.json").strip());
                for (long end = System.nanoTime() + 15_000_000_000L; stats.path("completed").asInt() < 3
                        && System.nanoTime() < end; ) {
                    Thread.sleep(200);
                    stats = Tools.json(fetch("http://127.0.0.1:" + ports[0] + "/stats.json").strip());
                }
                assertTrue(stats.path("completed").asInt() >= 3, "the tracker counted completed downloads: "
                        + stats);
                assertTrue(stats.path("announces").asInt() >= 5, stats.toString());
            }
        }
    }

    @Test
    void theDemoRunsASwarmToVerifiedCopies() {
        var run = CliRun.of("demo", "--dir", dir.resolve("demo").toString(), "--size", "3MiB", "--leechers", "3",
                "--seed-limit", "512KiB", "--json", "--timeout", "120");
        JsonNode finished = SwarmInteropTest.finishedComplete(run);
        long traded = 0;
        for (JsonNode l : finished.path("leechers")) {
            assertTrue(l.path("verified").asBoolean(), l.toString());
            traded += l.path("uploaded").asLong();
        }
        assertTrue(traded > 0, "leechers traded with each other: " + finished);
    }

    /** An HTTP "tracker" whose answer depends on the path: garbage, an oversized body, a refusal, or silence. */
    private static java.net.ServerSocket badTrackers() throws java.io.IOException {
        var server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    var s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            byte[] head = new byte[4096];
                            int n = s.getInputStream().read(head);
                            String line = new String(head, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1);
                            byte[] body = line.contains("/garbage/") ? "<html>502 bad gateway</html>".getBytes()
                                    : line.contains("/huge/") ? new byte[4 << 20]
                                    : line.contains("/refuse/") ? "d14:failure reason12:unregisterede".getBytes()
                                    : null;
                            if (body == null) {
                                Thread.sleep(60_000); // silent
                                return;
                            }
                            s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length
                                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            s.getOutputStream().write(body);
                        } catch (Exception e) {
                            // the client gave up: fine
                        }
                    });
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    @Test
    void aDownloadCarriesOnPastSilentLyingOversizedAndRefusingTrackers() throws Exception {
        try (var bad = badTrackers()) {
            String base = "http://127.0.0.1:" + bad.getLocalPort();
            int deadUdp = Ports.free();
            Path content = SwarmInteropTest.content(dir, false, 1 << 20);
            Path torrent = dir.resolve("t.torrent");
            var made = CliRun.of("create", content.toString(), "--piece-size", "16KiB",
                    "-t", base + "/silent/announce", "-t", base + "/garbage/announce", "-t", base + "/huge/announce",
                    "-t", base + "/refuse/announce", "-t", "udp://127.0.0.1:" + deadUdp, "-o", torrent.toString());
            assertEquals(0, made.status(), made.toString());
            int seedPort = Ports.free();
            try (var seed = SwarmInteropTest.jtorrSeed(dir, torrent, content, seedPort)) {
                var run = CliRun.of("download", torrent.toString(), "-o", dir.resolve("out").toString(), "--port",
                        "0", "--bind", "127.0.0.1", "--json", "--peer", "127.0.0.1:" + seedPort);
                assertEquals(0, run.status(), run.toString());
                SwarmInteropTest.assertSameTree(content, dir.resolve("out").resolve(content.getFileName()));
            }
        }
        // and the tracker client reports each kind of trouble on its own (the session only shows them as notices)
        TrackerClient client = client();
        try (var bad = badTrackers()) {
            String base = "http://127.0.0.1:" + bad.getLocalPort();
            var request = new AnnounceRequest(Digest.ofHex("12".repeat(20)), peerId(), 6999, 0, 0, 1,
                    AnnounceEvent.STARTED, 50, 1, Optional.empty());
            for (var expect : Map.of("garbage", "not bencode", "huge", "over 1024 KiB", "refuse",
                    "refused: unregistered").entrySet()) {
                var e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> client.announce(
                        base + "/" + expect.getKey() + "/announce", request).get(30, TimeUnit.SECONDS));
                assertTrue(String.valueOf(e.getCause()).contains(expect.getValue()), e.toString());
            }
        }
    }
}
