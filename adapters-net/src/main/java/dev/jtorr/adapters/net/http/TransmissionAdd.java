package dev.jtorr.adapters.net.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtorr.application.port.in.AddTorrentCommand;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ManageTorrentsUseCase;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView;
import dev.jtorr.application.port.in.TorrentExistsException;
import dev.jtorr.domain.bencode.BencodeLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Transmission's {@code torrent-add}: {@code metainfo} (a .torrent file in base64) or {@code filename} (a magnet link,
 * an http(s) URL, or the path of a .torrent file on the daemon's machine), with {@code download-dir},
 * {@code paused} and {@code files-wanted}. Answers {@code torrent-added} or {@code torrent-duplicate} with the
 * torrent's number, name and hash.
 *
 * <p>A path is read only when it names a regular file ending in {@code .torrent}, no larger than a torrent file may
 * be, and a file that is not a torrent gets the same error whatever it holds: the RPC must not become a way to read the
 * daemon's other files.
 */
final class TransmissionAdd {
    private static final String CORRUPT = "invalid or corrupt torrent file";
    private final ManageTorrentsUseCase torrents;
    private final TransmissionIds ids;
    private final TorrentFetcher fetcher;

    TransmissionAdd(ManageTorrentsUseCase torrents, TransmissionIds ids, TorrentFetcher fetcher) {
        this.torrents = torrents;
        this.ids = ids;
        this.fetcher = fetcher;
    }

    Map<String, Object> add(ObjectNode args) throws IOException, InterruptedException {
        boolean local = false;
        Optional<byte[]> torrent = Optional.empty();
        Optional<String> magnet = Optional.empty();
        if (args.hasNonNull("metainfo")) {
            try {
                torrent = Optional.of(Base64.getMimeDecoder().decode(text(args, "metainfo")));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, CORRUPT + ": metainfo is not base64");
            }
        } else if (args.hasNonNull("filename")) {
            String name = text(args, "filename").strip();
            if (name.regionMatches(true, 0, "magnet:", 0, 7)) {
                magnet = Optional.of(name);
            } else if (name.regionMatches(true, 0, "http://", 0, 7) || name.regionMatches(true, 0, "https://", 0, 8)) {
                torrent = Optional.of(fetcher.fetch(name));
            } else {
                torrent = Optional.of(readTorrentFile(name));
                local = true;
            }
        } else {
            throw new ApiException(400, "torrent-add needs filename (a magnet link, URL or .torrent path) or metainfo");
        }
        var command = new AddTorrentCommand(torrent, magnet,
                args.hasNonNull("download-dir") ? Optional.of(path(text(args, "download-dir"))) : Optional.empty(),
                TransmissionSession.bool(args, "paused").orElse(false), wanted(args), false);
        try {
            return Map.of("torrent-added", brief(torrents.add(command)));
        } catch (TorrentExistsException e) {
            return Map.of("torrent-duplicate", brief(torrents.torrent(e.id())));
        } catch (InvalidCommandException e) {
            // a file from the daemon's disk gets no detail: the parser's message may quote its bytes
            throw local ? new ApiException(400, CORRUPT) : e;
        }
    }

    private Map<String, Object> brief(TorrentView t) {
        return Map.of("id", ids.number(t.id()), "name", t.name(), "hashString", t.id());
    }

    /**
     * A .torrent file on the daemon's machine, read only from inside its download folder (links resolved first): file
     * paths in requests are confined to the folders the daemon downloads to.
     */
    private byte[] readTorrentFile(String name) throws IOException {
        Path file = path(name);
        int max = BencodeLimits.TORRENT_FILE.maxInputLength();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".torrent") || !Files.isRegularFile(file)
                || !Files.isReadable(file) || Files.size(file) > max || !insideDownloads(file)) {
            throw new ApiException(400, CORRUPT + " (filename must be a magnet link, an http or https URL, or a "
                    + "readable .torrent file in the download folder)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max || bytes.length == 0 || bytes[0] != 'd') {
                throw new ApiException(400, CORRUPT);
            }
            return bytes;
        }
    }

    private boolean insideDownloads(Path file) throws IOException {
        Path downloads = Path.of(torrents.session().downloadDir());
        return Files.isDirectory(downloads) && file.toRealPath().startsWith(downloads.toRealPath());
    }

    private static Path path(String name) {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new ApiException(400, "not a path: " + e.getReason());
        }
    }

    private static List<Integer> wanted(ObjectNode args) {
        JsonNode n = args.get("files-wanted");
        if (n == null || n.isEmpty()) {
            return List.of(); // Transmission: an empty list means every file
        }
        var out = new ArrayList<Integer>();
        for (JsonNode i : n) {
            if (!i.canConvertToInt() || !i.isIntegralNumber() || i.asInt() < 0) {
                throw new ApiException(400, "files-wanted must be a list of file numbers");
            }
            out.add(i.asInt());
        }
        return out;
    }

    static String text(ObjectNode args, String name) {
        JsonNode n = args.get(name);
        if (n == null || !n.isTextual()) {
            throw new ApiException(400, name + " must be a string");
        }
        return n.asText();
    }
}
