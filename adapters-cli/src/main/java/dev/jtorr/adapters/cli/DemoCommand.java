package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.DownloadTorrentCommand;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.SeedTorrentCommand;
import dev.jtorr.application.port.in.ServeTrackerCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.domain.dht.DhtSettings;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.in.TrackerHandle;
import dev.jtorr.application.port.in.VerifyTorrentUseCase;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.swarm.TransferStatus;
import dev.jtorr.domain.wire.EncryptionPolicy;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jtorr demo}: a whole swarm on loopback, no network and no setup. Makes sample content, a hybrid torrent
 * that names a tracker started here, one seeder (upload-limited, so the leechers must trade) and several leechers
 * that find everyone through the tracker alone, shows them at work, and ends when every leecher's copy verifies.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run a whole swarm on loopback, in one process, with no network needed.",
            "Sample content, a hybrid torrent naming the built-in tracker, one seeder and several leechers that "
                + "find each other through the tracker. Ends when every leecher has a verified copy."})
public final class DemoCommand implements Callable<Integer> {
    private static final String MARKER = ".jtorr-demo";
    private static final String NAME = "jtorr-demo";

    @Option(names = "--dir", paramLabel = "DIR", description = "Working folder (default: ${DEFAULT-VALUE}); "
            + "replaced if it holds an earlier demo.")
    Path dir = Path.of("demo");

    @Option(names = "--size", paramLabel = "SIZE", converter = Sizes.Converter.class,
            description = "Bytes of sample content (default: 64MiB).")
    Long size = 64L << 20;

    @Option(names = "--leechers", paramLabel = "N", description = "Leechers (default: ${DEFAULT-VALUE}).")
    int leechers = 4;

    @Option(names = "--seed-limit", paramLabel = "RATE", converter = Sizes.Converter.class,
            description = "The seeder's upload limit per second (default: 8MiB; 0 for none).")
    Long seedLimit = 8L << 20;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long (default: "
            + "${DEFAULT-VALUE}).")
    int timeout = 600;

    @Option(names = "--json", description = "Progress and result as JSON lines on stdout.")
    boolean json;

    private final DemoRuntime runtime;
    private final Terminal terminal;

    @Inject
    DemoCommand(DemoRuntime runtime, Terminal terminal) {
        this.runtime = runtime;
        this.terminal = terminal;
    }

    /** A session's own listener: keeps its notices for the display; ignores progress (the handle has it). */
    private static final class Notices implements ProgressListener {
        final List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void notice(String message) {
            messages.add(message);
        }
    }

    private record Node(String name, TorrentHandle handle, Notices notices) {
    }

