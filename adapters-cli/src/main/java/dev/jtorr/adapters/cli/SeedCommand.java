package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.SeedTorrentCommand;
import dev.jtorr.application.port.in.SeedTorrentUseCase;
import dev.jtorr.application.port.in.TorrentHandle;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jtorr seed}: serves a torrent's original data to the swarm until stopped. */
@Command(name = "seed", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Seed the original data of torrents until stopped (Ctrl-C).",
            "PATH is the file (single-file torrent) or the folder (multi-file). Its torrent is "
                + "./torrents/<name of PATH>.torrent unless --torrent is given. The data is checked first."})
public final class SeedCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "The data: a file or a folder each; several seed "
            + "together, over one port.")
    List<Path> contents;

    @Option(names = {"-t", "--torrent"}, paramLabel = "FILE", description = "The .torrent file (with one PATH only).")
    Path torrent;

    @Option(names = "--skip-check", description = "Trust the data without hashing it first.")
    boolean skipCheck;

    @Mixin
    SwarmOptions swarm;

    private final SeedTorrentUseCase seed;
    private final ConsoleProgress progress;
    private final Terminal terminal;

    @Inject
    SeedCommand(SeedTorrentUseCase seed, ConsoleProgress progress, Terminal terminal) {
        this.seed = seed;
        this.progress = progress;
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (torrent != null && contents.size() > 1) {
            throw new InvalidCommandException("--torrent names the torrent of one PATH; with several, each is found "
                    + "as ./torrents/<name of PATH>.torrent");
        }
        var commands = new ArrayList<SeedTorrentCommand>();
        var options = swarm.toSessionOptions(false);
        for (Path content : contents) {
            Path file = torrent != null ? torrent
                    : Path.of("torrents", content.toAbsolutePath().normalize().getFileName() + ".torrent");
            if (!Files.isRegularFile(file)) {
                throw new InvalidCommandException("no torrent at " + file + (torrent == null
                        ? " (make one with: jtorr create " + content + ", or pass --torrent FILE)" : ""));
            }
            if (!swarm.json) {
                terminal.err().println((skipCheck ? "seeding " : "checking ") + content + " against " + file);
                terminal.err().flush();
            }
            commands.add(new SeedTorrentCommand(file, content, skipCheck, options));
        }
        progress.start(swarm.json);
        List<TorrentHandle> handles;
        try {
            handles = seed.startAll(commands);
        } finally {
            progress.finishLine();
        }
        List<String> names = contents.stream().map(c -> c.getFileName().toString()).toList();
        if (!swarm.json) {
            terminal.err().println("seeding " + String.join(", ", contents.stream().map(Path::toString).toList())
                    + " on port " + handles.get(0).port() + "; Ctrl-C to stop");
            terminal.err().flush();
        }
        SessionRunner.runAll(handles, names, true, terminal, progress, swarm.json);
        return handles.stream().allMatch(h -> h.failure().isEmpty()) ? 0 : 1;
    }
}
