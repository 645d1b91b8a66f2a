package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.InspectTorrentCommand;
import dev.jtorr.application.port.in.InspectTorrentUseCase;
import dev.jtorr.application.port.in.InspectTorrentUseCase.Magnet;
import dev.jtorr.application.port.in.InspectTorrentUseCase.TorrentFile;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jtorr info}: describes a .torrent file or a magnet link. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show what a .torrent file or a magnet link holds: name, size, pieces, files, info-hashes, "
                + "trackers, web seeds, magnet link.")
public final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TORRENT|MAGNET", description = "A .torrent file or a magnet:? link.")
    String target;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    private final InspectTorrentUseCase inspect;
    private final Terminal terminal;

    @Inject
    InfoCommand(InspectTorrentUseCase inspect, Terminal terminal) {
        this.inspect = inspect;
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        var out = terminal.out();
        switch (inspect.inspect(new InspectTorrentCommand(target))) {
            case TorrentFile t -> {
                if (json) {
                    out.println(Json.write(TorrentDescription.json(t.metainfo())));
                } else {
                    TorrentDescription.print(t.metainfo(), out);
                }
            }
            case Magnet m -> {
                if (json) {
                    out.println(Json.write(TorrentDescription.json(m.link())));
                } else {
                    TorrentDescription.print(m.link(), out);
                }
            }
        }
        out.flush();
        return 0;
    }
}
