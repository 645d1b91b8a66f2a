package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.AddTorrentCommand;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.StartDaemonCommand;
import dev.jtorr.application.port.in.StartDaemonUseCase;
import dev.jtorr.application.port.in.TorrentExistsException;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jtorr daemon}: one engine with many torrents, driven over HTTP, until SIGTERM or SIGINT. */
@Command(name = "daemon", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run jtorr as a service until stopped (SIGTERM or Ctrl-C): many torrents in one engine, driven "
                + "by the HTTP API (/api/v1/...), the web page and Transmission's remote tools.",
            "Torrents, their settings and resume data live in the state folder and survive restarts; .torrent files "
                + "dropped into the watch folder are added (and renamed to .torrent.added)."})
public final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where torrents, settings, resume data and the "
            + "API key live (default: $XDG_STATE_HOME/jtorr, else ~/.local/state/jtorr).")
    Path stateDir;

    @Option(names = "--download-dir", paramLabel = "DIR",
            description = "Where torrents go unless a request says otherwise (default: ./downloads).")
    Path downloadDir = Path.of("downloads");

    @Option(names = "--allow-dir", paramLabel = "DIR", description = "Another folder requests may download to; "
            + "repeatable (the download folder always is one).")
    List<Path> allowDirs = new ArrayList<>();

    @Option(names = "--rpc-bind", paramLabel = "ADDR", description = "Address of the HTTP API (default: "
            + "${DEFAULT-VALUE}: this machine only; any other address needs the API key or a login).")
    String rpcBind = "127.0.0.1";

    @Option(names = "--rpc-port", paramLabel = "N", description = "Port of the HTTP API (default: ${DEFAULT-VALUE}; "
            + "0 for any).")
    int rpcPort = 9091;

    @Option(names = "--rpc-host", paramLabel = "NAME", description = "A host name clients reach the API by, besides "
            + "localhost and IP addresses (checked against DNS rebinding); repeatable.")
    List<String> rpcHosts = new ArrayList<>();

    @Option(names = "--watch", paramLabel = "DIR", description = "Add the .torrent files dropped into this folder.")
    Path watch;

    @Mixin
    SwarmOptions swarm;

    private final StartDaemonUseCase daemons;
    private final ApiServing api;
    private final Terminal terminal;

    @Inject
    DaemonCommand(StartDaemonUseCase daemons, ApiServing api, Terminal terminal) {
        this.daemons = daemons;
        this.api = api;
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        Path state = stateDir != null ? stateDir : defaultStateDir();
        var command = new StartDaemonCommand(state, downloadDir, allowDirs, swarm.toSessionOptions(false));
        StartDaemonUseCase.RunningDaemon daemon = daemons.start(command);
        ApiServing.Served served;
        try {
            served = api.serve(rpcBind, rpcPort, state, rpcHosts, daemon);
        } catch (IOException e) {
            daemon.close();
            throw new InvalidCommandException("cannot serve the API on " + rpcBind + ":" + rpcPort + ": "
                    + e.getMessage());
        }
        StopSignal stop = StopSignal.install();
        announce(state, daemon.port(), served.port());
        try {
            while (!stop.await(2000)) {
                if (watch != null) {
                    addDropped(daemon);
                }
            }
        } finally {
            served.close();
            daemon.close();
            stop.stopped();
        }
        return 0;
    }

    private void announce(Path state, int peerPort, int apiPort) {
        String host = rpcBind.contains(":") ? "[" + rpcBind + "]" : rpcBind;
        if (swarm.json) {
            var e = new LinkedHashMap<String, Object>();
            e.put("event", "listening");
            e.put("api_url", "http://" + host + ":" + apiPort + "/");
            e.put("peer_port", peerPort);
            e.put("state_dir", state.toAbsolutePath().toString());
            terminal.out().println(Json.write(e));
            terminal.out().flush();
        } else {
            terminal.err().println("jtorr daemon: web page and API at http://" + host + ":" + apiPort + "/ , peers on "
                    + "port " + peerPort + ", state in " + state.toAbsolutePath() + " (API key: "
                    + state.toAbsolutePath().resolve("api-key") + "); SIGTERM or Ctrl-C to stop");
            terminal.err().flush();
        }
    }

    /** Adds every .torrent in the watch folder, then renames it (a bad one to .torrent.invalid), as Transmission does. */
    private void addDropped(StartDaemonUseCase.RunningDaemon daemon) {
        List<Path> found;
        try (var files = Files.list(watch)) {
            found = files.filter(f -> f.getFileName().toString().endsWith(".torrent") && Files.isRegularFile(f)
                    && settled(f)).sorted().toList();
        } catch (IOException e) {
            return; // the folder may come later
        }
        for (Path f : found) {
            String suffix = ".added";
            try {
                byte[] bytes = Files.readAllBytes(f);
                daemon.add(AddTorrentCommand.ofTorrent(bytes));
            } catch (IOException e) {
                continue; // still being written: next round
            } catch (TorrentExistsException e) {
                suffix = ".added";
            } catch (RuntimeException e) {
                suffix = ".invalid";
                terminal.err().println("watch: " + f.getFileName() + ": " + e.getMessage());
                terminal.err().flush();
            }
            try {
                Files.move(f, f.resolveSibling(f.getFileName() + suffix), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                terminal.err().println("watch: cannot rename " + f + ": " + e.getMessage());
            }
        }
    }

    /** Not written to in the last second: a file still being copied in is taken next round. */
    private static boolean settled(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis() < System.currentTimeMillis() - 1000;
        } catch (IOException e) {
            return false;
        }
    }

    static Path defaultStateDir() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local",
                "state");
        return base.resolve("jtorr");
    }
}
