package dev.jtorr.adapters.net.http;

import dev.jtorr.application.port.in.ManageTorrentsUseCase;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.FileStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/v1/torrents/{id}/files/{index}}: a torrent's file over HTTP with range requests while it downloads,
 * for a media player. The pieces under the range go first; the answer waits for verified data and never sends an
 * unverified byte. A range nobody can serve for {@link #STALL} (no peer has it) ends the answer early, so a client
 * sees a short body rather than a connection held forever.
 */
final class FileStreamRoute {
    static final Duration STALL = Duration.ofMinutes(5);
    private static final Duration WAIT = Duration.ofSeconds(1);
    private static final int BUFFER = 256 * 1024;
    private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("mp4", "video/mp4"),
            Map.entry("m4v", "video/mp4"), Map.entry("mkv", "video/x-matroska"), Map.entry("webm", "video/webm"),
            Map.entry("avi", "video/x-msvideo"), Map.entry("mov", "video/quicktime"), Map.entry("ts", "video/mp2t"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("flac", "audio/flac"), Map.entry("ogg", "audio/ogg"),
            Map.entry("opus", "audio/ogg"), Map.entry("m4a", "audio/mp4"), Map.entry("wav", "audio/wav"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("pdf", "application/pdf"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"));
    private final ManageTorrentsUseCase torrents;

    FileStreamRoute(ManageTorrentsUseCase torrents) {
        this.torrents = torrents;
    }

    void register(Router router) {
        router.add("GET", "/api/v1/torrents/{id}/files/{index}", r -> serve(r, true))
                .add("HEAD", "/api/v1/torrents/{id}/files/{index}", r -> serve(r, false));
    }

    private Response serve(Request r, boolean body) {
        int index = TorrentRoutes.number(java.util.Optional.of(r.param("index")), 0, Integer.MAX_VALUE, "file index")
                .orElseThrow();
        FileStream file = torrents.openFile(r.param("id"), index);
        long length = file.length();
        FileRanges.Result range = FileRanges.parse(r.header("range").orElse(null), length);
        if (range instanceof FileRanges.Invalid || range instanceof FileRanges.Unsatisfiable) {
            file.close();
            String contentRange = "bytes */" + length;
            return Response.text(416, range instanceof FileRanges.Invalid i ? i.reason() : "range outside the file")
                    .withHeader("Content-Range", contentRange);
        }
        long first = range instanceof FileRanges.Partial p ? p.first() : 0;
        long size = range instanceof FileRanges.Partial p ? p.size() : length;
        var headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", type(file.path()));
        headers.put("Accept-Ranges", "bytes");
        String name = file.path().substring(file.path().lastIndexOf('/') + 1);
        headers.put("Content-Disposition", "inline; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        if (range instanceof FileRanges.Partial p) {
            headers.put("Content-Range", p.contentRange());
        }
        int status = range instanceof FileRanges.Partial ? 206 : 200;
        if (!body) {
            file.close();
            return Response.stream(status, headers, size, out -> { });
        }
        return Response.stream(status, headers, size, out -> copy(file, first, size, out));
    }

    private static void copy(FileStream file, long first, long size, OutputStream out)
            throws IOException, InterruptedException {
        try (file) {
            byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, size))];
            long position = first;
            long end = first + size;
            long waited = 0;
            while (position < end) {
                int n = file.read(position, buffer, 0, (int) Math.min(buffer.length, end - position), WAIT);
                if (n < 0) {
                    return;
                }
                if (n == 0) {
                    waited += WAIT.toMillis();
                    if (waited >= STALL.toMillis()) {
                        return; // nobody has this range: a short body tells the client, a held connection would not
                    }
                    continue;
                }
                waited = 0;
                out.write(buffer, 0, n);
                out.flush(); // a player starts as soon as the first bytes arrive
                position += n;
            }
        }
    }

    static String type(String path) {
        int dot = path.lastIndexOf('.');
        String ext = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }
}
