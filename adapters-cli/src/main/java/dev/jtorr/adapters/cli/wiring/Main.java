package dev.jtorr.adapters.cli.wiring;

import com.google.inject.Guice;
import dev.jtorr.adapters.net.NetConfig;
import dev.jtorr.adapters.net.NetModule;
import dev.jtorr.adapters.net.dht.DhtConfig;
import dev.jtorr.adapters.net.dht.DhtModule;
import dev.jtorr.adapters.net.lsd.LsdConfig;
import dev.jtorr.adapters.net.lsd.LsdModule;
import dev.jtorr.application.port.out.NetworkException;
import dev.jtorr.application.port.out.StorageException;
import dev.jtorr.adapters.cli.ConfigDefaults;
import dev.jtorr.adapters.cli.DownloadCommand;
import dev.jtorr.adapters.cli.JtorrCommand;
import dev.jtorr.adapters.cli.Terminal;
import dev.jtorr.adapters.fs.FsConfig;
import dev.jtorr.adapters.fs.FsModule;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.domain.InvalidDataException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * The composition root: the one place that creates a Guice injector and sees every adapter. Exit status: 0
 * success, 1 failure, 2 usage error. Errors are one line on stderr; stack traces only with {@code --verbose}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Guice's generated fast-class glue costs more at start-up than its reflection saves in a short-lived
        // command; read once, when Guice's classes initialise.
        System.setProperty("guice_bytecode_gen_option", "DISABLED");
        var out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        var err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, new Terminal(out, err, stderrIsTerminal()), System.getenv()));
    }

    /**
     * Runs one command line; used by {@link #main} and, in-process, by tests. {@code env} is where the
     * configuration file is looked for (see {@link ConfigDefaults}).
     */
    public static int run(String[] args, Terminal terminal, Map<String, String> env) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        if (verbose) {
            System.setProperty("JTORR_LOG_LEVEL", "DEBUG");
        }
        var injector = Guice.createInjector(new FsModule(fsConfig(args)), new NetModule(NetConfig.defaults()),
                new DhtModule(DhtConfig.forUser(env)), new LsdModule(LsdConfig.fromSystemProperties()),
                new CliModule(terminal));
        var factory = new GuiceFactory(injector);
        var commandLine = new CommandLine(JtorrCommand.class, factory);
        addSubcommands(commandLine, factory, args);
        ConfigDefaults config;
        try {
            config = ConfigDefaults.load(env);
            if (!config.isEmpty() && !config.keysWithin(longOptions(commandLine))) {
                // a key of some other command: building every command's options is worth it only then (~80 ms)
                config.checkKeys(longOptions(allCommands(factory)));
            }
        } catch (InvalidCommandException e) {
            terminal.err().println("jtorr: " + e.getMessage());
            return 2;
        }
        commandLine.setDefaultValueProvider(config);
        commandLine.setOut(terminal.out())
                .setErr(terminal.err())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((e, a) -> {
                    String origin = e.getArgSpec() == null || given(e.getArgSpec(), args) ? ""
                            : config.origin(e.getArgSpec()).map(o -> o + ": ").orElse("");
                    terminal.err().println("jtorr: " + origin + e.getMessage());
                    terminal.err().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName()
                            + " --help' for more information.");
                    return 2;
                })
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    terminal.err().println("jtorr: " + describe(e));
                    if (verbose) {
                        e.printStackTrace(terminal.err());
                    }
                    terminal.err().flush();
                    return e instanceof InvalidCommandException ? 2 : 1;
                });
        int status = commandLine.execute(args);
        terminal.out().flush();
        terminal.err().flush();
        return status;
    }

    /**
     * The storage adapter's settings, from the arguments before picocli parses them (as {@code --verbose} is read):
     * the injector makes the adapter first.
     */
    static FsConfig fsConfig(String[] args) {
        return new FsConfig(!Arrays.asList(args).contains(DownloadCommand.NO_DIRECT_IO));
    }

    /** Whether the command line itself gives {@code arg} (so its value did not come from the configuration). */
    private static boolean given(CommandLine.Model.ArgSpec arg, String[] args) {
        if (!(arg instanceof CommandLine.Model.OptionSpec option)) {
            return true;
        }
        for (String a : args) {
            for (String name : option.names()) {
                if (a.equals(name) || a.startsWith(name + "=")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every command: their long options are the keys a configuration file may hold. */
    private static CommandLine allCommands(CommandLine.IFactory factory) {
        var all = new CommandLine(JtorrCommand.class, factory);
        JtorrCommand.SUBCOMMANDS.forEach((name, type) -> all.addSubcommand(name, new CommandLine(type, factory)));
        return all;
    }

    /** Every long option name (without dashes) of {@code command} and its subcommands. */
    private static Set<String> longOptions(CommandLine command) {
        var names = new java.util.HashSet<String>();
        collect(command, names);
        return names;
    }

    private static void collect(CommandLine command, Set<String> names) {
        for (var option : command.getCommandSpec().options()) {
            for (String name : option.names()) {
                if (name.startsWith("--")) {
                    names.add(name.substring(2));
                }
            }
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, names));
    }

    /**
     * Registers only the subcommand the arguments name (the first argument that is not an option), or all of them
     * when none is named, so that help, suggestions and "unknown command" errors still see every subcommand.
     */
    private static void addSubcommands(CommandLine commandLine, CommandLine.IFactory factory, String[] args) {
        String named = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
        var subcommands = JtorrCommand.SUBCOMMANDS;
        var wanted = subcommands.containsKey(named) ? java.util.List.of(named) : subcommands.keySet();
        for (String name : wanted) {
            commandLine.addSubcommand(name, new CommandLine(subcommands.get(name), factory));
        }
    }

    private static String describe(Exception e) {
        if (e instanceof InvalidDataException || e instanceof ContentException
                || e instanceof InvalidCommandException || e instanceof StorageException
                || e instanceof NetworkException) {
            return e.getMessage();
        }
        return "internal error: " + e + " (run with --verbose for details)";
    }

    /** Java 22+ has Console.isTerminal(); on 21, a console exists only when attached to a terminal. */
    private static boolean stderrIsTerminal() {
        var console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) console.getClass().getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
