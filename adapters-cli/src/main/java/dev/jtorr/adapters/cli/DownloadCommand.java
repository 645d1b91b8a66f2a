package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.DownloadTorrentCommand;
import dev.jtorr.application.port.in.DownloadTorrentUseCase;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ResolveMagnetCommand;
import dev.jtorr.application.port.in.ResolveMagnetUseCase;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.domain.metainfo.FileSelection;
import dev.jtorr.domain.metainfo.MagnetLink;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jtorr download}: fetches a torrent from its peers, every piece verified before it is written. */
@Command(name = "download", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Download torrents from their peers in parallel.",
            "Every piece is verified before it is written; existing data in the output folder is checked and kept, "
                + "so an interrupted download resumes. Exit status 0 only when every byte is verified."})
public final class DownloadCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "TORRENT", description = "The .torrent files or magnet links (quote "
            + "them): several download together, over one port. A magnet link's metadata comes from its x.pe peers, "
            + "its tr trackers, --peer and the DHT, and is saved as torrents/NAME.torrent, which a later run uses again.")
    List<String> torrents;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder to download into (default: "
            + "${DEFAULT-VALUE}).")
    Path output = Path.of("downloads");

    @Option(names = "--seed", negatable = true, description = "Keep seeding once complete (default: stop).")
    boolean seed;

    @Option(names = "--sequential", description = "Download pieces in order (for streaming).")
    boolean sequential;

    @Option(names = "--select", paramLabel = "SPEC", description = "Download only these files, numbered as jtorr info "
            + "lists them: e.g. 1,3-5. Other files are not created; the bytes of pieces they share with selected files "
            + "are kept in DIR/.jtorr/. Overrides a magnet link's so=.")
    String select;

    /** Read by the composition root, which makes the storage adapter before the command line is parsed. */
    public static final String NO_DIRECT_IO = "--no-direct-io";

    @Option(names = NO_DIRECT_IO, description = "Write pieces through the page cache only (default: long aligned "
            + "stretches with direct I/O, past the page cache, where the file system allows it; on a rotating disk "
            + "the page cache may write faster).")
    boolean noDirectIo;

    @Mixin
    SwarmOptions swarm;

    /** Where resolved magnet links are kept as .torrent files (relative to the working folder). */
    static final Path TORRENTS = Path.of("torrents");

    private final DownloadTorrentUseCase download;
    private final ResolveMagnetUseCase magnets;
    private final ConsoleProgress progress;
    private final Terminal terminal;

    @Inject
    DownloadCommand(DownloadTorrentUseCase download, ResolveMagnetUseCase magnets, ConsoleProgress progress,
                    Terminal terminal) {
        this.download = download;
        this.magnets = magnets;
        this.progress = progress;
        this.terminal = terminal;
    }

    private List<Integer> parseSelect() {
        try {
            return FileSelection.parse(select);
        } catch (IllegalArgumentException e) {
            throw new InvalidCommandException("--select: " + e.getMessage());
        }
    }

    /** Resolves a magnet link (waiting for its metadata) into a download of the saved torrent, with its peers. */
    private DownloadTorrentCommand fromMagnet(String link, SessionOptions options, List<Integer> files)
            throws InterruptedException {
        var resolved = magnets.resolve(new ResolveMagnetCommand(link, TORRENTS, options));
        progress.finishLine();
        if (!swarm.json) {
            terminal.err().println((resolved.fetched() ? "metadata fetched: saved " : "using ") + resolved.torrent());
            terminal.err().flush();
        }
        var peers = new ArrayList<>(options.peers());
        resolved.peers().stream().filter(p -> !peers.contains(p)).forEach(peers::add);
        var withPeers = options.withPeers(peers);
        // --select, when given, decides; otherwise the link's so= (BEP 53)
        return new DownloadTorrentCommand(resolved.torrent(), output, seed, withPeers,
                files.isEmpty() ? resolved.select() : files);
    }

    @Override
    public Integer call() throws InterruptedException {
        progress.start(swarm.json);
        var options = swarm.toSessionOptions(sequential);
        List<Integer> files = select == null ? List.of() : parseSelect();
        if (!files.isEmpty() && torrents.size() > 1) {
            throw new InvalidCommandException("--select numbers the files of one torrent: give one TORRENT with it");
        }
        var commands = new ArrayList<DownloadTorrentCommand>();
        List<TorrentHandle> handles;
        try {
            for (String t : torrents) {
                commands.add(MagnetLink.looksLikeMagnet(t) ? fromMagnet(t, options, files)
                        : new DownloadTorrentCommand(Path.of(t), output, seed, options, files));
            }
            handles = download.startAll(commands);
        } finally {
            progress.finishLine();
        }
        List<String> names = commands.stream()
                .map(c -> c.torrent().getFileName().toString().replaceFirst("\\.torrent$", "")).toList();
        if (!swarm.json) {
            terminal.err().println("downloading " + String.join(", ", names) + " into " + output
                    + "; listening on port " + handles.get(0).port()
                    + (swarm.peers.isEmpty() ? "" : "; peers: " + String.join(", ", swarm.peers)));
            terminal.err().flush();
        }
        return SessionRunner.runAll(handles, names, seed, terminal, progress, swarm.json) ? 0 : 1;
    }
}
