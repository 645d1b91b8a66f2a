package dev.jtorr.adapters.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code jtorr} command; its subcommands do the work. */
@Command(name = "jtorr", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {CreateCommand.class, InfoCommand.class, DownloadCommand.class, SeedCommand.class,
            VerifyCommand.class, TrackerCommand.class, DemoCommand.class},
        description = "A BitTorrent client and library for the JVM.",
        footer = {"", "Exit status: 0 success, 1 failure, 2 usage error."})
public final class JtorrCommand implements java.util.concurrent.Callable<Integer> {
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
