package dev.jtorr.adapters.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The top-level {@code jtorr} command; its subcommands do the work. They are listed in {@link #SUBCOMMANDS} rather
 * than in the annotation so that a command line builds (and injects) only the subcommand it names: picocli's model
 * of every command, and the object graph behind it, was most of each start-up.
 */
@Command(name = "jtorr", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A BitTorrent client and library for the JVM.",
        footer = {"", "Exit status: 0 success, 1 failure, 2 usage error."})
public final class JtorrCommand implements java.util.concurrent.Callable<Integer> {
    /** Every subcommand by name, in the order help lists them. */
    public static final java.util.Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static java.util.Map<String, Class<?>> subcommands() {
        var all = new java.util.LinkedHashMap<String, Class<?>>();
        all.put("create", CreateCommand.class);
        all.put("info", InfoCommand.class);
        all.put("download", DownloadCommand.class);
        all.put("seed", SeedCommand.class);
        all.put("verify", VerifyCommand.class);
        all.put("tracker", TrackerCommand.class);
        all.put("demo", DemoCommand.class);
        all.put("daemon", DaemonCommand.class);
        all.put("stream", StreamCommand.class);
        return java.util.Collections.unmodifiableMap(all);
    }

    /** Read by {@link dev.jtorr.adapters.cli.wiring.Main} before parsing; declared here for help and parsing. */
    @Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Show stack traces and debug logging.")
    boolean verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: usage on stderr, and the usage-error status. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
