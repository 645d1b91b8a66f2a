package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.piece.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to write a .torrent file once the content is hashed.
 *
 * @param files       the files in stream order as {@link FileLayout#place} returns them, with v2 roots when the
 *                    version has v2; paths start with {@code name}
 * @param pieces      v1 piece hashes (20 bytes each), empty for v2-only
 * @param pieceLayers v2 piece layers by file root, for every file larger than one piece
 * @param trackers    announce URLs in tiers (BEP 12)
 */
public record TorrentSpec(String name, long pieceLength, TorrentVersion version, boolean singleFile,
                          List<FileEntry> files, byte[] pieces, Map<Digest, byte[]> pieceLayers,
                          List<List<String>> trackers, List<String> webSeeds, boolean isPrivate,
                          Optional<String> source, Optional<String> comment, Optional<String> createdBy,
                          Optional<Instant> creationDate) {
    public TorrentSpec {
        files = List.copyOf(files);
        pieces = pieces.clone();
        pieceLayers = Map.copyOf(pieceLayers);
        trackers = trackers.stream().map(List::copyOf).toList();
        webSeeds = List.copyOf(webSeeds);
    }
}
