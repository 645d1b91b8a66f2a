package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BList;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.piece.Sha;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torrents with the odd names found in the wild, built here byte by byte: jtorr must store every file under the
 * same name as libtorrent 2.0 (so that data either client downloaded is found by the other), and a torrent whose
 * files collide must download from a libtorrent seeder with every file intact.
 */
class FileNameInteropTest {
    private static final int PIECE = 16 * 1024;
    private static final String LT_TOOL = SwarmInteropTest.script("lt_tool.py");

    @TempDir
    Path dir;

    /** One file of a hand-made torrent: its path elements as raw bytes. */
    private record RawFile(List<byte[]> path, byte[] content) {
        static RawFile of(int size, long seed, Object... elements) {
            var path = new ArrayList<byte[]>();
            for (Object e : elements) {
                path.add(e instanceof byte[] b ? b : ((String) e).getBytes(StandardCharsets.UTF_8));
            }
            byte[] content = new byte[size];
            new SplittableRandom(seed).nextBytes(content);
            return new RawFile(path, content);
        }
    }

    /** A v1 multi-file torrent of {@code files} named {@code name}, keys in canonical order. */
    private static byte[] torrent(byte[] name, List<RawFile> files) {
        var stream = new ByteArrayOutputStream();
        var list = new ArrayList<BValue>();
        for (RawFile f : files) {
            stream.writeBytes(f.content());
            var path = new ArrayList<BValue>();
            f.path().forEach(e -> path.add(new BString(e)));
            list.add(BDictionary.builder().put("length", f.content().length).put("path", new BList(path)).build());
        }
        byte[] all = stream.toByteArray();
        MessageDigest sha1 = Sha.sha1();
        var pieces = new ByteArrayOutputStream();
        for (int at = 0; at < all.length; at += PIECE) {
            sha1.update(all, at, Math.min(PIECE, all.length - at));
            pieces.writeBytes(sha1.digest());
        }
        var info = BDictionary.builder().put("files", new BList(list)).put("name", new BString(name))
                .put("piece length", PIECE).put("pieces", pieces.toByteArray()).build();
        return BencodeEncoder.encode(BDictionary.builder().put("info", info).build());
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    /** The paths libtorrent gives the files of {@code torrent}, in order. */
    private List<String> libtorrentPaths(Path torrent) {
        JsonNode inspected = Tools.json(Tools.run(dir, Tools.PYTHON, LT_TOOL, "inspect", torrent.toString()));
        var out = new ArrayList<String>();
        inspected.path("files").forEach(f -> out.add(f.path("path").asText()));
        return out;
    }

    private Path write(String name, byte[] torrent) throws Exception {
        return Files.write(dir.resolve(name), torrent);
    }

    @Test
    void oddNamesEndUpWhereLibtorrentPutsThem() throws Exception {
        Tools.requireLibtorrent();
        List<RawFile> files = List.of(
                RawFile.of(10, 1, "plain.txt"),
                RawFile.of(10, 2, "..", "..", "etc", "passwd"),
                RawFile.of(10, 3, ".", "dot", "", "empty element"),
                RawFile.of(10, 4, "sl/ash", "back\\slash"),
                RawFile.of(10, 5, "nul\0byte", "bell\u0007", "del\u007f"),
                RawFile.of(10, 6, bytes('c', 'a', 'f', 0xe9), bytes('a', 0xc0, 0xaf, 'b'), bytes('x', 0xe2, 0x82)),
                RawFile.of(10, 7, "gpj\u202e.exe", "Movie: The Sequel?", "trailing. "),
                RawFile.of(10, 8, "x".repeat(300) + ".mkv"),
                RawFile.of(10, 9, "y".repeat(300)),
                RawFile.of(10, 10, "é".repeat(200) + ".txt"),
                RawFile.of(10, 11, "..", "."),
                RawFile.of(10, 12, "...", "ünïcødé ✓"),
                RawFile.of(10, 13, "d", "x.bin"),
                RawFile.of(10, 14, "d", "x.bin"),
                RawFile.of(10, 15, "D", "X.BIN"),
                RawFile.of(10, 16, "e", "a"),
                RawFile.of(10, 17, "e", "a", "b"),
                RawFile.of(10, 18, "e", "a.1"));
        for (byte[] name : List.of("odd names".getBytes(StandardCharsets.UTF_8), "..".getBytes(StandardCharsets.UTF_8),
                bytes('n', 0, 'l', 0xff))) {
            Path torrent = write("odd.torrent", torrent(name, files));
            Metainfo m = MetainfoParser.parse(Files.readAllBytes(torrent));
            assertEquals(libtorrentPaths(torrent), m.info().files().stream().map(FileEntry::pathString).toList(),
                    "torrent named " + Arrays.toString(name));
        }
    }

    /**
     * Two files on one path (different contents) and a file on another's folder: libtorrent seeds them from its own
     * renamed paths, and jtorr downloads every file intact to the same paths.
     */
    @Test
    void collidingFilesDownloadFromALibtorrentSeederEachIntact() throws Exception {
        Tools.requireLibtorrent();
        List<RawFile> files = List.of(
                RawFile.of(70_001, 21, "d", "x.bin"),
                RawFile.of(50_000, 22, "d", "x.bin"),
                RawFile.of(30_000, 23, "e", "a"),
                RawFile.of(40_000, 24, "e", "a", "b"),
                RawFile.of(25_000, 25, "CASE.txt"),
                RawFile.of(26_000, 26, "case.txt"));
        Path torrent = write("dupes.torrent", torrent("dupes".getBytes(StandardCharsets.UTF_8), files));
        Metainfo m = MetainfoParser.parse(Files.readAllBytes(torrent));
        List<String> paths = m.info().files().stream().map(FileEntry::pathString).toList();
        assertEquals(List.of("dupes/d/x.bin", "dupes/d/x.1.bin", "dupes/e/a.1", "dupes/e/a/b", "dupes/CASE.txt",
                "dupes/case.1.txt"), paths);
        assertEquals(libtorrentPaths(torrent), paths);
        Path seed = dir.resolve("seed");
        for (int i = 0; i < files.size(); i++) {
            Path p = seed.resolve(paths.get(i));
            Files.createDirectories(p.getParent());
            Files.write(p, files.get(i).content());
        }
        int port = Ports.free();
        try (var seeder = SwarmInteropTest.libtorrentSeed(dir, torrent, seed.resolve("dupes"), port, 0)) {
            Path out = dir.resolve("downloads");
            SwarmInteropTest.jtorrDownload(torrent, out, "127.0.0.1:" + port);
            for (int i = 0; i < files.size(); i++) {
                assertEquals(-1L, Files.mismatch(seed.resolve(paths.get(i)), out.resolve(paths.get(i))), paths.get(i));
            }
            SwarmInteropTest.assertSameTree(seed.resolve("dupes"), out.resolve("dupes"));
        }
    }

    /**
     * BEP 47 symbolic links in a torrent libtorrent made: jtorr downloads it from a libtorrent seeder and makes each
     * link, relative and inside the torrent's folder, pointing at the same file as the original.
     */
    @Test
    void symbolicLinksFromALibtorrentTorrentAreMadeInsideTheFolder() throws Exception {
        Tools.requireLibtorrent();
        Path content = dir.resolve("src").resolve("linked");
        Files.createDirectories(content.resolve("sub"));
        byte[] data = new byte[50_000];
        new SplittableRandom(47).nextBytes(data);
        Files.write(content.resolve("data.bin"), data);
        Files.createSymbolicLink(content.resolve("alias"), Path.of("data.bin"));
        Files.createSymbolicLink(content.resolve("sub").resolve("up"), Path.of("..", "data.bin"));
        Path torrent = dir.resolve("linked.torrent");
        Tools.run(dir, Tools.PYTHON, LT_TOOL, "create", content.toString(), torrent.toString(), "v1", "16384",
                "symlinks");
        Metainfo m = MetainfoParser.parse(Files.readAllBytes(torrent));
        assertEquals(List.of("linked/alias", "linked/sub/up"), m.info().files().stream().filter(FileEntry::isSymlink)
                .map(FileEntry::pathString).toList());
        int port = Ports.free();
        try (var seeder = SwarmInteropTest.libtorrentSeed(dir, torrent, content, port, 0)) {
            Path out = dir.resolve("downloads");
            SwarmInteropTest.jtorrDownload(torrent, out, "127.0.0.1:" + port);
            Path root = out.resolve("linked");
            assertEquals(-1L, Files.mismatch(content.resolve("data.bin"), root.resolve("data.bin")));
            for (String link : List.of("alias", "sub/up")) {
                Path p = root.resolve(link);
                assertEquals(true, Files.isSymbolicLink(p), link + " is a link");
                assertEquals(false, Files.readSymbolicLink(p).isAbsolute(), link + " is relative");
                assertEquals(root.resolve("data.bin").toRealPath(), p.toRealPath(), link + " points at data.bin");
            }
        }
    }
}