    @Override
    public Integer call() throws Exception {
        if (leechers < 1 || leechers > 32) {
            throw new InvalidCommandException("--leechers must be 1 to 32");
        }
        if (size < 1 || size > (16L << 30)) {
            throw new InvalidCommandException("--size must be 1 byte to 16 GiB");
        }
        prepareFolder();
        Path content = dir.resolve("seed").resolve(NAME);
        say("making " + Sizes.format(size) + " of sample content in " + content);
        writeContent(content);

        TrackerHandle tracker = runtime.tracker().start(new ServeTrackerCommand("127.0.0.1", 0, 0,
                Duration.ofSeconds(30), 200, Optional.empty()));
        var nodes = new ArrayList<Node>();
        long start = System.nanoTime();
        Thread hook = new Thread(() -> {
            nodes.forEach(n -> n.handle().close());
            tracker.close();
        }, "jtorr-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String http = "http://127.0.0.1:" + tracker.httpPort().orElseThrow() + "/announce";
            String udp = "udp://127.0.0.1:" + tracker.udpPort().orElseThrow();
            say("tracker on " + http + " and " + udp);
            Path torrent = dir.resolve(NAME + ".torrent");
            runtime.creator().create(new CreateTorrentCommand(content, Optional.of(torrent), Optional.empty(),
                    TorrentVersion.HYBRID, List.of(List.of(http), List.of(udp)), List.of(), false,
                    Optional.of("jtorr demo"), Optional.empty(), false, true));
            say("made the hybrid torrent " + torrent);

            var seedNotices = new Notices();
            nodes.add(new Node("seed", runtime.seeder(seedNotices).start(new SeedTorrentCommand(torrent, content,
                    false, options(seedLimit))), seedNotices));
            for (int i = 1; i <= leechers; i++) {
                var notices = new Notices();
                nodes.add(new Node("leecher-" + i, runtime.downloader(notices).start(new DownloadTorrentCommand(
                        torrent, dir.resolve("leecher-" + i), true, options(0))), notices));
            }
            say("started 1 seeder (upload limit " + (seedLimit == 0 ? "none" : Sizes.format(seedLimit) + "/s")
                    + ") and " + leechers + " leechers on 127.0.0.1; no peer addresses given: they meet through "
                    + "the tracker");
            boolean done = watch(nodes, tracker, start);
            nodes.forEach(n -> n.handle().close());
            for (Node n : nodes) {
                n.handle().awaitStopped();
            }
            if (!done) {
                say("gave up after " + timeout + " s");
                return 1;
            }
            return report(nodes, torrent, (System.nanoTime() - start) / 1e9) ? 0 : 1;
        } finally {
            nodes.forEach(n -> n.handle().close());
            tracker.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    private SessionOptions options(long uploadLimit) {
        // the demo's swarm stays on loopback: no DHT and no local discovery, whatever the configuration file says
        return new SessionOptions(List.of(), "127.0.0.1", 0, 50, 4, uploadLimit, 0, false,
                SwarmOptions.memoryBudget(leechers + 1), List.of(), true, EncryptionPolicy.PREFER, DhtSettings.OFF);
    }

    private void prepareFolder() throws IOException {
        if (Files.exists(dir)) {
            boolean empty;
            try (Stream<Path> s = Files.list(dir)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                throw new InvalidCommandException(dir + " exists and is not an earlier demo; choose another --dir");
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "made by jtorr demo; the whole folder is replaced by the next run\n");
    }

    /** A few files of reproducible pseudo-random bytes, nested, of odd sizes, one of them empty. */
    private void writeContent(Path root) throws IOException {
        Files.createDirectories(root.resolve("videos"));
        Files.writeString(root.resolve("README.txt"), "Sample content made by jtorr demo.\n");
        Files.write(root.resolve("empty.txt"), new byte[0]);
        long rest = size;
        long first = rest / 3 + 12_345 > rest ? rest : rest / 3 + 12_345;
        fill(root.resolve("videos").resolve("part-1.bin"), first, 1);
        fill(root.resolve("videos").resolve("part-2.bin"), rest - first, 2);
    }

    private static void fill(Path file, long length, long seed) throws IOException {
        var random = new SplittableRandom(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < length; ) {
                for (int i = 0; i < buf.length; i += 8) {
                    long v = random.nextLong();
                    for (int k = 0; k < 8; k++) {
                        buf[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                int n = (int) Math.min(buf.length, length - done);
                out.write(buf, 0, n);
                done += n;
            }
        }
    }

    /** Shows the swarm until every leecher is complete or the timeout passes; returns whether they completed. */
    private boolean watch(List<Node> nodes, TrackerHandle tracker, long start) throws InterruptedException {
        long deadline = start + timeout * 1_000_000_000L;
        int drawn = 0;
        long lastPlain = 0;
        while (true) {
            boolean all = nodes.stream().skip(1).allMatch(n -> SessionRunner.complete(n.handle().status()));
            boolean failed = nodes.stream().anyMatch(n -> n.handle().failure().isPresent());
            long now = System.nanoTime();
            if (json) {
                for (Node n : nodes) {
                    terminal.out().println(Json.write(event(n, now - start)));
                }
                terminal.out().flush();
            } else if (terminal.interactive()) {
                var lines = lines(nodes, tracker, now - start);
                if (drawn > 0) {
                    terminal.err().print("\u001b[" + drawn + "F");
                }
                for (String l : lines) {
                    terminal.err().print("\u001b[2K" + l + "\n");
                }
                terminal.err().flush();
                drawn = lines.size();
            } else if (all || now - lastPlain > 2_000_000_000L) {
                lastPlain = now;
                terminal.err().println(String.format(Locale.ROOT, "%5.1fs  ", (now - start) / 1e9) + String.join("  ",
                        nodes.stream().skip(1).map(n -> n.name() + " " + percent(n.handle().status())).toList()));
                terminal.err().flush();
            }
            if (all || failed || now > deadline) {
                nodes.forEach(n -> n.notices().messages.forEach(m -> say(n.name() + ": " + m)));
                return all && !failed;
            }
            Thread.sleep(json ? 1000 : 250);
        }
    }

    private static List<String> lines(List<Node> nodes, TrackerHandle tracker, long nanos) {
        var out = new ArrayList<String>();
        var t = tracker.statistics();
        out.add(String.format(Locale.ROOT, "%6.1fs  tracker: %d peers (%d seeds), %d announces", nanos / 1e9,
                t.totals().seeders() + t.totals().leechers(), t.totals().seeders(), t.announces()));
        for (Node n : nodes) {
            TransferStatus s = n.handle().status();
            out.add(String.format(Locale.ROOT, "  %-10s %6s  down %10s/s  up %10s/s  peers %2d", n.name(), percent(s),
                    Sizes.format(s.downloadRate()), Sizes.format(s.uploadRate()), s.peers()));
        }
        return out;
    }

    private static String percent(TransferStatus s) {
        return s == null || s.totalBytes() == 0 ? "100.0%"
                : String.format(Locale.ROOT, "%.1f%%", 100.0 * s.verifiedBytes() / s.totalBytes());
    }

    private static LinkedHashMap<String, Object> event(Node n, long nanos) {
        TransferStatus s = n.handle().status();
        var e = new LinkedHashMap<String, Object>();
        e.put("event", "progress");
        e.put("node", n.name());
        e.put("seconds", Math.round(nanos / 1e6) / 1000.0);
        e.put("verified_bytes", s.verifiedBytes());
        e.put("total_bytes", s.totalBytes());
        e.put("downloaded", s.downloaded());
        e.put("uploaded", s.uploaded());
        e.put("peers", s.peers());
        return e;
    }

    /** Verifies each leecher's copy from disk and says where its bytes came from. */
    private boolean report(List<Node> nodes, Path torrent, double seconds) {
        boolean ok = true;
        var leecherSummaries = new ArrayList<Object>();
        long seedUploaded = nodes.get(0).handle().status().uploaded();
        for (Node n : nodes.subList(1, nodes.size())) {
            var r = runtime.verifier().verify(torrent, dir.resolve(n.name()).resolve(NAME));
            boolean good = r.badPieces().isEmpty()
                    && r.files().stream().allMatch(f -> f.status() == VerifyTorrentUseCase.FileStatus.COMPLETE);
            ok &= good;
            if (json) {
                var e = new LinkedHashMap<String, Object>();
                e.put("node", n.name());
                e.put("verified", good);
                e.put("downloaded", n.handle().status().downloaded());
                e.put("uploaded", n.handle().status().uploaded());
                leecherSummaries.add(e);
            } else {
                terminal.out().println(String.format(Locale.ROOT, "%s: %s; downloaded %s, uploaded %s to others",
                        n.name(), good ? "verified copy (" + r.pieceCount() + " pieces, every file complete)"
                                : "NOT VERIFIED", Sizes.format(n.handle().status().downloaded()),
                        Sizes.format(n.handle().status().uploaded())));
            }
        }
        if (json) {
            var e = new LinkedHashMap<String, Object>();
            e.put("event", "finished");
            e.put("complete", ok);
            e.put("seconds", Math.round(seconds * 1000) / 1000.0);
            e.put("seed_uploaded", seedUploaded);
            e.put("leechers", leecherSummaries);
            terminal.out().println(Json.write(e));
        } else {
            terminal.out().println(String.format(Locale.ROOT, "%s: %d leechers, %s each, in %s; the seed uploaded %s "
                    + "(%.2f copies), the leechers the rest to each other", ok ? "demo complete" : "demo FAILED",
                    leechers, Sizes.format(size), ConsoleProgress.duration(seconds), Sizes.format(seedUploaded),
                    seedUploaded / (double) size));
        }
        terminal.out().flush();
        return ok;
    }

    private void say(String message) {
        if (!json) {
            terminal.err().println(message);
            terminal.err().flush();
        }
    }
}
