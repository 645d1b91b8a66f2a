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

    /**
     * A v2-only magnet (btmh, no btih) from a jtorr seeder: libtorrent gets the info dictionary by BEP 9, which holds
     * no piece layers, so it asks jtorr for every file's piece layer with BEP 52 hash requests before it can check a
     * piece. Pieces of 16 KiB over files of up to 8 MiB make runs of 512 hashes (and a shorter last one) with proofs.
     */
    @ParameterizedTest(name = "{0} pieces")
    @CsvSource({"32KiB", "16KiB"})
    void libtorrentResolvesAV2OnlyMagnetFromAJtorrSeederAskingItForThePieceLayers(String pieceSize)
            throws Exception {
        Tools.requireLibtorrent();
        Path content = content(dir, true, pieceSize.equals("16KiB") ? 9 << 20 : 3 << 20);
        Path torrent = torrent(dir, content, "v2", pieceSize);
        int port = Ports.free();
        try (var seeder = jtorrSeed(dir, torrent, content, port)) {
            Path out = Files.createDirectories(dir.resolve("lt-downloads"));
            String link = "magnet:?xt=urn:btmh:1220" + info(torrent).get("info_hash_v2").asText();
            var lt = JtorrProcess.start(dir, "libtorrent download", List.of(Tools.PYTHON, LT_PEER, "download",
                    link, out.toString(), String.valueOf(Ports.free()), "--peer", "127.0.0.1:" + port, "--seconds",
                    "60", "--peer-log", "1"));
            JsonNode finished = lt.awaitEvent("finished", TIMEOUT);
            assertEquals(0, lt.waitFor(TIMEOUT), lt.output());
            assertSameTree(content, out.resolve(content.getFileName()));
            // libtorrent would also finish by hashing whole files against their roots: its log must show our hashes
            // arriving, and no connection closed over them (it drops a peer whose hashes do not prove out)
            List<String> log = new java.util.ArrayList<>();
            finished.path("log").forEach(l -> log.add(l.asText()));
            assertTrue(log.stream().anyMatch(l -> l.contains("HASHES")), String.join("\n", log));
            assertTrue(log.stream().noneMatch(l -> l.contains("CONNECTION CLOSED") && l.contains("hash")),
                    String.join("\n", log));
            assertTrue(seeder.events().stream().anyMatch(e -> e.path("event").asText().equals("notice")
                    && e.path("message").asText().contains("BEP 52 hash request")), seeder.output());
        }
    }

    /** Runs {@code jtorr download LINK} in {@code dir} (where it keeps torrents/); returns its JSON events. */
    private List<JsonNode> jtorrDownloadMagnet(String link, Path output, String... extra) throws Exception {
        var args = new java.util.ArrayList<>(List.of("download", link, "-o", output.toString(), "--port", "0",
                "--bind", "127.0.0.1", "--json"));
        args.addAll(List.of(extra));
        try (var jtorr = JtorrProcess.jtorr(dir, args.toArray(String[]::new))) {
            assertEquals(0, jtorr.waitFor(TIMEOUT), jtorr.output());
            JsonNode finished = jtorr.awaitEvent("finished", TIMEOUT);
            assertTrue(finished.path("complete").asBoolean(), jtorr.output());
            return jtorr.events();
        }
    }

    /**
     * A v2-only magnet link (btmh alone) from a libtorrent seeder: jtorr fetches the info dictionary, then every
     * file's piece layer with BEP 52 hash requests (runs of 512 hashes and a shorter one, each proved to the file's
     * root), saves a .torrent that holds the layers, and downloads. A second run uses that .torrent as it is.
     */
    @org.junit.jupiter.api.Test
    void jtorrResolvesAV2OnlyMagnetFromALibtorrentSeederFetchingThePieceLayers() throws Exception {
        Path content = content(dir, true, 9 << 20);
        Path torrent = torrent(dir, content, "v2", "16KiB");
        int port = Ports.free();
        try (var seeder = SwarmInteropTest.libtorrentSeed(dir, torrent, content, port, 0)) {
            String link = "magnet:?xt=urn:btmh:1220" + info(torrent).get("info_hash_v2").asText();
            Path out = dir.resolve("downloads");
            List<JsonNode> events = jtorrDownloadMagnet(link + "&x.pe=127.0.0.1:" + port, out);
            assertTrue(events.stream().anyMatch(e -> e.path("event").asText().equals("notice")
                    && e.path("message").asText().contains("piece layers")), events.toString());
            assertSameTree(content, out.resolve(content.getFileName()));
            Path saved = dir.resolve("torrents").resolve(content.getFileName() + ".torrent");
            var savedMetainfo = dev.jtorr.domain.metainfo.MetainfoParser.parse(Files.readAllBytes(saved));
            var original = dev.jtorr.domain.metainfo.MetainfoParser.parse(Files.readAllBytes(torrent));
            assertEquals(0, savedMetainfo.missingPieceLayers(), "the saved torrent holds every piece layer");
            assertEquals(original.infoHashes(), savedMetainfo.infoHashes());
            original.pieceLayers().forEach((root, layer) ->
                    assertTrue(java.util.Arrays.equals(layer, savedMetainfo.pieceLayers().get(root)), root.hex()));

            Path again = dir.resolve("again");
            List<JsonNode> second = jtorrDownloadMagnet(link, again, "--peer", "127.0.0.1:" + port);
            assertEquals(0, count(second, "metadata"), second.toString());
            assertSameTree(content, again.resolve(content.getFileName()));
        }
    }

    private static long count(List<JsonNode> events, String event) {
        return events.stream().filter(e -> e.path("event").asText().equals(event)).count();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"v1, multi, false", "hybrid, single, true", "v1, single-large-metadata, false"})
    void jtorrResolvesAMagnetFromALibtorrentSeederSavesTheTorrentAndReusesIt(String version, String layout,
                                                                             boolean withV2) throws Exception {
        boolean large = layout.endsWith("large-metadata");
        Path content = content(dir, layout.equals("multi"), large ? 8 << 20 : 3 << 20);
        Path torrent = torrent(dir, content, version, large ? "16KiB" : "32KiB");
        int port = Ports.free();
        try (var seeder = SwarmInteropTest.libtorrentSeed(dir, torrent, content, port, 0)) {
            String link = magnet(torrent, withV2);
            Path out = dir.resolve("downloads");
            List<JsonNode> events = jtorrDownloadMagnet(link + "&x.pe=127.0.0.1:" + port, out);
            assertTrue(count(events, "metadata") > 0, "the progress shows the metadata being fetched");
            assertSameTree(content, out.resolve(content.getFileName()));
            Path saved = dir.resolve("torrents").resolve(content.getFileName() + ".torrent");
            assertTrue(Files.exists(saved), "the resolved torrent is kept: " + saved);
            assertEquals(info(torrent).get("info_hash_v1"), info(saved).get("info_hash_v1"));
            assertEquals(info(torrent).get("piece_count"), info(saved).get("piece_count"));

            // the same link again, the peer given by --peer: the saved torrent is used, no metadata is fetched
            Path again = dir.resolve("again");
            List<JsonNode> second = jtorrDownloadMagnet(link, again, "--peer", "127.0.0.1:" + port);
            assertEquals(0, count(second, "metadata"), second.toString());
            assertSameTree(content, again.resolve(content.getFileName()));
            try (var listed = Files.list(dir.resolve("torrents"))) {
                assertEquals(1, listed.count());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aMagnetWithNoWayToFindPeersIsAUsageError() {
        CliRun run = CliRun.of("download", "magnet:?xt=urn:btih:" + "ab".repeat(20), "-o", dir.toString(),
                "--port", "0", "--bind", "127.0.0.1");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("no one to ask for the metadata"), run.toString());
    }

    /** The seeder is found only through the link's tr= tracker (jtorr's own), for the metadata and the data. */
    @org.junit.jupiter.api.Test
    void jtorrResolvesAMagnetThroughItsTracker() throws Exception {
        Tools.requireLibtorrent();
        int[] ports = new int[2];
        try (var tracker = TrackerInteropTest.jtorrTracker(dir, ports)) {
            String announce = "http://127.0.0.1:" + ports[0] + "/announce";
            Path content = content(dir, true, 2 << 20);
            Path torrent = trackedTorrent(content, announce);
            try (var seeder = SwarmInteropTest.libtorrentSeed(dir, torrent, content, Ports.free(), 0)) {
                Path out = dir.resolve("downloads");
                String link = magnetWithTracker(torrent, announce);
                jtorrDownloadMagnet(link, out);
                assertSameTree(content, out.resolve(content.getFileName()));
            }
        }
    }

    /** A v1 torrent of {@code content} that names {@code announce}. */
    private Path trackedTorrent(Path content, String announce) {
        Path torrent = dir.resolve("tracked.torrent");
        var made = CliRun.of("create", content.toString(), "--v1", "--piece-size", "32KiB", "-t", announce, "-o",
                torrent.toString());
        assertEquals(0, made.status(), made.toString());
        return torrent;
    }

    private static String magnetWithTracker(Path torrent, String announce) {
        return magnet(torrent, false) + "&tr=" + java.net.URLEncoder.encode(announce,
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** aria2 resolves a magnet link from a jtorr seeder it finds through the link's tracker, then downloads. */
    @org.junit.jupiter.api.Test
    void aria2ResolvesAMagnetFromAJtorrSeederFoundThroughTheTracker() throws Exception {
        Tools.requireCommand("aria2c", "aria2");
        int[] ports = new int[2];
        try (var tracker = TrackerInteropTest.jtorrTracker(dir, ports)) {
            String announce = "http://127.0.0.1:" + ports[0] + "/announce";
            Path content = content(dir, true, 2 << 20);
            Path torrent = trackedTorrent(content, announce);
            try (var seeder = jtorrSeed(dir, torrent, content, Ports.free())) {
                String link = magnetWithTracker(torrent, announce);
                Path out = dir.resolve("aria");
                var aria = JtorrProcess.start(dir, "aria2 download", List.of("aria2c", "--interface=127.0.0.1",
                        "--disable-ipv6=true", "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
                        "--enable-peer-exchange=false", "--no-conf=true", "--seed-time=0",
                        "--listen-port=" + Ports.free(), "--console-log-level=warn", "--summary-interval=0",
                        "-d", out.toString(), link));
                assertEquals(0, aria.waitFor(TIMEOUT), aria.output());
                // aria2 does not create the zero-length files of a multi-file torrent
                Files.createDirectories(out.resolve(content.getFileName()));
                Files.write(out.resolve(content.getFileName()).resolve("empty"), new byte[0]);
                assertSameTree(content, out.resolve(content.getFileName()));
            }
        }
    }

    /**
     * Transmission resolves a magnet link from a jtorr seeder through the link's tracker. Transmission will not dial
     * a loopback peer a tracker names (its "martian" filter): the seeder learns Transmission from the tracker at its
     * next announce (every 5 s here) and dials it; Transmission then fetches the metadata over that connection.
     */
    @org.junit.jupiter.api.Test
    void transmissionResolvesAMagnetFromAJtorrSeederFoundThroughTheTracker() throws Exception {
        Tools.requireCommand("transmission-cli", "transmission-cli");
        int[] ports = new int[2];
        try (var tracker = TrackerInteropTest.jtorrTracker(dir, ports)) {
            String announce = "http://127.0.0.1:" + ports[0] + "/announce";
            Path content = content(dir, false, 2 << 20);
            Path torrent = trackedTorrent(content, announce);
            Path out = Files.createDirectories(dir.resolve("tr"));
            try (var seeder = jtorrSeed(dir, torrent, content, Ports.free());
                 var tr = TrackerInteropTest.Transmission.start(dir, out, magnetWithTracker(torrent, announce))) {
                assertTrue(tr.awaitFinished(TIMEOUT), "Transmission finished\n" + tr.output() + "\n"
                        + seeder.output());
                assertSameTree(content, out.resolve(content.getFileName()));
            }
        }
    }

    /**
     * A liar listed before an honest jtorr seeder: a forged dictionary, an absurd size, a malformed extension
     * handshake or pieces past the end are refused, and the link resolves from the honest peer.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(FakeMetadataPeer.Behaviour.class)
    void aMagnetResolvesFromAnHonestPeerBesideALiar(FakeMetadataPeer.Behaviour behaviour) throws Exception {
        // 16 KiB pieces of 16 MiB: an info dictionary of two metadata pieces, so that both peers are asked
        Path content = content(dir, false, 16 << 20);
        Path torrent = torrent(dir, content, "v1", "16KiB");
        int size = dev.jtorr.domain.metainfo.MetainfoParser.parse(Files.readAllBytes(torrent)).infoBytes().length;
        int port = Ports.free();
        try (var liar = new FakeMetadataPeer(behaviour, size);
             var seeder = jtorrSeed(dir, torrent, content, port)) {
            Path out = dir.resolve("downloads");
            List<JsonNode> events = jtorrDownloadMagnet(magnet(torrent, false) + "&x.pe=127.0.0.1:" + liar.port()
                    + "&x.pe=127.0.0.1:" + port, out);
            assertSameTree(content, out.resolve(content.getFileName()));
            assertTrue(liar.connections() >= 1, "the liar was dialled");
            if (behaviour != FakeMetadataPeer.Behaviour.FORGED) {
                // a forged dictionary is caught either way, but its sender only when it was asked alone
                assertTrue(events.stream().anyMatch(e -> e.path("event").asText().equals("notice")
                        && e.path("message").asText().startsWith("127.0.0.1:" + liar.port())
                        && e.path("message").asText().contains("dropped")), events.toString());
            }
        }
    }

    /** BEP 53: the link's so= picks files by their zero-based index; only those are created. */
    @org.junit.jupiter.api.Test
    void aMagnetsSelectOnlyDownloadsJustThoseFiles() throws Exception {
        Path content = content(dir, true, 2 << 20);
        Path torrent = torrent(dir, content, "v1", "32KiB");
        int index = -1;
        JsonNode files = info(torrent).get("files");
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).get("path").asText().endsWith("odd.txt")) {
                index = i;
            }
        }
        assertTrue(index >= 0, files.toString());
        int port = Ports.free();
        try (var seeder = SwarmInteropTest.libtorrentSeed(dir, torrent, content, port, 0)) {
            Path out = dir.resolve("downloads");
            jtorrDownloadMagnet(magnet(torrent, false) + "&so=" + index + "&x.pe=127.0.0.1:" + port, out);
            Path copy = out.resolve(content.getFileName());
            assertEquals(-1L, Files.mismatch(content.resolve("a/odd.txt"), copy.resolve("a/odd.txt")));
            assertTrue(Files.notExists(copy.resolve("big.bin")), "a file not selected is not created");
            assertTrue(Files.notExists(copy.resolve("z.bin")), "a file not selected is not created");
        }
    }

    /** One jtorr seed process serves the metadata of each of its torrents over its one port. */
    @org.junit.jupiter.api.Test
    void libtorrentResolvesTwoMagnetsFromOneJtorrSeedProcess() throws Exception {
        Tools.requireLibtorrent();
        Path multi = content(dir, true, 2 << 20);
        Path single = content(dir, false, 1 << 20);
        Path torrents = Files.createDirectories(dir.resolve("torrents"));
        for (Path c : List.of(multi, single)) {
            var made = CliRun.of("create", c.toString(), "--v1", "--piece-size", "32KiB", "-o",
                    torrents.resolve(c.getFileName() + ".torrent").toString());
            assertEquals(0, made.status(), made.toString());
        }
        int port = Ports.free();
        try (var seed = JtorrProcess.jtorr(dir, "seed", multi.toString(), single.toString(), "--port",
                String.valueOf(port), "--bind", "127.0.0.1", "--json")) {
            seed.await(e -> seed.events().stream().filter(x -> x.path("event").asText().equals("progress")
                    && x.path("phase").asText().equals("seeding")).map(x -> x.path("torrent").asText()).distinct()
                    .count() == 2, TIMEOUT);
            Path out = Files.createDirectories(dir.resolve("lt-downloads"));
            var lt = JtorrProcess.start(dir, "libtorrent download", List.of(Tools.PYTHON, LT_PEER, "download",
                    magnet(torrents.resolve(multi.getFileName() + ".torrent"), false), out.toString(),
                    String.valueOf(Ports.free()), "--torrent",
                    magnet(torrents.resolve(single.getFileName() + ".torrent"), false), "--peer",
                    "127.0.0.1:" + port, "--seconds", "60"));
            lt.awaitEvent("finished", TIMEOUT);
            assertEquals(0, lt.waitFor(TIMEOUT), lt.output());
            assertSameTree(multi, out.resolve(multi.getFileName()));
            assertSameTree(single, out.resolve(single.getFileName()));
        }
    }
}
