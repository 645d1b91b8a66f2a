package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.SeedTorrentCommand;
import dev.jtorr.application.port.in.SeedTorrentUseCase;
import dev.jtorr.application.port.in.TorrentHandle;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jtorr seed}: serves a torrent's original data to the swarm until stopped. */
@Command(name = "seed", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Seed the original data of a torrent until stopped (Ctrl-C).",
            "PATH is the file (single-file torrent) or the folder (multi-file). The torrent is "
                + "./torrents/<name of PATH>.torrent unless --torrent is given. The data is checked first."})
public final class SeedCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH", description = "The data: a file or a folder.")
    Path content;

    @Option(names = {"-t", "--torrent"}, paramLabel = "FILE", description = "The .torrent file.")
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
        progress.start(swarm.json);
        TorrentHandle handle;
        try {
            handle = seed.start(new SeedTorrentCommand(file, content, skipCheck, swarm.toSessionOptions(false)));
        } finally {
            progress.finishLine();
        }
        if (!swarm.json) {
            terminal.err().println("seeding " + content + " on port " + handle.port() + "; Ctrl-C to stop");
            terminal.err().flush();
        }
        SessionRunner.run(handle, true, terminal, progress, swarm.json, content.getFileName().toString());
        return handle.failure().isEmpty() ? 0 : 1;
    }
}
