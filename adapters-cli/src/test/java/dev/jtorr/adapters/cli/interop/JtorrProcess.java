package dev.jtorr.adapters.cli.interop;

import dev.jtorr.adapters.cli.wiring.OfflineConfig;
import dev.jtorr.adapters.net.dht.DhtConfig;
import dev.jtorr.adapters.net.lsd.LsdConfig;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process under test: jtorr in its own JVM (same Java, same class path as the tests) or a real tool, with stdout
 * and stderr captured to files so JSON event lines can be awaited. Closing sends SIGTERM and waits.
 */
final class JtorrProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;
    private final String name;

    private JtorrProcess(Process process, Path out, Path err, String name) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.name = name;
    }

    /** Starts {@code jtorr ARGS} in {@code dir}. */
    static JtorrProcess jtorr(Path dir, String... args) {
        return jtorrWithHeap(dir, "512m", args);
    }

    /** Starts {@code jtorr ARGS} in {@code dir}, inside the network namespace {@code ns}. */
    static JtorrProcess jtorrIn(Netns ns, Path dir, String... args) {
        return start(dir, "jtorr (in " + ns.name() + ") " + String.join(" ", args),
                ns.exec(javaCommand("512m", args)));
    }

    /**
     * Starts {@code jtorr ARGS} in {@code dir}, inside {@code ns}, one of the namespaces of a {@link Netns#lan()},
     * with local discovery allowed on every interface it sees: there, none is the host's. That is checked first: the
     * namespace must hold its loopback and its end of the veth pair, and nothing else.
     */
    static JtorrProcess jtorrOnLan(Netns ns, Path dir, String... args) {
        var seen = ns.interfaces();
        if (!seen.equals(java.util.Set.of("lo", Netns.LAN_INTERFACE))) {
            throw new IllegalStateException("namespace " + ns.name() + " has interfaces " + seen
                    + ", not only lo and " + Netns.LAN_INTERFACE + ": no multicast beyond loopback there");
        }
        return start(dir, "jtorr (on the LAN, in " + ns.name() + ") " + String.join(" ", args),
                ns.exec(javaCommand("512m", false, args)));
    }

    /** Starts {@code jtorr ARGS} in {@code dir} with a Java heap of at most {@code heap} (e.g. "64m"). */
    static JtorrProcess jtorrWithHeap(Path dir, String heap, String... args) {
        return start(dir, "jtorr " + String.join(" ", args), javaCommand(heap, args));
    }

    /**
     * Starts {@code jtorr ARGS} in {@code dir} allowed at most {@code maxOpenFiles} file descriptors: {@code ulimit -n}
     * sets the soft and the hard limit, so the JVM cannot raise its soft limit past it as it does by default.
     */
    static JtorrProcess jtorrWithFileLimit(Path dir, int maxOpenFiles, String... args) {
        var command = new ArrayList<>(List.of("bash", "-c", "ulimit -n " + maxOpenFiles + " && exec \"$@\"",
                "jtorr"));
        command.addAll(javaCommand("512m", args));
        return start(dir, "jtorr (ulimit -n " + maxOpenFiles + ") " + String.join(" ", args), command);
    }

    private static List<String> javaCommand(String heap, String... args) {
        return javaCommand(heap, true, args);
    }

    private static List<String> javaCommand(String heap, boolean lsdLoopbackOnly, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // loopback only: whatever a test's options say, its DHT never sends to, or resolves, another host, and its
        // local discovery multicasts on loopback interfaces only (unless in a Lan namespace, checked to hold none
        // of the host's interfaces)
        var command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:TieredStopAtLevel=4",
                "-D" + DhtConfig.LOOPBACK_ONLY_PROPERTY + "=true",
                "-D" + LsdConfig.LOOPBACK_ONLY_PROPERTY + "=" + lsdLoopbackOnly,
                "-cp", classPath,
                "dev.jtorr.adapters.cli.wiring.Main"));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts any command in {@code dir}. */
    static JtorrProcess start(Path dir, String name, List<String> command) {
        try {
            Path out = Files.createTempFile(dir, "proc", ".out");
            Path err = Files.createTempFile(dir, "proc", ".err");
            var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            // the project's offline defaults (DHT off), not the machine's configuration; state stays in the test
            builder.environment().put("JTORR_CONFIG", OfflineConfig.file().toString());
            builder.environment().put("XDG_STATE_HOME", dir.resolve(".state").toString());
            Process p = builder.start();
            return new JtorrProcess(p, out, err, name);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + name, e);
        }
    }

    Process process() {
        return process;
    }

    /** The JSON lines printed so far. */
    List<JsonNode> events() {
        var list = new ArrayList<JsonNode>();
        for (String line : lines(out)) {
            if (line.startsWith("{") && line.endsWith("}")) {
                list.add(Tools.json(line));
            }
        }
        return list;
    }

    /** Waits for a JSON line matching {@code match}; fails with the process's output after {@code timeout}. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (JsonNode e : events()) {
                if (match.test(e)) {
                    return e;
                }
            }
            if (!process.isAlive()) {
                for (JsonNode e : events()) {
                    if (match.test(e)) {
                        return e;
                    }
                }
                fail(name + " exited " + process.exitValue() + " before the expected event\n" + output());
            }
            Thread.sleep(50);
        }
        fail(name + ": no expected event within " + timeout + "\n" + output());
        return null;
    }

    JsonNode awaitEvent(String event, Duration timeout) throws InterruptedException {
        return await(e -> event.equals(e.path("event").asText()), timeout);
    }

    /** Waits for the process to exit; returns its status. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail(name + " did not exit within " + timeout + "\n" + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flushing, like a crash or kill -9. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String output() {
        return "--- stdout of " + name + "\n" + String.join("\n", lines(out)) + "\n--- stderr\n"
                + String.join("\n", lines(err));
    }

    private static List<String> lines(Path file) {
        try {
            return List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
