package dev.jtorr.adapters.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private Path album() throws Exception {
        Path root = Files.createDirectories(dir.resolve("album/sub"));
        byte[] data = new byte[200_000];
        new Random(5).nextBytes(data);
        Files.write(root.resolveSibling("a.bin"), data);
        Files.write(root.resolve("b.txt"), "hello".getBytes(StandardCharsets.UTF_8));
        Files.write(root.resolveSibling("empty"), new byte[0]);
        return root.getParent();
    }

    /** A failure is exactly one line on stderr, no stack trace, and the given status. */
    private static void assertOneLineError(CliRun run, int status, String text) {
        assertEquals(status, run.status(), run.toString());
        assertTrue(run.err().startsWith("jtorr: ") && run.err().contains(text), run.toString());
        assertFalse(run.err().contains("\tat "), run.toString());
        assertEquals(1, run.err().lines().filter(l -> !l.startsWith("Try '")).count(), run.toString());
    }

    @Test
    void noDirectIoTurnsDirectWritesOffForTheStorageAdapter() {
        assertTrue(Main.fsConfig(new String[] {"download", "a.torrent"}).directWrites());
        assertFalse(Main.fsConfig(new String[] {"download", "a.torrent", "--no-direct-io"}).directWrites());
        var run = CliRun.of("download", dir.resolve("missing.torrent").toString(), "--no-direct-io");
        assertOneLineError(run, 1, "missing.torrent"); // the option is known: the error is about the torrent
    }

    @Test
    void trackerRefusesABadAllowListAndBadPortsBeforeServing() throws Exception {
        Path allow = dir.resolve("allow.txt");
        Files.writeString(allow, "# torrents we track\n" + "ab".repeat(20) + "\n" + "cd".repeat(32) + "  # a v2 hash\n"
                + "not-a-hash\n");
        var run = CliRun.of("tracker", "--allow", allow.toString(), "--http-port", "0", "--udp-port", "0");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("line 4") && run.err().contains("not-a-hash"), run.err());
        var ports = CliRun.of("tracker", "--no-http", "--no-udp");
        assertEquals(2, ports.status(), ports.toString());
        assertTrue(ports.err().contains("needs HTTP, UDP or both"), ports.err());
        var missing = CliRun.of("tracker", "--allow", dir.resolve("nothing.txt").toString());
        assertEquals(2, missing.status(), missing.toString());
        assertTrue(missing.err().contains("cannot read the allow-list"), missing.err());
    }

    @Test
    void createsThenInspects() throws Exception {
        Path out = dir.resolve("out/album.torrent");
        CliRun created = CliRun.of("create", album().toString(), "-o", out.toString(), "--v2", "-t",
                "http://127.0.0.1:1/announce,http://127.0.0.1:2/announce", "-t", "udp://127.0.0.1:3",
                "--piece-size", "32KiB", "--private", "--comment", "c", "--source", "s", "-w", "http://127.0.0.1/ws");
        assertEquals(0, created.status(), created.toString());
        assertTrue(created.out().contains("created " + out), created.toString());
        CliRun info = CliRun.of("info", out.toString());
        assertEquals(0, info.status(), info.toString());
        assertTrue(info.out().contains("version:       v2"), info.out());
        // v2 starts every file on a piece boundary: 7 pieces of a.bin, 1 of sub/b.txt
        assertTrue(info.out().contains("8 x 32.0 KiB"), info.out());
        assertTrue(info.out().contains("tier 1: http://127.0.0.1:1/announce http://127.0.0.1:2/announce"), info.out());
        assertTrue(info.out().contains("tier 2: udp://127.0.0.1:3"), info.out());
        assertTrue(info.out().contains("private:       yes"), info.out());
        assertTrue(info.out().contains("    [1] a.bin  (") && info.out().contains("    sub/\n      [3] b.txt  (5 B)"),
                info.out());
    }

    @Test
    void jsonOutputCarriesHashesAndFiles() throws Exception {
        Path out = dir.resolve("a.torrent");
        CliRun created = CliRun.of("create", album().toString(), "-o", out.toString(), "--json");
        assertEquals(0, created.status(), created.toString());
        String last = created.out().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("{\"event\":\"created\""), last);
        assertTrue(created.out().lines().anyMatch(l -> l.startsWith("{\"event\":\"hashing\"")), created.out());
        CliRun info = CliRun.of("info", "--json", out.toString());
        assertTrue(info.out().matches("(?s)\\{\"name\":\"album\",\"version\":\"hybrid\".*"
                + "\"info_hash_v1\":\"[0-9a-f]{40}\",\"info_hash_v2\":\"[0-9a-f]{64}\".*"
                + "\"path\":\"album/sub/b.txt\",\"length\":5.*\\}\\s*"), info.out());
    }

    @Test
    void withoutADateTheSameInputGivesTheSameBytes() throws Exception {
        Path content = album();
        Path out = dir.resolve("x.torrent");
        assertEquals(0, CliRun.of("create", content.toString(), "-o", out.toString(), "--no-date").status());
        byte[] first = Files.readAllBytes(out);
        assertEquals(0, CliRun.of("create", content.toString(), "-o", out.toString(), "--no-date", "--force")
                .status());
        assertArrayEquals(first, Files.readAllBytes(out));
    }

    @Test
    void magnetLinksAreDescribed() {
        CliRun run = CliRun.of("info", "magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK&dn=demo");
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("info-hash v1:  c12fe1c06bba254a9dc9f519b335aa7c1367a88a"), run.out());
    }

    @Test
    void badContentGetsOneClearLine() throws Exception {
        assertOneLineError(CliRun.of("create", dir.resolve("missing").toString()), 1, "no such file or folder");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertOneLineError(CliRun.of("create", empty.toString()), 1, "holds no files");
        Path broken = Files.createSymbolicLink(dir.resolve("broken"), dir.resolve("gone"));
        assertOneLineError(CliRun.of("create", broken.toString()), 1, "broken symbolic link");
        assertOneLineError(CliRun.of("create", album().toString(), "--piece-size", "1000"), 2, "power of two");
        assertOneLineError(CliRun.of("create", album().toString(), "--piece-size", "big"), 2, "is not a size");
        assertOneLineError(CliRun.of("create", album().toString(), "-t", "gopher://x"), 2, "tracker URL");
        assertOneLineError(CliRun.of("create", album().toString(), "--v1", "--v2"), 2, "mutually exclusive");
    }

    @Test
    void badTorrentsGetOneClearLine() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.torrent"), "this is not bencode");
        assertOneLineError(CliRun.of("info", garbage.toString()), 1, "not a torrent: unexpected byte 't' at offset 0");
        Path out = dir.resolve("ok.torrent");
        CliRun.of("create", album().toString(), "-o", out.toString());
        byte[] whole = Files.readAllBytes(out);
        Path truncated = Files.write(dir.resolve("truncated.torrent"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertOneLineError(CliRun.of("info", truncated.toString()), 1, "not a torrent:");
        Path nested = Files.writeString(dir.resolve("nested.torrent"), "l".repeat(50_000) + "e".repeat(50_000));
        assertOneLineError(CliRun.of("info", nested.toString()), 1, "nesting deeper than");
        Path escaping = Files.writeString(dir.resolve("escape.torrent"),
                "d4:infod5:filesld6:lengthi1e4:pathl2:..3:etc6:passwdeee4:name1:x12:piece lengthi16384e6:pieces20:"
                        + "x".repeat(20) + "ee", StandardCharsets.ISO_8859_1);
        var renamed = CliRun.of("info", escaping.toString());
        assertEquals(0, renamed.status(), renamed.toString());
        assertTrue(renamed.out().contains("renamed: x/../etc/passwd -> x/etc/passwd"), renamed.out());
        assertOneLineError(CliRun.of("info", dir.resolve("none.torrent").toString()), 1, "no such file");
        assertOneLineError(CliRun.of("info", "magnet:?xt=urn:btih:zz"), 1, "urn:btih:");
    }

    @Test
    void aDownloadFolderThatCannotBeUsedGetsOneClearLineBeforeAnyNetworking() throws Exception {
        Path torrent = dir.resolve("album.torrent");
        assertEquals(0, CliRun.of("create", album().toString(), "-o", torrent.toString()).status());
        Path aFile = Files.writeString(dir.resolve("a-file"), "not a folder");
        var underAFile = CliRun.of("download", torrent.toString(), "-o", aFile.resolve("downloads").toString(),
                "--port", "0", "--bind", "127.0.0.1");
        assertOneLineError(underAFile, 1, "cannot create the download folder " + aFile.resolve("downloads")
                + ": Not a directory");
        assertEquals(1, underAFile.err().split(java.util.regex.Pattern.quote(aFile.toString()), -1).length - 1,
                "the path is named once: " + underAFile.err());

        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        Files.createSymbolicLink(downloads.resolve("album"), elsewhere);
        assertOneLineError(CliRun.of("download", torrent.toString(), "-o", downloads.toString(), "--port", "0",
                "--bind", "127.0.0.1"), 1, "refusing to write through the symbolic link");
        try (var left = Files.list(elsewhere)) {
            assertEquals(0, left.count(), "nothing was written through the link");
        }
    }

    @Test
    void verboseShowsTheStackTrace() throws Exception {
        Path garbage = Files.writeString(dir.resolve("g.torrent"), "x");
        CliRun run = CliRun.of("--verbose", "info", garbage.toString());
        assertEquals(1, run.status());
        assertTrue(run.err().contains("\tat "), run.toString());
    }

    @Test
    void helpAndVersionExitZeroAndNoCommandIsAUsageError() {
        assertEquals(0, CliRun.of("--help").status());
        assertTrue(CliRun.of("--version").out().startsWith("jtorr "));
        assertTrue(CliRun.of("create", "--help").out().contains("--piece-size"));
        assertEquals(2, CliRun.of().status());
        assertEquals(2, CliRun.of("frobnicate").status());
    }

    /** Subcommands are registered lazily (only the one named); help and errors must still see all of them. */
    @Test
    void helpListsEverySubcommandAndAnUnknownOneIsNamed() {
        CliRun help = CliRun.of("--help");
        for (String name : dev.jtorr.adapters.cli.JtorrCommand.SUBCOMMANDS.keySet()) {
            assertTrue(help.out().lines().anyMatch(l -> l.strip().startsWith(name + " ")), name + "\n" + help);
        }
        CliRun unknown = CliRun.of("frobnicate", "x");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("frobnicate"), unknown.toString());
        CliRun verboseFirst = CliRun.of("--verbose", "info", "--help");
        assertEquals(0, verboseFirst.status(), verboseFirst.toString());
        assertTrue(verboseFirst.out().contains("--json"), verboseFirst.toString());
    }
}
