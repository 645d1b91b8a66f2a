package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.CreateTorrentUseCase;
import dev.jtorr.domain.metainfo.TorrentVersion;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jtorr create}: makes a .torrent file (hybrid by default). */
@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Make a .torrent file from a file or a folder.",
            "Hybrid (v1 + v2, SHA-256 merkle) by default; written to ./torrents/<name>.torrent unless -o is given."})
public final class CreateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH", description = "File or folder to make a torrent of.")
    Path content;

    @ArgGroup(exclusive = true)
    VersionChoice versionChoice;

    static final class VersionChoice {
        @Option(names = "--v1", description = "v1 only (SHA-1 pieces, BEP 3).")
        boolean v1;
        @Option(names = "--v2", description = "v2 only (SHA-256 merkle trees, BEP 52).")
        boolean v2;
        @Option(names = "--hybrid", description = "v1 and v2 (the default).")
        boolean hybrid;
    }

    @Option(names = {"-t", "--tracker"}, paramLabel = "URL[,URL...]",
            description = "Announce URL; repeat for more tiers, separate URLs of one tier with commas (BEP 12).")
    List<String> trackers = new ArrayList<>();

    @Option(names = {"-w", "--web-seed"}, paramLabel = "URL", description = "Web seed URL (BEP 19); repeatable.")
    List<String> webSeeds = new ArrayList<>();

    @Option(names = {"-p", "--private"}, description = "Set the private flag (BEP 27).")
    boolean isPrivate;

    @Option(names = {"-c", "--comment"}, paramLabel = "TEXT", description = "Comment.")
    String comment;

    @Option(names = {"-s", "--source"}, paramLabel = "TEXT", description = "Source tag (changes the info-hash).")
    String source;

    @Option(names = {"-l", "--piece-size"}, paramLabel = "SIZE", converter = Sizes.Converter.class,
            description = "Piece size: a power of two from 16KiB to 64MiB (e.g. 256KiB, 4MiB). "
                    + "Default: the smallest that keeps the torrent at or under 2048 pieces, at most 16MiB.")
    Long pieceSize;

    @Option(names = "--no-date", description = "Leave out the creation date: same input, same bytes.")
    boolean noDate;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the .torrent file.")
    Path output;

    @Option(names = {"-f", "--force"}, description = "Replace the output file if it exists.")
    boolean force;

    @Option(names = "--json", description = "Progress and result as JSON lines on stdout.")
    boolean json;

    private final CreateTorrentUseCase createTorrent;
    private final ConsoleProgress progress;
    private final Terminal terminal;

    @Inject
    CreateCommand(CreateTorrentUseCase createTorrent, ConsoleProgress progress, Terminal terminal) {
        this.createTorrent = createTorrent;
        this.progress = progress;
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        TorrentVersion version = versionChoice == null || versionChoice.hybrid ? TorrentVersion.HYBRID
                : versionChoice.v1 ? TorrentVersion.V1 : TorrentVersion.V2;
        List<List<String>> tiers = trackers.stream()
                .map(t -> Arrays.stream(t.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .toList();
        var command = new CreateTorrentCommand(content, Optional.ofNullable(output), Optional.ofNullable(pieceSize),
                version, tiers, webSeeds, isPrivate, Optional.ofNullable(comment), Optional.ofNullable(source),
                !noDate, force);
        progress.start(json);
        CreateTorrentUseCase.CreatedTorrent created;
        try {
            created = createTorrent.create(command);
        } finally {
            progress.finishLine();
        }
        var m = created.metainfo();
        if (json) {
            Map<String, Object> event = new java.util.LinkedHashMap<>();
            event.put("event", "created");
            event.put("file", created.file().toString());
            event.putAll(TorrentDescription.json(m));
            terminal.out().println(Json.write(event));
        } else {
            terminal.out().println("created " + created.file() + " (" + version.name().toLowerCase(java.util.Locale.ROOT)
                    + ", " + m.info().pieceCount() + (m.info().pieceCount() == 1 ? " piece of " : " pieces of ")
                    + Sizes.format(m.info().pieceLength()) + ")");
            m.infoHashes().v1().ifPresent(h -> terminal.out().println("info-hash v1: " + h.hex()));
            m.infoHashes().v2().ifPresent(h -> terminal.out().println("info-hash v2: " + h.hex()));
            terminal.out().println("magnet: " + m.magnetLink().format());
        }
        terminal.out().flush();
        return 0;
    }
}
