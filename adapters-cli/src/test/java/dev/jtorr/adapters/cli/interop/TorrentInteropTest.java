package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.adapters.cli.wiring.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Torrents cross between jtorr and the real tools from Debian's packages in both directions: libtorrent
 * (python3-libtorrent), transmission-show / transmission-create, and mktorrent.
 */
class TorrentInteropTest {
    @TempDir
    static Path dir;
    static Path tree;
    static Path single;

    @BeforeAll
    static void content() throws Exception {
        var random = new Random(11);
        Files.createDirectories(dir.resolve("out"));
        tree = dir.resolve("tree");
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("big.bin", 300 * 1024 + 7);
        sizes.put("empty-top", 0);
        sizes.put("a/one-block.bin", 16 * 1024);
        sizes.put("a/odd.txt", 12_345);
        sizes.put("a/b/c/deep.dat", 70_001);
        sizes.put("a/b/empty", 0);
        sizes.put("a/b/tiny", 1);
        sizes.put("Z upper.bin", 65_536);
        for (var e : sizes.entrySet()) {
            Path p = tree.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            byte[] data = new byte[e.getValue()];
            random.nextBytes(data);
            Files.write(p, data);
        }
        single = dir.resolve("single.iso");
        byte[] data = new byte[1024 * 1024 + 1];
        random.nextBytes(data);
        Files.write(single, data);
    }

    private static JsonNode jtorrInfo(Path torrent) {
        CliRun run = CliRun.of("info", "--json", torrent.toString());
        assertEquals(0, run.status(), run.toString());
        return Tools.json(run.out());
    }

    private static Path jtorrCreate(Path content, String version, String pieceSize, String name) {
        Path out = dir.resolve("out/" + name);
        CliRun run = CliRun.of("create", content.toString(), "--" + version, "--piece-size", pieceSize, "--no-date",
                "--force", "-o", out.toString(), "-t", "http://127.0.0.1:6969/announce");
        assertEquals(0, run.status(), run.toString());
        return out;
    }

    /** path -> [size, v2 root or ""] of the files a user sees, in torrent order. */
    private static Map<String, List<String>> libtorrentFiles(JsonNode lt) {
        var out = new LinkedHashMap<String, List<String>>();
        for (JsonNode f : lt.get("files")) {
            if (!f.get("pad").asBoolean()) {
                out.put(f.get("path").asText(), List.of(f.get("size").asText(),
                        f.get("root").isNull() ? "" : f.get("root").asText()));
            }
        }
        return out;
    }

    private static Map<String, List<String>> jtorrFiles(JsonNode info) {
        var out = new LinkedHashMap<String, List<String>>();
        for (JsonNode f : info.get("files")) {
            out.put(f.get("path").asText(), List.of(f.get("length").asText(),
                    f.get("pieces_root").isNull() ? "" : f.get("pieces_root").asText()));
        }
        return out;
    }

