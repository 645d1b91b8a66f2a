package dev.jtorr.adapters.cli.wiring;

import dev.jtorr.adapters.cli.Terminal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the CLI with captured output. */
public record CliRun(int status, String out, String err) {
    /**
     * A run with the project's offline defaults (no DHT) as its configuration, whatever the machine has, and the
     * build's folder as its state folder (where a DHT saves its table), never the user's.
     */
    public static CliRun of(String... args) {
        return withEnv(Map.of("JTORR_CONFIG", OfflineConfig.file().toString(), "XDG_STATE_HOME", STATE.toString()),
                args);
    }

    /** The state folder of in-process runs. */
    public static final java.nio.file.Path STATE = java.nio.file.Path.of("target", "test-state").toAbsolutePath();

    /** A run whose configuration is looked up in {@code env} (see {@code ConfigDefaults}). */
    public static CliRun withEnv(Map<String, String> env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int status = Main.run(args, new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false), env);
        return new CliRun(status, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
}
