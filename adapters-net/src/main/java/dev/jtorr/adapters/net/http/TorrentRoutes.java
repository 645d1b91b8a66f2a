package dev.jtorr.adapters.net.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtorr.application.port.in.AddTorrentCommand;
import dev.jtorr.application.port.in.ManageTorrentsUseCase;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentChanges;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView;
import dev.jtorr.domain.metainfo.FilePriority;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /api/v1/torrents}: list (fields, filter, sort, page), add, show, change, pause, resume, recheck, remove. */
final class TorrentRoutes {
    static final int MAX_PAGE = 10_000;
    private static final Set<String> ADD_FIELDS = Set.of("magnet", "url", "metainfo", "download_dir", "paused",
            "wanted_files", "sequential");
    private static final Set<String> CHANGE_FIELDS = Set.of("download_limit", "upload_limit", "wanted_files",
            "sequential", "priorities");
    private final ManageTorrentsUseCase torrents;
    private final TorrentFetcher fetcher;

    TorrentRoutes(ManageTorrentsUseCase torrents, TorrentFetcher fetcher) {
        this.torrents = torrents;
        this.fetcher = fetcher;
    }

    void register(Router router) {
        router.add("GET", "/api/v1/torrents", this::list)
                .add("POST", "/api/v1/torrents", this::add)
                .add("GET", "/api/v1/torrents/{id}", r -> one(torrents.torrent(r.param("id"))))
                .add("PATCH", "/api/v1/torrents/{id}", this::change)
                .add("DELETE", "/api/v1/torrents/{id}", this::remove)
                .add("POST", "/api/v1/torrents/{id}/pause", r -> {
                    torrents.pause(r.param("id"));
                    return one(torrents.torrent(r.param("id")));
                })
                .add("POST", "/api/v1/torrents/{id}/resume", r -> {
                    torrents.resume(r.param("id"));
                    return one(torrents.torrent(r.param("id")));
                })
                .add("POST", "/api/v1/torrents/{id}/recheck", r -> {
                    torrents.recheck(r.param("id"));
                    return one(torrents.torrent(r.param("id")));
                })
                .add("GET", "/api/v1/torrents/{id}/files", r -> Response.json(200, ApiJson.write(Map.of("files",
                        torrents.files(r.param("id")).stream().map(ApiJson::file).toList()))))
                .add("GET", "/api/v1/torrents/{id}/peers", r -> Response.json(200, ApiJson.write(Map.of("peers",
                        torrents.peers(r.param("id")).stream().map(ApiJson::peer).toList()))))
                .add("GET", "/api/v1/torrents/{id}/trackers", r -> Response.json(200, ApiJson.write(Map.of(
                        "trackers", torrents.trackers(r.param("id")).stream().map(ApiJson::tracker).toList()))));
    }

    private static Response one(TorrentView t) {
        return Response.json(200, ApiJson.write(ApiJson.torrent(t, Set.of())));
    }

    private Response list(Request r) {
        Set<String> fields = fields(r.query("fields"));
        List<TorrentView> all = new ArrayList<>(torrents.torrents());
        r.query("state").ifPresent(s -> {
            Set<String> states = Set.of(s.split(","));
            all.removeIf(t -> !states.contains(t.state()));
        });
        r.query("q").map(q -> q.toLowerCase(Locale.ROOT)).ifPresent(q ->
                all.removeIf(t -> !t.name().toLowerCase(Locale.ROOT).contains(q)));
        r.query("sort").ifPresent(s -> all.sort(order(s)));
        int offset = number(r.query("offset"), 0, Integer.MAX_VALUE, "offset").orElse(0);
        int limit = number(r.query("limit"), 1, MAX_PAGE, "limit").orElse(MAX_PAGE);
        List<TorrentView> page = offset >= all.size() ? List.of()
                : all.subList(offset, Math.min(all.size(), offset + limit));
        return Response.json(200, ApiJson.write(Map.of("total", all.size(), "offset", offset,
                "torrents", page.stream().map(t -> ApiJson.torrent(t, fields)).toList())));
    }

