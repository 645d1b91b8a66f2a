package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.InvalidCommandException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from a file of {@code KEY=VALUE} lines, where KEY is a long option's name without its dashes
 * ({@code upload-limit=2MiB}, {@code encryption=require}); a value applies to every command that has that option,
 * and an option given on the command line wins. Blank lines and lines starting with {@code #} are ignored.
 *
 * <p>The file is the one the {@code JTORR_CONFIG} environment variable names (set but empty: no file), else
 * {@code $XDG_CONFIG_HOME/jtorr/jtorr.properties} ({@code ~/.config/jtorr/jtorr.properties}) when it exists.
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    /** Where a value came from: its line in the file. */
    private record Entry(String value, int line) {
    }

    private final Path file;
    private final Map<String, Entry> entries;

    private ConfigDefaults(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** No file: every option keeps its own default. */
    public static ConfigDefaults none() {
        return new ConfigDefaults(null, Map.of());
    }

    /**
     * The defaults that {@code env} points to.
     *
     * @throws InvalidCommandException when the file named cannot be read or holds a line that is not KEY=VALUE
     */
    public static ConfigDefaults load(Map<String, String> env) {
        Optional<Path> file = locate(env);
        if (file.isEmpty()) {
            return none();
        }
        var entries = new LinkedHashMap<String, Entry>();
        try {
            var lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidCommandException(file.get() + " line " + (i + 1) + ": expected KEY=VALUE, found \""
                            + line + "\"");
                }
                entries.put(line.substring(0, eq).strip(), new Entry(line.substring(eq + 1).strip(), i + 1));
            }
        } catch (IOException e) {
            throw new InvalidCommandException("cannot read the configuration file " + file.get() + ": " + e);
        }
        return new ConfigDefaults(file.get(), entries);
    }

    private static Optional<Path> locate(Map<String, String> env) {
        String named = env.get("JTORR_CONFIG");
        if (named != null) {
            if (named.isBlank()) {
                return Optional.empty();
            }
            if (!Files.isRegularFile(Path.of(named))) {
                throw new InvalidCommandException("JTORR_CONFIG names " + named + ", which is not a file");
            }
            return Optional.of(Path.of(named));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".config");
        Path file = base.resolve("jtorr").resolve("jtorr.properties");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /**
     * Refuses a key that no command has as a long option.
     *
     * @param longOptions every long option name of every command, without dashes
     */
    public void checkKeys(Set<String> longOptions) {
        for (var e : entries.entrySet()) {
            if (!longOptions.contains(e.getKey())) {
                throw new InvalidCommandException(file + " line " + e.getValue().line() + ": no command has an option --"
                        + e.getKey());
            }
        }
    }

    /** Whether every key of the file is one of {@code longOptions}. */
    public boolean keysWithin(Set<String> longOptions) {
        return longOptions.containsAll(entries.keySet());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
            return null;
        }
        Entry e = entries.get(option.longestName().substring(2));
        return e == null ? null : e.value();
    }

    /** Where the value of {@code option} came from, when it came from the file: "FILE line N: key=value". */
    public Optional<String> origin(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
            return Optional.empty();
        }
        String key = option.longestName().substring(2);
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(file + " line " + e.line() + ": " + key + "=" + e.value());
    }
}
