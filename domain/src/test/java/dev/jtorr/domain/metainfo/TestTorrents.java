package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.piece.FileSpan;
import dev.jtorr.domain.piece.PieceHasher;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Builds real torrents from in-memory content, sequentially, for tests. */
final class TestTorrents {
    private TestTorrents() {
    }

    /** Content of the files, relative to the torrent's folder, in the order given. */
    static Map<List<String>, byte[]> content(Object... pathsAndSizes) {
        var out = new LinkedHashMap<List<String>, byte[]>();
        var random = new Random(42);
        for (int i = 0; i < pathsAndSizes.length; i += 2) {
            byte[] data = new byte[(Integer) pathsAndSizes[i + 1]];
            random.nextBytes(data);
            out.put(List.of(((String) pathsAndSizes[i]).split("/")), data);
        }
        return out;
    }

    static byte[] create(String name, Map<List<String>, byte[]> files, long pieceLength, TorrentVersion version,
                         boolean singleFile) {
        return MetainfoWriter.write(spec(name, files, pieceLength, version, singleFile));
    }

    static TorrentSpec spec(String name, Map<List<String>, byte[]> files, long pieceLength, TorrentVersion version,
                            boolean singleFile) {
        var entries = new ArrayList<FileEntry>();
        var data = new ArrayList<byte[]>();
        files.forEach((rel, bytes) -> {
            var path = new ArrayList<String>();
            if (!singleFile) {
                path.add(name);
            }
            path.addAll(rel);
            entries.add(new FileEntry(path, path, bytes.length, 0, "", Optional.empty()));
        });
        List<FileEntry> placed = FileLayout.place(entries, pieceLength, version);
        for (FileEntry f : placed) {
            data.add(f.isPadding() ? new byte[(int) f.length()] : files.get(relative(f, singleFile)));
        }
        var hashes = new TorrentHashes(placed, pieceLength, version);
        var hasher = new PieceHasher();
        for (int p = 0; p < hashes.layout().pieceCount(); p++) {
            ByteBuffer piece = ByteBuffer.allocate(hashes.layout().pieceSize(p));
            for (FileSpan s : hashes.layout().spans(p)) {
                piece.put(data.get(s.fileIndex()), (int) s.fileOffset(), s.length());
            }
            piece.flip();
            hashes.record(p, hashes.digest(p, piece, hasher));
        }
        return new TorrentSpec(name, pieceLength, version, singleFile, hashes.filesWithRoots(hasher),
                hashes.pieces(), hashes.pieceLayers(hasher), List.of(List.of("http://127.0.0.1:6969/announce")),
                List.of(), false, Optional.empty(), Optional.of("test"), Optional.of("jtorr test"),
                Optional.of(Instant.ofEpochSecond(1_700_000_000)));
    }

    private static List<String> relative(FileEntry f, boolean singleFile) {
        return singleFile ? f.torrentPath() : f.torrentPath().subList(1, f.torrentPath().size());
    }
}
