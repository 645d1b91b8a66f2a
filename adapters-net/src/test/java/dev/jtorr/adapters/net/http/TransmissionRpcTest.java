package dev.jtorr.adapters.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.FileView;
import dev.jtorr.domain.metainfo.FilePriority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transmission's RPC methods mapped onto the use case, checked against an in-memory one. */
class TransmissionRpcTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);
    private final FakeTorrents fake = new FakeTorrents();
    private final MutableClock clock = new MutableClock();
    private final TransmissionRpc rpc = new TransmissionRpc(fake, clock, new TorrentFetcher(true));

    @TempDir
    Path dir;

    @Test
    void torrentsGetSmallNumbersInTheOrderFirstSeenThatStayWhenOthersGo() throws Exception {
        fake.put(FakeTorrents.view(A, "alpha", "downloading"));
        fake.put(FakeTorrents.view(B, "beta", "seeding"));
        assertEquals("[1, 2]", get("[\"id\"]", null).findValues("id").toString());

        fake.remove(A, false);
        fake.put(FakeTorrents.view(C, "gamma", "paused"));
        JsonNode torrents = get("[\"id\",\"hashString\"]", null);
        assertEquals(2, torrents.get(0).get("id").asInt());
        assertEquals(B, torrents.get(0).get("hashString").asText());
        assertEquals(3, torrents.get(1).get("id").asInt());
    }

    @Test
    void idsNameTorrentsByNumberHashOrListAndUnknownOnesAreLeftOut() throws Exception {
        fake.put(FakeTorrents.view(A, "alpha", "downloading"));
        fake.put(FakeTorrents.view(B, "beta", "seeding"));
        fake.put(FakeTorrents.view(C, "gamma", "paused"));
        get("[\"id\"]", null);
        assertEquals("[\"beta\"]", get("[\"name\"]", "2").findValues("name").toString());
        assertEquals("[\"gamma\"]", get("[\"name\"]", "\"" + C.toUpperCase() + "\"").findValues("name").toString());
        assertEquals("[\"alpha\", \"gamma\"]", get("[\"name\"]", "[3, \"" + A + "\", 99]").findValues("name")
                .toString());
        assertEquals(0, get("[\"name\"]", "[42]").size());
        assertEquals("[\"beta\"]", get("[\"name\"]", "[\"2\", \"nothing\"]").findValues("name").toString());
        assertNotEquals("success", result("{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"],"
                + "\"ids\":[{}]}}"));
    }

    @Test
    void torrentGetAnswersOnlyTheFieldsAskedInTransmissionsTermsAndUnits() throws Exception {
        fake.put(FakeTorrents.view(A, "alpha", "downloading"));
        fake.put(FakeTorrents.view(B, "beta", "checking"));
        fake.put(FakeTorrents.view(C, "gamma", "paused"));
        JsonNode all = get("[\"status\",\"percentDone\",\"leftUntilDone\",\"eta\",\"uploadRatio\",\"sizeWhenDone\","
                + "\"haveValid\",\"rateDownload\",\"error\",\"errorString\",\"magnetLink\",\"queuePosition\",\"nosuch\"]",
                null);
        JsonNode a = all.get(0);
        assertEquals(4, a.get("status").asInt());
        assertEquals(2, all.get(1).get("status").asInt());
        assertEquals(0, all.get(2).get("status").asInt());
        assertEquals(0.25, a.get("percentDone").asDouble());
        assertEquals(750, a.get("leftUntilDone").asLong());
        assertEquals(-2, a.get("eta").asLong(), "no guess is Transmission's unknown, -2");
        assertEquals(-1, all.get(2).get("eta").asLong(), "a stopped torrent's is not available, -1");
        assertEquals(2.0, a.get("uploadRatio").asDouble());
        assertEquals(1000, a.get("sizeWhenDone").asLong());
        assertEquals(250, a.get("haveValid").asLong());
        assertEquals(10, a.get("rateDownload").asLong());
        assertEquals(0, a.get("error").asInt());
        assertEquals("magnet:?xt=urn:btih:" + A + "&dn=alpha", a.get("magnetLink").asText());
        assertEquals(2, all.get(2).get("queuePosition").asInt());
        assertFalse(a.has("nosuch"));
        assertFalse(a.has("id"), "only what was asked");
        assertEquals(12, a.size());
    }

    @Test
    void filesPeersAndTrackersAreDescribedAsTransmissionDoes() throws Exception {
        fake.put(FakeTorrents.view(A, "album", "downloading"));
        fake.files.put(A, List.of(new FileView(0, "one.flac", 600, 600, true, FilePriority.HIGH),
                new FileView(1, "two.flac", 400, 0, false, FilePriority.NORMAL)));
        JsonNode t = get("[\"files\",\"fileStats\",\"wanted\",\"priorities\",\"totalSize\",\"peers\",\"trackers\","
                + "\"trackerStats\"]", "1").get(0);
        assertEquals("album/one.flac", t.get("files").get(0).get("name").asText());
        assertEquals(600, t.get("files").get(0).get("bytesCompleted").asLong());
        assertEquals(400, t.get("files").get(1).get("length").asLong());
        assertFalse(t.get("fileStats").get(1).get("wanted").asBoolean());
        assertEquals("[1,0]", t.get("wanted").toString());
        assertEquals("[1,0]", t.get("priorities").toString(), "Transmission's -1 low, 0 normal, 1 high");
        assertEquals(1000, t.get("totalSize").asLong());
        assertEquals("127.0.0.1", t.get("peers").get(0).get("address").asText());
        assertEquals(6881, t.get("peers").get(0).get("port").asInt());
        assertTrue(t.get("peers").get(0).get("isEncrypted").asBoolean());
        assertEquals("http://127.0.0.1:8000/announce", t.get("trackers").get(0).get("announce").asText());
        assertEquals("http://127.0.0.1:8000", t.get("trackerStats").get(0).get("host").asText());
        JsonNode stats = t.get("trackerStats").get(0);
        assertEquals(3, stats.get("seederCount").asInt());
        assertEquals(5, stats.get("leecherCount").asInt());
        assertTrue(stats.get("lastAnnounceSucceeded").asBoolean());
        assertEquals(1_700_001_800L, stats.get("nextAnnounceTime").asLong());
    }

    @Test
    void recentlyActiveListsWhatChangedInTheLastMinuteAndWhatWasRemoved() throws Exception {
        fake.put(FakeTorrents.view(A, "alpha", "paused"));
        fake.put(FakeTorrents.view(B, "beta", "paused"));
        fake.put(withoutRates(FakeTorrents.view(A, "alpha", "paused")));
        fake.put(withoutRates(FakeTorrents.view(B, "beta", "paused")));
        get("[\"id\"]", null);
        clock.advance(Duration.ofMinutes(2));
        fake.change(A, new dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentChanges(
                java.util.Optional.of(5L), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty()));
        fake.remove(B, false);
        JsonNode answer = call("{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"],"
                + "\"ids\":\"recently-active\"}}");
        assertEquals("[{\"id\":1}]", answer.at("/arguments/torrents").toString());
        assertEquals("[2]", answer.at("/arguments/removed").toString());
        clock.advance(Duration.ofMinutes(2));
        answer = call("{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"],\"ids\":\"recently-active\"}}");
        assertEquals("[]", answer.at("/arguments/torrents").toString());
        assertEquals("[]", answer.at("/arguments/removed").toString());
    }

    @Test
    void actionsReachTheTorrentsNamed() throws Exception {
        fake.put(FakeTorrents.view(A, "alpha", "downloading"));
        fake.put(FakeTorrents.view(B, "beta", "downloading"));
        get("[\"id\"]", null);
        assertEquals("success", result("{\"method\":\"torrent-stop\",\"arguments\":{\"ids\":1}}"));
        assertEquals("success", result("{\"method\":\"torrent-start\",\"arguments\":{\"ids\":[2]}}"));
        assertEquals("success", result("{\"method\":\"torrent-start-now\",\"arguments\":{\"ids\":\"" + A + "\"}}"));
        assertEquals("success", result("{\"method\":\"torrent-verify\",\"arguments\":{}}"));
        assertEquals("success", result("{\"method\":\"torrent-remove\",\"arguments\":{\"ids\":1,"
                + "\"delete-local-data\":true}}"));
        assertEquals("success", result("{\"method\":\"torrent-remove\",\"arguments\":{\"ids\":[2]}}"));
        assertEquals(List.of("pause " + A, "resume " + B, "resume " + A, "recheck " + A, "recheck " + B,
                "remove " + A + " true", "remove " + B + " false"), fake.calls);
    }

    @Test
    void torrentSetChangesLimitsInKilobytesAndWantedFiles() throws Exception {
        fake.put(FakeTorrents.view(A, "alpha", "downloading"));
        fake.files.put(A, List.of(new FileView(0, "a", 1, 0, true, FilePriority.NORMAL),
                new FileView(1, "b", 1, 0, true, FilePriority.NORMAL),
                new FileView(2, "c", 1, 0, false, FilePriority.NORMAL)));
        get("[\"id\"]", null);
        assertEquals("success", result("{\"method\":\"torrent-set\",\"arguments\":{\"ids\":1,\"downloadLimit\":50,"
                + "\"downloadLimited\":true}}"));
        assertEquals("success", result("{\"method\":\"torrent-set\",\"arguments\":{\"ids\":1,"
                + "\"files-unwanted\":[0],\"files-wanted\":[2]}}"));
        assertEquals("success", result("{\"method\":\"torrent-set\",\"arguments\":{\"ids\":1,"
                + "\"downloadLimited\":false,\"uploadLimit\":7,\"uploadLimited\":true}}"));
        assertEquals(List.of("change " + A + " down=50000 up=- wanted=-", "change " + A + " down=- up=- wanted=[1, 2]",
                "change " + A + " down=0 up=7000 wanted=-"), fake.calls);
        JsonNode t = get("[\"downloadLimit\",\"downloadLimited\",\"uploadLimit\",\"uploadLimited\"]", "1").get(0);
        assertEquals("{\"downloadLimit\":50,\"downloadLimited\":false,\"uploadLimit\":7,\"uploadLimited\":true}",
                t.toString(), "a limit switched off keeps its value");
        assertNotEquals("success", result("{\"method\":\"torrent-set\",\"arguments\":{\"ids\":1,"
                + "\"files-wanted\":[9]}}"));
        assertEquals("success", result("{\"method\":\"torrent-set\",\"arguments\":{\"ids\":1,"
                + "\"priority-high\":[1],\"priority-low\":[0,2]}}"));
        assertEquals("change " + A + " down=- up=- wanted=- priorities={0=LOW, 1=HIGH, 2=LOW}",
                fake.calls.get(fake.calls.size() - 1));
    }

    @Test
    void sessionGetSetAndStatsSpeakTransmissionsNamesAndUnits() throws Exception {
        fake.put(FakeTorrents.view(A, "alpha", "downloading"));
        JsonNode s = call("{\"method\":\"session-get\",\"tag\":7}");
        assertEquals(7, s.get("tag").asInt());
        JsonNode args = s.get("arguments");
        assertEquals("/dl", args.get("download-dir").asText());
        assertEquals(6881, args.get("peer-port").asInt());
        assertTrue(args.get("rpc-version").asInt() >= 15);
        assertFalse(args.get("speed-limit-down-enabled").asBoolean());
        assertTrue(args.get("lpd-enabled").asBoolean());
        assertEquals(rpc.sessionId(), args.get("session-id").asText());

        assertEquals("success", result("{\"method\":\"session-set\",\"arguments\":{\"speed-limit-down\":100,"
                + "\"speed-limit-down-enabled\":true}}"));
        assertEquals(100_000, fake.downloadLimit);
        assertEquals("success", result("{\"method\":\"session-set\",\"arguments\":{\"speed-limit-down-enabled\":false}}"));
        assertEquals(0, fake.downloadLimit);
        args = call("{\"method\":\"session-get\"}").get("arguments");
        assertEquals(100, args.get("speed-limit-down").asInt());
        assertFalse(args.get("speed-limit-down-enabled").asBoolean());
        assertEquals("success", result("{\"method\":\"session-set\",\"arguments\":{\"speed-limit-down-enabled\":true,"
                + "\"speed-limit-up\":20,\"speed-limit-up-enabled\":true,\"alt-speed-enabled\":false}}"));
        assertEquals(100_000, fake.downloadLimit);
        assertEquals(20_000, fake.uploadLimit);

        JsonNode stats = call("{\"method\":\"session-stats\"}").get("arguments");
        assertEquals(1, stats.get("torrentCount").asInt());
        assertEquals(5000, stats.get("downloadSpeed").asLong());
        assertEquals(600, stats.at("/cumulative-stats/uploadedBytes").asLong());
    }

    @Test
    void torrentAddTakesMetainfoMagnetLinksAndTorrentFilesAndSpotsDuplicates() throws Exception {
        String meta = Base64.getEncoder().encodeToString("dsong".getBytes(StandardCharsets.ISO_8859_1));
        JsonNode added = call("{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + meta
                + "\",\"paused\":true,\"download-dir\":\"/dl/x\"},\"tag\":8}");
        assertEquals("success", added.get("result").asText());
        assertEquals(1, added.at("/arguments/torrent-added/id").asInt());
        assertEquals("song", added.at("/arguments/torrent-added/name").asText());
        assertEquals(8, added.get("tag").asInt());
        assertTrue(fake.added.get(0).paused());
        assertEquals(Path.of("/dl/x"), fake.added.get(0).downloadDir().orElseThrow());

        JsonNode again = call("{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + meta + "\"}}");
        assertEquals(1, again.at("/arguments/torrent-duplicate/id").asInt());

        JsonNode magnet = call("{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"magnet:?xt=urn:btih:" + C
                + "\"}}");
        assertEquals(C, magnet.at("/arguments/torrent-added/hashString").asText());

        Path file = Files.write(dir.resolve("x.torrent"), "dfile".getBytes(StandardCharsets.ISO_8859_1));
        JsonNode outside = call("{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"" + file + "\"}}");
        assertTrue(outside.get("result").asText().startsWith("invalid or corrupt torrent file"),
                "a path outside the download folder is not read: " + outside);
        fake.downloadDir = dir.toString();
        JsonNode fromFile = call("{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"" + file + "\"}}");
        assertEquals("file", fromFile.at("/arguments/torrent-added/name").asText());
        assertEquals(3, fromFile.at("/arguments/torrent-added/id").asInt());
    }

    @Test
    void torrentAddFetchesATorrentByItsUrl() throws Exception {
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/t.torrent", exchange -> {
            byte[] body = "dfetched".getBytes(StandardCharsets.ISO_8859_1);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            JsonNode answer = call("{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"http://127.0.0.1:"
                    + server.getAddress().getPort() + "/t.torrent\"}}");
            assertEquals("fetched", answer.at("/arguments/torrent-added/name").asText(), answer.toString());
            answer = call("{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"http://127.0.0.1:"
                    + server.getAddress().getPort() + "/missing.torrent\"}}");
            assertTrue(answer.get("result").asText().contains("404"), answer.toString());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void torrentAddReadsNoLocalFileButATorrentAndNeverEchoesOne() throws Exception {
        fake.downloadDir = dir.toString();
        Path secret = Files.writeString(dir.resolve("secret.txt"), "root:hunter2");
        Path disguised = Files.writeString(dir.resolve("secret.torrent"), "root:hunter2");
        for (Path p : List.of(secret, disguised, dir, dir.resolve("missing.torrent"))) {
            JsonNode answer = call("{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"" + p + "\"}}");
            assertTrue(answer.get("result").asText().startsWith("invalid or corrupt torrent file"), answer.toString());
            assertFalse(answer.toString().contains("hunter2"), answer.toString());
        }
        assertEquals(0, fake.added.size(), "none of them reached the use case");

        Path bencoded = Files.writeString(dir.resolve("d.torrent"), "dhunter2");
        fake.parseFails = true;
        JsonNode answer = call("{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"" + bencoded + "\"}}");
        assertEquals("invalid or corrupt torrent file", answer.get("result").asText(), "the parser's words are dropped");
        String meta = Base64.getEncoder().encodeToString("dhunter2".getBytes(StandardCharsets.ISO_8859_1));
        answer = call("{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + meta + "\"}}");
        assertTrue(answer.get("result").asText().contains("hunter2"), "bytes the client sent may be quoted back");
    }

    @Test
    void unknownMethodsAndMalformedRequestsGetAnErrorResultNeverAnException() throws Exception {
        assertEquals(TransmissionRpc.NOT_RECOGNIZED, result("{\"method\":\"session-close\",\"tag\":3}"));
        assertEquals(3, call("{\"method\":\"session-close\",\"tag\":3}").get("tag").asInt());
        for (String bad : List.of("{", "[]", "", "null", "{\"method\":5}", "{\"method\":\"torrent-get\"}",
                "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"],\"ids\":{\"x\":1}}}",
                "{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"%%%\"}}",
                "{\"method\":\"session-set\",\"arguments\":{\"speed-limit-down\":\"fast\"}}",
                "{\"method\":\"torrent-set\",\"arguments\":{\"files-wanted\":[\"x\"]}}")) {
            JsonNode answer = JSON.valueToTree(rpc.answer(bad.getBytes(StandardCharsets.UTF_8)));
            assertNotEquals("success", answer.get("result").asText(), bad);
            assertTrue(answer.get("arguments").isObject(), bad);
        }
    }

    private JsonNode get(String fields, String ids) throws Exception {
        JsonNode answer = call("{\"method\":\"torrent-get\",\"arguments\":{\"fields\":" + fields
                + (ids == null ? "" : ",\"ids\":" + ids) + "}}");
        assertEquals("success", answer.get("result").asText(), answer.toString());
        return answer.at("/arguments/torrents");
    }

    private String result(String request) throws Exception {
        return call(request).get("result").asText();
    }

    private JsonNode call(String request) throws Exception {
        return JSON.valueToTree(rpc.answer(request.getBytes(StandardCharsets.UTF_8)));
    }

    private static dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView withoutRates(
            dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView t) {
        return new dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView(t.id(), t.name(), t.state(),
                t.sizeBytes(), t.verifiedBytes(), t.progress(), 0, 0, t.downloaded(), t.uploaded(), 0, t.etaSeconds(),
                t.addedAt(), t.downloadDir(), t.error(), t.sequential(), t.downloadLimit(), t.uploadLimit(),
                t.pieceCount(), t.pieceLength(), t.magnet(), t.version());
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
