package dev.jtorr.adapters.cli.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace of a test's own ({@code ip netns}), whose only interface is its loopback, switched to multicast
 * with a route for the multicast range: processes started in it can multicast to each other (BEP 14 local discovery)
 * and nothing they send can reach the host's interfaces. Needs root and iproute2; without them a test is skipped,
 * except under CI=true, where that is a failure. Closing deletes the namespace (stop its processes first); a
 * namespace left by a test run that was killed is deleted by the next one.
 *
 * <p>{@link #lan()} makes two such namespaces joined by a veth pair made inside them (it never exists among the
 * host's interfaces): a local network of two machines, each of which has only its loopback and its end of the pair.
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

    /** The name of each namespace's end of the veth pair of a {@link #lan()}. */
    static final String LAN_INTERFACE = "jtorr0";

    /**
     * Two namespaces on one local network: {@code a} at {@code 10.77.0.1/24}, {@code b} at {@code 10.77.0.2/24}; on an
     * IPv6-only one at {@code fd77::1/64} and {@code fd77::2/64} (unique-local) with no IPv4 address on the pair.
     */
    record Lan(Netns a, Netns b) implements AutoCloseable {
        static final String A_ADDRESS = "10.77.0.1";
        static final String B_ADDRESS = "10.77.0.2";
        static final String A_ADDRESS6 = "fd77::1";
        static final String B_ADDRESS6 = "fd77::2";

        @Override
        public void close() {
            // deleting a namespace deletes its end of the pair, and with it the other end
            a.close();
            b.close();
        }
    }

    /**
     * Two fresh namespaces joined by a veth pair, or the test skipped (failed under CI) when none can be made here.
     * The pair is created inside the first namespace with its peer inside the second.
     */
    static Lan lan() {
        return lan(List.of(Lan.A_ADDRESS + "/24"), List.of(Lan.B_ADDRESS + "/24"));
    }

    /** As {@link #lan()}, but the pair carries IPv6 alone (without duplicate address detection, usable at once). */
    static Lan lanIpv6Only() {
        return lan(List.of(Lan.A_ADDRESS6 + "/64", "nodad"), List.of(Lan.B_ADDRESS6 + "/64", "nodad"));
    }

    private static Lan lan(List<String> aAddress, List<String> bAddress) {
        Netns a = create();
        Netns b;
        try {
            b = create();
        } catch (RuntimeException | Error e) {
            a.close();
            throw e;
        }
        var lan = new Lan(a, b);
        if (!ip("-n", a.name, "link", "add", LAN_INTERFACE, "type", "veth", "peer", "name", LAN_INTERFACE, "netns",
                b.name)
                || !addAddress(a, aAddress) || !addAddress(b, bAddress)
                || !ip("-n", a.name, "link", "set", LAN_INTERFACE, "up")
                || !ip("-n", b.name, "link", "set", LAN_INTERFACE, "up")) {
            lan.close();
            fail("cannot join namespaces " + a.name + " and " + b.name + " by a veth pair");
        }
        return lan;
    }

    private static boolean addAddress(Netns ns, List<String> address) {
        var args = new ArrayList<>(List.of("-n", ns.name, "addr", "add", address.get(0), "dev", LAN_INTERFACE));
        args.addAll(address.subList(1, address.size()));
        return ip(args.toArray(String[]::new));
    }

    /** The names of this namespace's interfaces (what a process in it can see and send on). */
    Set<String> interfaces() {
        var names = new TreeSet<String>();
        for (String line : output("ip", "-n", name, "-o", "link", "show").split("\n")) {
            String[] fields = line.strip().split(":\\s+");
            if (fields.length >= 2) {
                names.add(fields[1].split("@")[0]);
            }
        }
        return names;
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
