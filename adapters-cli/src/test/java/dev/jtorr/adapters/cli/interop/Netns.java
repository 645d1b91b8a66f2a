package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace of a test's own ({@code ip netns}), whose only interface is its loopback, switched to multicast
 * with a route for the multicast range: processes started in it can multicast to each other (BEP 14 local discovery)
 * and nothing they send can reach the host's interfaces. Needs root and iproute2; without them a test is skipped,
 * except under CI=true, where that is a failure. Closing deletes the namespace (stop its processes first); a
 * namespace left by a test run that was killed is deleted by the next one.
 */
final class Netns implements AutoCloseable {
    private static final String PREFIX = "jtorr-test-";
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** A fresh namespace, or the test skipped (failed under CI) when none can be made here. */
    static Netns create() {
        removeOrphans();
        String name = PREFIX + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet();
        if (!ip("netns", "add", name)) {
            if (CI) {
                fail("CI=true but no network namespace can be made here (ip netns add needs root and iproute2)");
            }
            Assumptions.abort("no network namespace can be made here (ip netns add needs root and iproute2); "
                    + "skipping (this would fail under CI=true)");
        }
        var ns = new Netns(name);
        if (!ip("-n", name, "link", "set", "lo", "up") || !ip("-n", name, "link", "set", "lo", "multicast", "on")
                || !ip("-n", name, "route", "add", "224.0.0.0/4", "dev", "lo", "src", "127.0.0.1")) {
            ns.close();
            fail("cannot set up multicast on the loopback interface of namespace " + name);
        }
        return ns;
    }

    /** {@code command}, to be run inside this namespace. */
    List<String> exec(List<String> command) {
        var out = new ArrayList<>(List.of("ip", "netns", "exec", name));
        out.addAll(command);
        return out;
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        ip("netns", "delete", name);
    }

    /** Deletes namespaces of earlier test runs whose JVM is gone (it was killed before it could clean up). */
    private static void removeOrphans() {
        for (String line : output("ip", "netns", "list").split("\n")) {
            String ns = line.strip().split(" ")[0];
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            String pid = ns.substring(PREFIX.length()).split("-")[0];
            try {
                if (ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    ip("netns", "delete", ns);
                }
            } catch (NumberFormatException e) {
                // not one of ours after all
            }
        }
    }

    private static boolean ip(String... args) {
        var command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        return Tools.exitsZero(command.toArray(String[]::new));
    }

    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
