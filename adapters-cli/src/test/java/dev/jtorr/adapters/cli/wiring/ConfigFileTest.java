package dev.jtorr.adapters.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.metainfo.MetainfoParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option defaults from a configuration file (JTORR_CONFIG, or the XDG location). */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path content() throws Exception {
        return Files.write(dir.resolve("data.bin"), new byte[300_000]);
    }

    private Path config(String... lines) throws Exception {
        return Files.write(dir.resolve("jtorr.properties"), String.join("\n", lines).getBytes());
    }

    private long pieceLength(Path torrent) throws Exception {
        return MetainfoParser.parse(Files.readAllBytes(torrent)).info().pieceLength();
    }

    @Test
    void aValueFromTheFileIsTheDefaultAndTheCommandLineWins() throws Exception {
        Path file = config("# comment", "", "piece-size = 64KiB", "encryption=require");
        var env = Map.of("JTORR_CONFIG", file.toString());
        Path a = dir.resolve("a.torrent");
        CliRun run = CliRun.withEnv(env, "create", content().toString(), "-o", a.toString());
        assertEquals(0, run.status(), run.toString());
        assertEquals(64 * 1024, pieceLength(a), "from the file");
        Path b = dir.resolve("b.torrent");
        run = CliRun.withEnv(env, "create", content().toString(), "-o", b.toString(), "--piece-size", "16KiB");
        assertEquals(0, run.status(), run.toString());
        assertEquals(16 * 1024, pieceLength(b), "the command line wins");
        assertTrue(CliRun.withEnv(env, "download", "--help").out().contains("--encryption"));
    }

    @Test
    void theXdgLocationIsUsedWhenJtorrConfigIsNotSet() throws Exception {
        Path home = Files.createDirectories(dir.resolve("xdg/jtorr"));
        Files.writeString(home.resolve("jtorr.properties"), "piece-size=32KiB\n");
        Path t = dir.resolve("t.torrent");
        CliRun run = CliRun.withEnv(Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString()), "create",
                content().toString(), "-o", t.toString());
        assertEquals(0, run.status(), run.toString());
        assertEquals(32 * 1024, pieceLength(t));
    }

    @Test
    void anUnknownKeyABadValueAndABadLineAreClearErrorsNamingTheFileAndLine() throws Exception {
        Path unknown = config("piece-size=32KiB", "no-such-option=1");
        CliRun run = CliRun.withEnv(Map.of("JTORR_CONFIG", unknown.toString()), "create", content().toString());
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains(unknown + " line 2: no command has an option --no-such-option"), run.err());
        Path unknownBesideOwn = config("dht=false", "no-such-option=1");
        run = CliRun.withEnv(Map.of("JTORR_CONFIG", unknownBesideOwn.toString()), "seed", content().toString());
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains(" line 2: no command has an option --no-such-option"), run.err());

        Path bad = config("piece-size=huge");
        run = CliRun.withEnv(Map.of("JTORR_CONFIG", bad.toString()), "create", content().toString());
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().startsWith("jtorr: " + bad + " line 1: piece-size=huge: "), run.err());
        assertFalse(run.err().contains("\tat "), run.err());

        Path mode = config("encryption=sometimes");
        run = CliRun.withEnv(Map.of("JTORR_CONFIG", mode.toString()), "download", "x.torrent");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().startsWith("jtorr: " + mode + " line 1: encryption=sometimes: "), run.err());
        assertTrue(run.err().contains("--encryption"), run.err());

        Path garbled = config("just words");
        run = CliRun.withEnv(Map.of("JTORR_CONFIG", garbled.toString()), "create", content().toString());
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains(garbled + " line 1: expected KEY=VALUE"), run.err());

        run = CliRun.withEnv(Map.of("JTORR_CONFIG", dir.resolve("missing").toString()), "info", "x");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("JTORR_CONFIG names"), run.err());
    }
}
