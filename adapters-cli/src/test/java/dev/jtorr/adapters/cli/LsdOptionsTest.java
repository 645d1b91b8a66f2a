package dev.jtorr.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.adapters.cli.wiring.OfflineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code --lsd}, {@code --no-lsd} and the configuration key {@code lsd}. */
class LsdOptionsTest {
    @TempDir
    Path dir;

    @Command(name = "x")
    static final class Holder {
        @Mixin
        SwarmOptions swarm = new SwarmOptions();
    }

    private static boolean lsd(ConfigDefaults config, String... args) {
        var holder = new Holder();
        new CommandLine(holder).setDefaultValueProvider(config).parseArgs(args);
        return holder.swarm.toSessionOptions(false).lsd();
    }

    private ConfigDefaults config(String line) throws Exception {
        Path f = Files.writeString(dir.resolve("jtorr.properties"), line + "\n");
        return ConfigDefaults.load(Map.of("JTORR_CONFIG", f.toString()));
    }

    @Test
    void onByDefaultOffWithNoLsd() {
        assertTrue(lsd(ConfigDefaults.none()));
        assertTrue(lsd(ConfigDefaults.none(), "--lsd"));
        assertFalse(lsd(ConfigDefaults.none(), "--no-lsd"));
    }

    @Test
    void theConfigurationFileSetsTheDefaultAndTheCommandLineWins() throws Exception {
        assertFalse(lsd(config("lsd=false")));
        assertTrue(lsd(config("lsd=false"), "--lsd"));
        assertFalse(lsd(config("lsd=true"), "--no-lsd"));
    }

    @Test
    void theProjectsOfflineDefaultsTurnLocalDiscoveryOff() {
        assertFalse(lsd(ConfigDefaults.load(Map.of("JTORR_CONFIG", OfflineConfig.file().toString()))));
    }
}