    private static Set<String> fields(Optional<String> param) {
        if (param.isEmpty() || param.get().isBlank()) {
            return Set.of();
        }
        Set<String> wanted = new LinkedHashSet<>(Arrays.asList(param.get().split(",")));
        Set<String> unknown = new LinkedHashSet<>(wanted);
        unknown.removeAll(ApiJson.torrentFields());
        if (!unknown.isEmpty()) {
            throw new ApiException(400, "unknown fields " + unknown + "; a torrent has " + ApiJson.torrentFields());
        }
        return wanted;
    }

    private static Comparator<TorrentView> order(String sort) {
        boolean descending = sort.startsWith("-");
        String key = descending ? sort.substring(1) : sort;
        Comparator<TorrentView> c = switch (key) {
            case "name" -> Comparator.comparing(TorrentView::name, String.CASE_INSENSITIVE_ORDER);
            case "progress" -> Comparator.comparingDouble(TorrentView::progress);
            case "added_at" -> Comparator.comparingLong(TorrentView::addedAt);
            case "size_bytes" -> Comparator.comparingLong(TorrentView::sizeBytes);
            case "download_rate" -> Comparator.comparingLong(TorrentView::downloadRate);
            case "upload_rate" -> Comparator.comparingLong(TorrentView::uploadRate);
            case "state" -> Comparator.comparing(TorrentView::state);
            default -> throw new ApiException(400, "cannot sort by " + key + " (name, progress, added_at, size_bytes, "
                    + "download_rate, upload_rate, state; '-' first for descending)");
        };
        c = c.thenComparing(TorrentView::id);
        return descending ? c.reversed() : c;
    }

