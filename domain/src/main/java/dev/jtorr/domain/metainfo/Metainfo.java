package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.piece.Digest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed and validated .torrent file.
 *
 * @param info         the info dictionary
 * @param infoBytes    the exact bytes of the info dictionary as found in the file; the info-hashes are their hashes
 * @param infoHashes   v1 and/or v2 info-hash
 * @param trackers     announce URLs in BEP 12 tiers (a single {@code announce} becomes one tier of one)
 * @param webSeeds     BEP 19 {@code url-list}
 * @param pieceLayers  BEP 52 piece layers: a file's pieces root to its concatenated 32-byte piece hashes; holds
 *                     every file larger than one piece, each checked against its root
 * @param warnings     what was odd but accepted (bytes after the dictionary, keys out of order), for the user
 */
public record Metainfo(InfoDictionary info, byte[] infoBytes, InfoHashes infoHashes, List<List<String>> trackers,
                       List<String> webSeeds, Optional<String> comment, Optional<String> createdBy,
                       Optional<Instant> creationDate, Map<Digest, byte[]> pieceLayers, List<String> warnings) {
    public Metainfo {
        warnings = List.copyOf(warnings);
        infoBytes = infoBytes.clone();
        trackers = trackers.stream().map(List::copyOf).toList();
        webSeeds = List.copyOf(webSeeds);
        pieceLayers = Map.copyOf(pieceLayers);
    }

    @Override
    public byte[] infoBytes() {
        return infoBytes.clone();
    }

    /** Files of more than one piece whose piece layer (BEP 52) this torrent lacks. */
    public long missingPieceLayers() {
        return missingPieceLayers(info, pieceLayers);
    }

    static long missingPieceLayers(InfoDictionary info, Map<Digest, byte[]> layers) {
        return info.files().stream().filter(f -> f.length() > info.pieceLength() && f.piecesRoot().isPresent()
                && !layers.containsKey(f.piecesRoot().get())).count();
    }

    /** Length of the bencoded info dictionary. */
    public int infoLength() {
        return infoBytes.length;
    }

    /** A copy of bytes {@code from} (inclusive) to {@code to} (exclusive) of the bencoded info dictionary. */
    public byte[] infoSlice(int from, int to) {
        return Arrays.copyOfRange(infoBytes, from, to);
    }

    public MagnetLink magnetLink() {
        return new MagnetLink(infoHashes.v1(), infoHashes.v2(), Optional.of(info.name()),
                trackers.stream().flatMap(List::stream).toList(), webSeeds, List.of(), List.of());
    }
}
