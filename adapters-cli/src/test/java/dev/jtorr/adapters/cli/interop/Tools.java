package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real BitTorrent tools from Debian's packages. A missing tool skips the test, except under CI=true,
 * where it fails: CI installs them all.
 */
final class Tools {
    /** Debian's own interpreter: the only one that can import libtorrent. */
    static final String PYTHON = "/usr/bin/python3";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    private Tools() {
    }

    static void requireLibtorrent() {
        boolean ok = Files.isExecutable(Path.of(PYTHON)) && exitsZero(PYTHON, "-c", "import libtorrent");
        missing(ok, "python3-libtorrent (import libtorrent with " + PYTHON + ")");
    }

    static void requireCommand(String command, String debianPackage) {
        missing(exitsZero("sh", "-c", "command -v " + command), command + " (Debian package " + debianPackage + ")");
    }

    private static void missing(boolean present, String what) {
        if (present) {
            return;
        }
        if (CI) {
            fail("CI=true but " + what + " is not installed; .ci/run must install it");
        }
        Assumptions.abort(what + " is not installed; skipping (this would fail under CI=true)");
    }

    /** Whether {@code command} runs and exits 0 within 30 s (its output is read and dropped). */
    static boolean exitsZero(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a command in {@code dir}, failing the test on a non-zero exit or after two minutes; returns stdout. */
    static String run(Path dir, String... command) {
        try {
            Path err = Files.createTempFile("tool", ".err");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + String.join(" ", command));
            }
            String stderr = Files.readString(err);
            Files.delete(err);
            if (p.exitValue() != 0) {
                fail(String.join(" ", command) + " exited " + p.exitValue() + "\n" + out + stderr);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs the libtorrent helper script and parses its JSON answer. */
    static JsonNode libtorrent(Path dir, String... args) {
        try {
            Path script = Path.of(Tools.class.getResource("/interop/lt_tool.py").toURI());
            var command = new ArrayList<>(List.of(PYTHON, script.toString()));
            command.addAll(List.of(args));
            return JSON.readTree(run(dir, command.toArray(String[]::new)));
        } catch (IOException | URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
