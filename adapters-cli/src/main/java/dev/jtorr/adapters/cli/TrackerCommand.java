package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ServeTrackerCommand;
import dev.jtorr.application.port.in.ServeTrackerUseCase;
import dev.jtorr.application.port.in.TrackerHandle;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.TrackerStatistics;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jtorr tracker}: an HTTP and UDP BitTorrent tracker, until Ctrl-C. */
@Command(name = "tracker", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run a BitTorrent tracker (HTTP and UDP) until Ctrl-C.",
            "Announce and scrape over HTTP (BEP 3, 23, 7, 48) and UDP (BEP 15), with a statistics page at "
                + "http://HOST:PORT/ (JSON at /stats.json)."})
public final class TrackerCommand implements Callable<Integer> {
    @Option(names = "--http-port", paramLabel = "N", description = "TCP port for HTTP (default: ${DEFAULT-VALUE}; 0 for any).")
    int httpPort = 6969;

    @Option(names = "--udp-port", paramLabel = "N", description = "UDP port (default: ${DEFAULT-VALUE}; 0 for any).")
    int udpPort = 6969;

    @Option(names = "--no-http", description = "Do not serve HTTP.")
    boolean noHttp;

    @Option(names = "--no-udp", description = "Do not serve UDP.")
    boolean noUdp;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Local address to serve on (default: every interface).")
    String bind = "";

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "Re-announce interval given to clients (default: ${DEFAULT-VALUE}).")
    int interval = 1800;

    @Option(names = "--max-numwant", paramLabel = "N", description = "Peers per reply at most (default: ${DEFAULT-VALUE}).")
    int maxNumWant = 200;

    @Option(names = "--allow", paramLabel = "FILE", description = "Track only the info-hashes listed in FILE (hex, "
            + "one per line; v2 hashes may be given in full or truncated to 40 characters; # starts a comment).")
    Path allow;

    @Option(names = "--json", description = "Events as JSON lines on stdout.")
    boolean json;

    private final ServeTrackerUseCase tracker;
    private final Terminal terminal;

    @Inject
    TrackerCommand(ServeTrackerUseCase tracker, Terminal terminal) {
        this.tracker = tracker;
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        var command = new ServeTrackerCommand(bind, noHttp ? -1 : httpPort, noUdp ? -1 : udpPort,
                Duration.ofSeconds(interval), maxNumWant, allow == null ? Optional.empty() : Optional.of(allowList(allow)));
        TrackerHandle handle = tracker.start(command);
        Thread hook = new Thread(handle::close, "jtorr-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String host = bind.isEmpty() ? "127.0.0.1" : bind.contains(":") ? "[" + bind + "]" : bind;
        if (json) {
            var e = new LinkedHashMap<String, Object>();
            e.put("event", "listening");
            handle.httpPort().ifPresent(p -> e.put("http_port", p));
            handle.udpPort().ifPresent(p -> e.put("udp_port", p));
            terminal.out().println(Json.write(e));
            terminal.out().flush();
        } else {
            handle.httpPort().ifPresent(p -> terminal.err().println("announce URL: http://" + host + ":" + p
                    + "/announce   (statistics: http://" + host + ":" + p + "/)"));
            handle.udpPort().ifPresent(p -> terminal.err().println("announce URL: udp://" + host + ":" + p));
            terminal.err().println("tracking " + (allow == null ? "any torrent" : "the torrents listed in " + allow)
                    + "; Ctrl-C to stop");
            terminal.err().flush();
        }
        // a line of figures every ten seconds until stopped
        while (!stoppedWithin(handle, Duration.ofSeconds(10))) {
            report(handle.statistics());
        }
        return 0;
    }

    private static boolean stoppedWithin(TrackerHandle handle, Duration d) throws InterruptedException {
        var waiter = Thread.ofVirtual().start(() -> {
            try {
                handle.awaitStopped();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return waiter.join(d);
    }

    private void report(TrackerStatistics s) {
        var t = s.totals();
        if (json) {
            var e = new LinkedHashMap<String, Object>();
            e.put("event", "stats");
            e.put("torrents", t.swarms());
            e.put("seeders", t.seeders());
            e.put("leechers", t.leechers());
            e.put("completed", t.completed());
            e.put("announces", s.announces());
            e.put("scrapes", s.scrapes());
            e.put("refused", s.refused());
            terminal.out().println(Json.write(e));
            terminal.out().flush();
        } else {
            terminal.err().println(String.format(Locale.ROOT, "%d torrents, %d seeders, %d leechers, %d completed; "
                    + "%d announces, %d scrapes, %d refused", t.swarms(), t.seeders(), t.leechers(), t.completed(),
                    s.announces(), s.scrapes(), s.refused()));
            terminal.err().flush();
        }
    }

    static Set<Digest> allowList(Path file) {
        var out = new HashSet<Digest>();
        try {
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                n++;
                String t = line.replaceAll("#.*", "").strip().toLowerCase(Locale.ROOT);
                if (t.isEmpty()) {
                    continue;
                }
                if (!t.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
                    throw new InvalidCommandException(file + " line " + n + ": not a 40 or 64 character hex "
                            + "info-hash: " + line.strip());
                }
                out.add(Digest.ofHex(t.substring(0, 40)));
            }
        } catch (IOException e) {
            throw new InvalidCommandException("cannot read the allow-list " + file + ": " + e.getMessage());
        }
        return out;
    }
}