    static Optional<Integer> number(Optional<String> value, int min, int max, String what) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(value.get());
            if (n < min || n > max) {
                throw new ApiException(400, what + " must be from " + min + " to " + max);
            }
            return Optional.of(n);
        } catch (NumberFormatException e) {
            throw new ApiException(400, what + " is not a number: " + value.get());
        }
    }

    private Response add(Request r) throws Exception {
        String type = r.header("content-type").orElse("application/json");
        AddTorrentCommand command;
        Optional<String> boundary = Multipart.boundary(type);
        if (boundary.isPresent()) {
            command = fromForm(Multipart.parse(r.body(ApiConfig.MAX_BODY), boundary.get()));
        } else if (type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            command = fromJson(ApiJson.object(r.body(ApiConfig.MAX_BODY)));
        } else {
            throw new ApiException(415, "send JSON or a multipart form, not " + type);
        }
        TorrentView added = torrents.add(command);
        return Response.json(201, ApiJson.write(ApiJson.torrent(added, Set.of())))
                .withHeader("Location", "/api/v1/torrents/" + added.id());
    }

    private AddTorrentCommand fromJson(ObjectNode body) throws Exception {
        known(body, ADD_FIELDS);
        int sources = (body.has("magnet") ? 1 : 0) + (body.has("url") ? 1 : 0) + (body.has("metainfo") ? 1 : 0);
        if (sources != 1) {
            throw new ApiException(400, "give exactly one of magnet, url (http, https or magnet) or metainfo (the "
                    + ".torrent file in base64)");
        }
        Optional<byte[]> torrent = Optional.empty();
        Optional<String> magnet = Optional.empty();
        if (body.has("magnet")) {
            magnet = Optional.of(text(body, "magnet"));
        } else if (body.has("metainfo")) {
            try {
                torrent = Optional.of(Base64.getMimeDecoder().decode(text(body, "metainfo")));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "metainfo is not base64: " + e.getMessage());
            }
        } else {
            String url = text(body, "url");
            if (url.startsWith("magnet:")) {
                magnet = Optional.of(url);
            } else {
                torrent = Optional.of(fetcher.fetch(url));
            }
        }
        return new AddTorrentCommand(torrent, magnet,
                body.has("download_dir") ? Optional.of(folder(text(body, "download_dir"))) : Optional.empty(),
                bool(body, "paused"), files(body), bool(body, "sequential"));
    }

    private static AddTorrentCommand fromForm(List<Multipart.Part> parts) {
        Optional<byte[]> torrent = Optional.empty();
        Optional<String> magnet = Optional.empty();
        Optional<Path> dir = Optional.empty();
        boolean paused = false;
        boolean sequential = false;
        for (Multipart.Part p : parts) {
            switch (p.name()) {
                case "torrent" -> torrent = Optional.of(p.bytes());
                case "magnet" -> magnet = p.text().isBlank() ? magnet : Optional.of(p.text().strip());
                case "download_dir" -> dir = p.text().isBlank() ? dir : Optional.of(folder(p.text().strip()));
                case "paused" -> paused = truthy(p.text());
                case "sequential" -> sequential = truthy(p.text());
                default -> throw new ApiException(400, "unknown form field " + p.name()
                        + " (torrent, magnet, download_dir, paused, sequential)");
            }
        }
        return new AddTorrentCommand(torrent, magnet, dir, paused, List.of(), sequential);
    }

    /** A folder named in a request; one the file system cannot name (a NUL in it) is the client's error. */
    private static Path folder(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ApiException(400, "download_dir is not a folder name: " + e.getReason());
        }
    }

    private static boolean truthy(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return v.equals("true") || v.equals("1") || v.equals("on");
    }

    private Response change(Request r) throws Exception {
        ObjectNode body = ApiJson.object(r.body(ApiConfig.MAX_JSON));
        known(body, CHANGE_FIELDS);
        var changes = new TorrentChanges(optionalLong(body, "download_limit"), optionalLong(body, "upload_limit"),
                body.has("wanted_files") ? Optional.of(files(body)) : Optional.empty(),
                body.has("sequential") ? Optional.of(bool(body, "sequential")) : Optional.empty(),
                priorities(body));
        return one(torrents.change(r.param("id"), changes));
    }

    /** {@code "priorities": {"0": "high", "3": "low"}}: file indices as keys, low, normal or high as values. */
    private static Map<Integer, FilePriority> priorities(ObjectNode body) {
        JsonNode n = body.get("priorities");
        if (n == null) {
            return Map.of();
        }
        if (!n.isObject() || n.size() > 1_000_000) {
            throw new ApiException(400, "priorities must be an object of file index to low, normal or high");
        }
        var out = new java.util.HashMap<Integer, FilePriority>();
        var fields = n.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            int index;
            try {
                index = Integer.parseInt(e.getKey());
            } catch (NumberFormatException x) {
                throw new ApiException(400, "priorities: " + e.getKey() + " is not a file index");
            }
            String level = e.getValue().isTextual() ? e.getValue().asText().toUpperCase(Locale.ROOT) : "";
            try {
                out.put(index, FilePriority.valueOf(level));
            } catch (IllegalArgumentException x) {
                throw new ApiException(400, "priorities: a file's priority is low, normal or high, not "
                        + e.getValue());
            }
        }
        return out;
    }

    private Response remove(Request r) {
        boolean deleteData = r.query("delete_data").map(TorrentRoutes::truthy).orElse(false);
        torrents.remove(r.param("id"), deleteData);
        return Response.empty(204);
    }

    static void known(ObjectNode body, Set<String> fields) {
        body.fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) {
                throw new ApiException(400, "unknown field " + f + " (known: " + new java.util.TreeSet<>(fields) + ")");
            }
        });
    }

    static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual()) {
            throw new ApiException(400, field + " must be a string");
        }
        return n.asText();
    }

    static boolean bool(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new ApiException(400, field + " must be true or false");
        }
        return n.asBoolean();
    }

    static Optional<Long> optionalLong(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new ApiException(400, field + " must be a whole number of bytes per second, 0 for unlimited");
        }
        return Optional.of(n.asLong());
    }

    private static List<Integer> files(ObjectNode body) {
        JsonNode n = body.get("wanted_files");
        if (n == null) {
            return List.of();
        }
        if (!n.isArray() || n.size() > 1_000_000) {
            throw new ApiException(400, "wanted_files must be a list of file indices");
        }
        var out = new ArrayList<Integer>();
        for (JsonNode i : n) {
            if (!i.isInt()) {
                throw new ApiException(400, "wanted_files must be a list of file indices");
            }
            out.add(i.asInt());
        }
        return out;
    }
}
