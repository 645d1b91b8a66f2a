package dev.jtorr.application.port.in;

import dev.jtorr.domain.metainfo.PieceLengths;
import dev.jtorr.domain.metainfo.TorrentVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What to make a torrent of, and how.
 *
 * @param content     a file or a folder
 * @param output      where to write the .torrent; empty for {@code <torrents folder>/<name>.torrent}
 * @param pieceLength bytes per piece (a power of two, 16 KiB to 64 MiB); empty to choose by {@link PieceLengths}
 * @param version     hybrid by default; v1 or v2 on request
 * @param trackers    announce URLs in tiers (BEP 12)
 * @param includeDate write {@code creation date}; without it the same input gives byte-identical output
 * @param overwrite   replace an existing output file
 */
public record CreateTorrentCommand(Path content, Optional<Path> output, Optional<Long> pieceLength,
                                   TorrentVersion version, List<List<String>> trackers, List<String> webSeeds,
                                   boolean isPrivate, Optional<String> comment, Optional<String> source,
                                   boolean includeDate, boolean overwrite) {
    public CreateTorrentCommand {
        trackers = trackers.stream().map(List::copyOf).filter(t -> !t.isEmpty()).toList();
        webSeeds = List.copyOf(webSeeds);
        pieceLength.ifPresent(length -> {
            if (!PieceLengths.isValid(length)) {
                throw new InvalidCommandException("piece size " + length
                        + " must be a power of two from 16 KiB to 64 MiB");
            }
        });
        for (String url : trackers.stream().flatMap(List::stream).toList()) {
            if (!url.matches("(?i)(https?|udp)://\\S+")) {
                throw new InvalidCommandException("tracker URL must start with http://, https:// or udp://: " + url);
            }
        }
        for (String url : webSeeds) {
            if (!url.matches("(?i)(https?|ftp)://\\S+")) {
                throw new InvalidCommandException("web seed URL must start with http://, https:// or ftp://: " + url);
            }
        }
    }
}