    private static void assertSameTorrent(JsonNode lt, JsonNode jtorr) {
        assertEquals(lt.get("v1").isNull() ? null : lt.get("v1").asText(),
                jtorr.get("info_hash_v1").isNull() ? null : jtorr.get("info_hash_v1").asText(), "v1 info-hash");
        assertEquals(lt.get("v2").isNull() ? null : lt.get("v2").asText(),
                jtorr.get("info_hash_v2").isNull() ? null : jtorr.get("info_hash_v2").asText(), "v2 info-hash");
        assertEquals(lt.get("num_pieces").asInt(), jtorr.get("piece_count").asInt(), "piece count");
        assertEquals(libtorrentFiles(lt), jtorrFiles(jtorr), "files");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"v1,tree", "v2,tree", "hybrid,tree", "v1,single", "v2,single", "hybrid,single"})
    void jtorrTorrentsLoadInLibtorrentAndVerifyTheRealData(String version, String which) {
        Tools.requireLibtorrent();
        Path content = which.equals("tree") ? tree : single;
        Path torrent = jtorrCreate(content, version, "32KiB", which + "-" + version + ".torrent");
        JsonNode lt = Tools.libtorrent(dir, "inspect", torrent.toString());
        assertSameTorrent(lt, jtorrInfo(torrent));
        // libtorrent re-hashes the data on disk against our piece hashes and merkle roots
        JsonNode check = Tools.libtorrent(dir, "check", torrent.toString(), dir.toString());
        assertTrue(check.get("checked").asBoolean(), check.toString());
        assertEquals(check.get("total").asInt(), check.get("num_pieces").asInt(), "pieces libtorrent verified");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"v1,tree", "v2,tree", "hybrid,tree", "v1,single", "v2,single", "hybrid,single"})
    void libtorrentTorrentsParseInJtorrWithTheSameHashesFilesAndRoots(String version, String which) {
        Tools.requireLibtorrent();
        Path content = which.equals("tree") ? tree : single;
        Path ltTorrent = dir.resolve("out/lt-" + which + "-" + version + ".torrent");
        Tools.libtorrent(dir, "create", content.toString(), ltTorrent.toString(), version, "32768");
        JsonNode lt = Tools.libtorrent(dir, "inspect", ltTorrent.toString());
        JsonNode parsed = jtorrInfo(ltTorrent);
        assertSameTorrent(lt, parsed);
        if (!version.equals("v1")) {
            // the same content hashed by jtorr gives the same v2 roots, whatever order the files were listed in
            var ours = new java.util.TreeMap<>(jtorrFiles(jtorrInfo(jtorrCreate(content, version, "32KiB",
                    "cmp-" + which + "-" + version + ".torrent"))));
            assertEquals(new java.util.TreeMap<>(libtorrentFiles(lt)), ours);
        }
    }

    private static Map<String, String> transmissionShow(Path torrent) {
        String out = Tools.run(dir, "transmission-show", torrent.toString());
        var fields = new LinkedHashMap<String, String>();
        Matcher m = Pattern.compile("(?m)^\\s+(Hash|Piece Count|Name): (.+)$").matcher(out);
        while (m.find()) {
            fields.put(m.group(1), m.group(2).strip());
        }
        var files = new ArrayList<String>();
        Matcher f = Pattern.compile("(?m)^  (\\S.*) \\([^)]*\\)$").matcher(out.substring(out.indexOf("FILES")));
        while (f.find()) {
            files.add(f.group(1));
        }
        fields.put("files", String.join("|", files));
        return fields;
    }

    @ParameterizedTest
    @CsvSource({"tree", "single"})
    void v1TorrentsFromJtorrLoadInTransmission(String which) {
        Tools.requireCommand("transmission-show", "transmission-cli");
        Path torrent = jtorrCreate(which.equals("tree") ? tree : single, "v1", "16KiB", "tr-" + which + ".torrent");
        JsonNode ours = jtorrInfo(torrent);
        Map<String, String> shown = transmissionShow(torrent);
        assertEquals(ours.get("info_hash_v1").asText(), shown.get("Hash"));
        assertEquals(ours.get("piece_count").asText(), shown.get("Piece Count"));
        var paths = new ArrayList<String>();
        ours.get("files").forEach(f -> paths.add(f.get("path").asText()));
        assertEquals(String.join("|", paths), shown.get("files"));
    }

    @Test
    void mktorrentTorrentsParseInJtorr() {
        Tools.requireCommand("mktorrent", "mktorrent");
        Tools.requireLibtorrent();
        for (Path content : List.of(tree, single)) {
            Path torrent = dir.resolve("out/mk-" + content.getFileName() + ".torrent");
            Tools.run(dir, "sh", "-c", "rm -f '" + torrent + "'");
            Tools.run(dir, "mktorrent", "-l", "15", "-t", "2", "-a", "http://127.0.0.1:6969/announce", "-o",
                    torrent.toString(), content.toString());
            assertSameTorrent(Tools.libtorrent(dir, "inspect", torrent.toString()), jtorrInfo(torrent));
        }
    }

    @Test
    void transmissionCreateTorrentsParseInJtorr() {
        Tools.requireCommand("transmission-create", "transmission-cli");
        Tools.requireLibtorrent();
        for (Path content : List.of(tree, single)) {
            Path torrent = dir.resolve("out/tc-" + content.getFileName() + ".torrent");
            Tools.run(dir, "transmission-create", "-s", "32", "-t", "http://127.0.0.1:6969/announce", "-o",
                    torrent.toString(), content.toString());
            JsonNode ours = jtorrInfo(torrent);
            assertSameTorrent(Tools.libtorrent(dir, "inspect", torrent.toString()), ours);
            assertEquals(transmissionShow(torrent).get("Hash"), ours.get("info_hash_v1").asText());
        }
    }
}
