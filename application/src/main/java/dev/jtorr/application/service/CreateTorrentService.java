package dev.jtorr.application.service;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.CreateTorrentUseCase;
import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.port.out.ContentFile;
import dev.jtorr.application.port.out.ContentReader;
import dev.jtorr.application.port.out.MetainfoStore;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.FileLayout;
import dev.jtorr.domain.metainfo.FileNames;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.metainfo.MetainfoWriter;
import dev.jtorr.domain.metainfo.PieceLengths;
import dev.jtorr.domain.metainfo.TorrentHashes;
import dev.jtorr.domain.metainfo.TorrentSpec;
import dev.jtorr.domain.piece.PieceHasher;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Creates torrents: lists the content, places the files (with pad files for v2 and hybrid), hashes every piece on
 * {@code threads} workers through {@link ParallelPieceHashing}, then writes and re-reads the result so that what
 * is returned is exactly what a client will parse.
 */
public final class CreateTorrentService implements CreateTorrentUseCase {
    /** Progress is reported at most this often. */
    static final long PROGRESS_INTERVAL_NANOS = 200_000_000L;

    private final ContentReader reader;
    private final MetainfoStore store;
    private final TimeSource time;
    private final ProgressListener progress;
    private final Path torrentsFolder;
    private final int threads;
    private final String createdBy;

    public CreateTorrentService(ContentReader reader, MetainfoStore store, TimeSource time, ProgressListener progress,
                                Path torrentsFolder, int threads, String createdBy) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.reader = reader;
        this.store = store;
        this.time = time;
        this.progress = progress;
        this.torrentsFolder = torrentsFolder;
        this.threads = threads;
        this.createdBy = createdBy;
    }

    @Override
    public CreatedTorrent create(CreateTorrentCommand command) {
        List<ContentFile> listed = reader.list(command.content());
        boolean singleFile = listed.size() == 1 && listed.get(0).relativePath().size() == 1;
        String torrentName = listed.get(0).relativePath().get(0);
        var entries = new ArrayList<FileEntry>(listed.size());
        long total = 0;
        for (ContentFile f : listed) {
            entries.add(new FileEntry(FileNames.pathOf(f.relativePath()), f.relativePath(), f.length(), 0,
                    f.executable() ? "x" : "", Optional.empty()));
            total += f.length();
        }
        Path target = command.output()
                .orElse(torrentsFolder.resolve(FileNames.pathOf(List.of(torrentName)).get(0) + ".torrent"));
        if (!command.overwrite() && store.exists(target)) {
            throw new ContentException(target + " already exists; refusing to replace it");
        }
        long pieceLength = command.pieceLength().orElse(PieceLengths.forTotal(total));
        List<FileEntry> placed = FileLayout.place(entries, pieceLength, command.version());
        var hashes = new TorrentHashes(placed, pieceLength, command.version());

        try (ContentReader.Source source = reader.open(command.content(), listed)) {
            new ParallelPieceHashing(hashes, placed, source, threads, time, progress, PROGRESS_INTERVAL_NANOS).run();
        }

        var hasher = new PieceHasher();
        var spec = new TorrentSpec(torrentName, pieceLength, command.version(), singleFile,
                hashes.filesWithRoots(hasher), hashes.pieces(), hashes.pieceLayers(hasher), command.trackers(),
                command.webSeeds(), command.isPrivate(), command.source(), command.comment(),
                Optional.of(createdBy),
                command.includeDate() ? Optional.of(time.now().truncatedTo(ChronoUnit.SECONDS)) : Optional.empty());
        byte[] bytes = MetainfoWriter.write(spec);
        Metainfo metainfo = MetainfoParser.parse(bytes);
        store.write(target, bytes, command.overwrite());
        return new CreatedTorrent(target, metainfo);
    }
}
