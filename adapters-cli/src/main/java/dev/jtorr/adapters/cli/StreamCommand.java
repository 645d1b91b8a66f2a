package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.AddTorrentCommand;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.FileView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentChanges;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView;
import dev.jtorr.application.port.in.StartDaemonCommand;
import dev.jtorr.application.port.in.StartDaemonUseCase;
import dev.jtorr.application.port.in.TorrentExistsException;
import dev.jtorr.domain.metainfo.MagnetLink;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jtorr stream}: downloads a torrent in order and serves one of its files over HTTP to a media player. */
@Command(name = "stream", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Stream a file of a torrent to a media player while it downloads: prints a URL to give the "
                + "player (mpv, VLC), then serves it with range requests until stopped (Ctrl-C).",
            "The pieces under what the player reads go first; nothing unverified is ever sent. The data stays in the "
                + "download folder, and a later run resumes it."})
public final class StreamCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TORRENT|MAGNET", description = "A .torrent file or a magnet link.")
    String source;

    @Option(names = "--file", paramLabel = "N", description = "The file to stream, numbered as `jtorr info` lists "
            + "them (default: the largest).")
    Integer fileNumber;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Download folder (default: ./downloads).")
    Path downloadDir = Path.of("downloads");

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the torrent and its resume data are kept "
            + "(default: $XDG_STATE_HOME/jtorr/stream, else ~/.local/state/jtorr/stream).")
    Path stateDir;

    @Option(names = "--http-port", paramLabel = "N", description = "Port to serve on, on 127.0.0.1 (default: "
            + "${DEFAULT-VALUE}; 0 for any).")
    int httpPort = 9093;

    @Mixin
    SwarmOptions swarm;

    private final StartDaemonUseCase daemons;
    private final ApiServing api;
    private final Terminal terminal;

    @Inject
    StreamCommand(StartDaemonUseCase daemons, ApiServing api, Terminal terminal) {
        this.daemons = daemons;
        this.api = api;
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        AddTorrentCommand add = addCommand();
        Path state = stateDir != null ? stateDir : DaemonCommand.defaultStateDir().resolve("stream");
        var daemon = daemons.start(new StartDaemonCommand(state, downloadDir, List.of(),
                swarm.toSessionOptions(true)));
        StopSignal stop = StopSignal.install();
        ApiServing.Served served = null;
        try {
            String id;
            try {
                id = daemon.add(add).id();
            } catch (TorrentExistsException e) {
                id = e.id();
                daemon.resume(id);
            }
            List<FileView> files = awaitFiles(daemon, id, stop);
            if (files.isEmpty()) {
                return 1;
            }
            FileView file = pick(files);
            if (!file.wanted()) {
                var wanted = new ArrayList<>(files.stream().filter(FileView::wanted).map(FileView::index).toList());
                wanted.add(file.index());
                daemon.change(id, new TorrentChanges(Optional.empty(), Optional.empty(), Optional.of(wanted),
                        Optional.of(true)));
            }
            served = api.serve("127.0.0.1", httpPort, state, List.of(), daemon);
            String url = "http://127.0.0.1:" + served.port() + "/api/v1/torrents/" + id + "/files/" + file.index();
            if (swarm.json) {
                var e = new LinkedHashMap<String, Object>();
                e.put("event", "streaming");
                e.put("url", url);
                e.put("file", file.path());
                e.put("length", file.length());
                terminal.out().println(Json.write(e));
            } else {
                terminal.out().println(url);
                terminal.err().println("streaming " + file.path() + " (" + Sizes.format(file.length()) + "): give "
                        + "the URL above to a player, e.g. mpv " + url + " ; Ctrl-C to stop");
            }
            terminal.out().flush();
            terminal.err().flush();
            while (!stop.await(1000)) {
                report(daemon.torrent(id));
            }
            return 0;
        } finally {
            if (served != null) {
                served.close();
            }
            daemon.close();
            stop.stopped();
        }
    }

    private AddTorrentCommand addCommand() throws IOException {
        AddTorrentCommand add;
        if (MagnetLink.looksLikeMagnet(source)) {
            add = AddTorrentCommand.ofMagnet(source);
        } else {
            Path file = Path.of(source);
            if (!Files.isRegularFile(file)) {
                throw new InvalidCommandException("no torrent at " + source);
            }
            add = AddTorrentCommand.ofTorrent(Files.readAllBytes(file));
        }
        return new AddTorrentCommand(add.torrent(), add.magnet(), Optional.of(downloadDir.toAbsolutePath()), false,
                List.of(), true);
    }

    /** The torrent's files once its metadata is there; empty when stopped first. */
    private List<FileView> awaitFiles(StartDaemonUseCase.RunningDaemon daemon, String id, StopSignal stop)
            throws InterruptedException {
        List<FileView> files = daemon.files(id);
        boolean told = false;
        while (files.isEmpty()) {
            if (!told && !swarm.json) {
                terminal.err().println("fetching the torrent's metadata from peers...");
                terminal.err().flush();
                told = true;
            }
            if (stop.await(200)) {
                return List.of();
            }
            files = daemon.files(id);
        }
        return files;
    }

    private FileView pick(List<FileView> files) {
        if (fileNumber == null) {
            return files.stream().max(Comparator.comparingLong(FileView::length)).orElseThrow();
        }
        if (fileNumber < 1 || fileNumber > files.size()) {
            throw new InvalidCommandException("--file " + fileNumber + ": the torrent's files are numbered 1 to "
                    + files.size() + " (see jtorr info)");
        }
        return files.get(fileNumber - 1);
    }

    private void report(TorrentView t) {
        if (swarm.json) {
            var e = new LinkedHashMap<String, Object>();
            e.put("event", "progress");
            e.put("state", t.state());
            e.put("verified_bytes", t.verifiedBytes());
            e.put("size_bytes", t.sizeBytes());
            e.put("download_rate", t.downloadRate());
            e.put("peers", t.peers());
            terminal.out().println(Json.write(e));
            terminal.out().flush();
        } else if (terminal.interactive()) {
            terminal.err().print(String.format(Locale.ROOT, "\r%-11s %5.1f%%  %s of %s  down %s/s  peers %d   ",
                    t.state(), t.progress() * 100, Sizes.format(t.verifiedBytes()), Sizes.format(t.sizeBytes()),
                    Sizes.format(t.downloadRate()), t.peers()));
            terminal.err().flush();
        }
    }
}
