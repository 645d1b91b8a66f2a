package dev.jtorr.adapters.cli.wiring;

import dev.jtorr.adapters.cli.Terminal;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the CLI with captured output. */
public record CliRun(int status, String out, String err) {
    public static CliRun of(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int status = Main.run(args, new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false));
        return new CliRun(status, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
}
