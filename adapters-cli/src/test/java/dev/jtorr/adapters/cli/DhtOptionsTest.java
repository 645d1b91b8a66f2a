package dev.jtorr.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.adapters.cli.wiring.OfflineConfig;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.domain.dht.DhtSettings;
import dev.jtorr.domain.peer.PeerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code --dht}, {@code --no-dht}, {@code --dht-bootstrap}, {@code --dht-read-only} and their configuration keys. */
class DhtOptionsTest {
    @TempDir
    Path dir;

    @Command(name = "x")
    static final class Holder {
        @Mixin
        SwarmOptions swarm = new SwarmOptions();
    }

    private static DhtSettings dht(ConfigDefaults config, String... args) {
        var holder = new Holder();
        new CommandLine(holder).setDefaultValueProvider(config).parseArgs(args);
        return holder.swarm.toSessionOptions(false).dht();
    }

    private static DhtSettings dht(String... args) {
        return dht(ConfigDefaults.none(), args);
    }

    private ConfigDefaults config(String... lines) throws Exception {
        Path f = Files.writeString(dir.resolve("jtorr.properties"), String.join("\n", lines) + "\n");
        return ConfigDefaults.load(Map.of("JTORR_CONFIG", f.toString()));
    }

    @Test
    void onByDefaultThroughThePublicBootstrapNodes() {
        assertEquals(new DhtSettings(true, DhtSettings.PUBLIC_BOOTSTRAP), dht());
        assertEquals(new DhtSettings(true, DhtSettings.PUBLIC_BOOTSTRAP), dht("--dht"));
    }

    @Test
    void offWithNoDht() {
        assertFalse(dht("--no-dht").enabled());
    }

    @Test
    void bootstrapNodesReplaceTheDefaultListOrNoneAtAll() {
        var local = List.of(new PeerAddress("127.0.0.1", 7000), new PeerAddress("127.0.0.2", 7001));
        assertEquals(new DhtSettings(true, local),
                dht("--dht-bootstrap", "127.0.0.1:7000", "--dht-bootstrap", "127.0.0.2:7001"));
        assertEquals(new DhtSettings(true, List.of()), dht("--dht-bootstrap", "none"));
        assertThrows(InvalidCommandException.class, () -> dht("--dht-bootstrap", "nowhere"));
    }

    @Test
    void theConfigurationFileSetsTheDefaultsAndTheCommandLineWins() throws Exception {
        assertFalse(dht(config("dht=false")).enabled());
        assertTrue(dht(config("dht=false"), "--dht").enabled());
        assertEquals(new DhtSettings(true, List.of(new PeerAddress("127.0.0.1", 7000))),
                dht(config("dht-bootstrap=127.0.0.1:7000")));
    }

    @Test
    void readOnlyOnlyWhenAskedOnTheCommandLineOrInTheFile() throws Exception {
        assertFalse(dht().readOnly());
        assertEquals(new DhtSettings(true, DhtSettings.PUBLIC_BOOTSTRAP, true), dht("--dht-read-only"));
        assertEquals(new DhtSettings(true, List.of(), true), dht("--dht-read-only", "--dht-bootstrap", "none"));
        assertTrue(dht(config("dht-read-only=true")).readOnly());
        assertFalse(dht(config("dht-read-only=true"), "--no-dht-read-only").readOnly());
    }

    @Test
    void theProjectsOfflineDefaultsTurnTheDhtOff() {
        assertFalse(dht(ConfigDefaults.load(Map.of("JTORR_CONFIG", OfflineConfig.file().toString()))).enabled());
    }
}
