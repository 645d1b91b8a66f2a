package dev.jtorr.application.service;

import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.VerifyTorrentUseCase;
import dev.jtorr.application.torrent.ExistingDataCheck;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.piece.FileSpan;
import dev.jtorr.domain.piece.PieceLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Hashes every piece of data on disk and turns the verdicts into a per-file report. v1, v2 and hybrid. */
public final class VerifyTorrentService implements VerifyTorrentUseCase {
    private final SwarmRuntime runtime;

    public VerifyTorrentService(SwarmRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Report verify(Path torrent, Path content) {
        Metainfo metainfo = runtime.readTorrent(torrent);
        try (TorrentStorage storage = runtime.storage().open(metainfo, content, false)) {
            PieceLayout layout = metainfo.info().pieceLayout();
            List<Integer> all = IntStream.range(0, layout.pieceCount()).boxed().toList();
            boolean[] good = new ExistingDataCheck(metainfo, storage, runtime.progress(), runtime.checkThreads())
                    .hash(all);
            boolean[] present = storage.filesPresent();
            List<FileEntry> files = metainfo.info().files();
            int[] bad = new int[files.size()];
            int[] touched = new int[files.size()];
            var badPieces = new ArrayList<Integer>();
            for (int p = 0; p < good.length; p++) {
                if (!good[p]) {
                    badPieces.add(p);
                }
                for (FileSpan s : layout.spans(p)) {
                    touched[s.fileIndex()]++;
                    if (!good[p]) {
                        bad[s.fileIndex()]++;
                    }
                }
            }
            var reports = new ArrayList<FileReport>();
            for (int i = 0; i < files.size(); i++) {
                FileEntry f = files.get(i);
                if (f.isPadding()) {
                    continue;
                }
                FileStatus status = !present[i] ? FileStatus.MISSING
                        : bad[i] > 0 ? FileStatus.DAMAGED : FileStatus.COMPLETE;
                reports.add(new FileReport(f.pathString(), f.length(), status, bad[i], touched[i]));
            }
            return new Report(layout.pieceCount(), badPieces, reports);
        }
    }
}
