package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.VerifyTorrentUseCase;
import dev.jtorr.application.port.in.VerifyTorrentUseCase.FileReport;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jtorr verify}: checks data on disk against a torrent, piece by piece. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Check data against a torrent, piece by piece.",
            "Reports which files are complete, damaged or missing. Exit status 0 only when every piece verifies."})
public final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TORRENT", description = "The .torrent file.")
    Path torrent;

    @Parameters(index = "1", paramLabel = "PATH", description = "The data: a file or a folder.")
    Path content;

    @Option(names = "--json", description = "The report as one JSON object on stdout.")
    boolean json;

    private final VerifyTorrentUseCase verify;
    private final ConsoleProgress progress;
    private final Terminal terminal;

    @Inject
    VerifyCommand(VerifyTorrentUseCase verify, ConsoleProgress progress, Terminal terminal) {
        this.verify = verify;
        this.progress = progress;
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        progress.start(json);
        VerifyTorrentUseCase.Report report;
        try {
            report = verify.verify(torrent, content);
        } finally {
            progress.finishLine();
        }
        int good = report.pieceCount() - report.badPieces().size();
        if (json) {
            var files = new ArrayList<Object>();
            for (FileReport f : report.files()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", f.path());
                m.put("length", f.length());
                m.put("status", f.status().name().toLowerCase(Locale.ROOT));
                m.put("bad_pieces", f.badPieces());
                m.put("pieces", f.pieces());
                files.add(m);
            }
            var event = new LinkedHashMap<String, Object>();
            event.put("event", "verified");
            event.put("complete", report.complete());
            event.put("pieces", report.pieceCount());
            event.put("good_pieces", good);
            event.put("bad_pieces", report.badPieces());
            event.put("files", files);
            terminal.out().println(Json.write(event));
        } else {
            for (FileReport f : report.files()) {
                String detail = switch (f.status()) {
                    case COMPLETE -> "";
                    case MISSING -> "";
                    case DAMAGED -> "  (" + f.badPieces() + " of " + f.pieces() + " pieces bad)";
                };
                terminal.out().println(String.format(Locale.ROOT, "%-9s %s%s",
                        f.status().name().toLowerCase(Locale.ROOT), f.path(), detail));
            }
            terminal.out().println(good + " of " + report.pieceCount() + " pieces verified: "
                    + (report.complete() ? "complete" : "incomplete"));
        }
        terminal.out().flush();
        return report.complete() ? 0 : 1;
    }
}
