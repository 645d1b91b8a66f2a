package dev.jtorr.adapters.net.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ManageTorrentsUseCase;
import dev.jtorr.application.port.in.UnknownTorrentException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transmission's RPC at {@code /transmission/rpc} (and with a trailing slash, as transmission-remote posts), the
 * subset that transmission-remote and the common remote apps use: session-get, -set and -stats; torrent-get, -add,
 * -set, -start, -start-now, -stop, -verify and -remove. Each request is one JSON object {@code {"method",
 * "arguments", "tag"}}, each answer {@code {"result": "success" or what went wrong, "arguments", "tag"}}, always with
 * HTTP 200 once past the session check.
 *
 * <p>The session check is Transmission's defence against cross-site requests: a request without this run's
 * {@code X-Transmission-Session-Id} gets 409 with the id in that header, and the client repeats it with the id. The
 * {@link RequestGuard} has checked the Host, Origin and credentials before. Thread-safe.
 */
final class TransmissionRpc {
    static final String SESSION_HEADER = "X-Transmission-Session-Id";
    static final String NOT_RECOGNIZED = "method name not recognized";
    private static final Logger LOG = LoggerFactory.getLogger(TransmissionRpc.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String sessionId;
    private final TransmissionSession session;
    private final TransmissionTorrents torrentMethods;
    private final TransmissionAdd add;
    private final ManageTorrentsUseCase torrents;

    TransmissionRpc(ManageTorrentsUseCase torrents, Clock clock, TorrentFetcher fetcher) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.sessionId = HexFormat.of().formatHex(random);
        this.torrents = torrents;
        var ids = new TransmissionIds(clock);
        var limits = new TransmissionLimits();
        this.session = new TransmissionSession(torrents, limits, sessionId, clock);
        this.torrentMethods = new TransmissionTorrents(torrents, ids, limits);
        this.add = new TransmissionAdd(torrents, ids, fetcher);
    }

    void register(Router router) {
        router.add("POST", "/transmission/rpc", this::handle);
    }

    /**
     * {@code response} with a challenge for HTTP basic authentication when it refuses an RPC request for want of
     * credentials: transmission-remote's HTTP library sends {@code --auth} only to a server that names a scheme.
     */
    static Response challenge(Request request, Response response) {
        return response.status() == 401 && request.path().startsWith("/transmission/")
                ? response.withHeader("WWW-Authenticate", "Basic realm=\"jtorr\"") : response;
    }

    String sessionId() {
        return sessionId;
    }

    private Response handle(Request r) throws IOException, InterruptedException {
        if (!r.header(SESSION_HEADER).map(sessionId::equals).orElse(false)) {
            return Response.text(409, "409: Conflict\n\nYour request had an invalid session id: repeat it with the "
                    + SESSION_HEADER + " header of this answer.\n").withHeader(SESSION_HEADER, sessionId);
        }
        return Response.json(200, ApiJson.write(answer(r.body(ApiConfig.MAX_BODY))));
    }

    /** The answer to one request body. */
    Map<String, Object> answer(byte[] body) throws IOException, InterruptedException {
        var out = new LinkedHashMap<String, Object>();
        JsonNode request;
        try {
            request = MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            request = null;
        }
        if (!(request instanceof ObjectNode object)) {
            out.put("result", "malformed request: the body must be a JSON object");
            out.put("arguments", Map.of());
            return out;
        }
        JsonNode tag = object.get("tag");
        JsonNode arguments = object.get("arguments");
        ObjectNode args = arguments instanceof ObjectNode a ? a : MAPPER.createObjectNode();
        try {
            Map<String, Object> result = call(object.path("method").asText(""), args);
            out.put("result", "success");
            out.put("arguments", result);
        } catch (ApiException | InvalidCommandException | UnknownTorrentException e) {
            out.put("result", e.getMessage());
            out.put("arguments", Map.of());
        } catch (RuntimeException e) {
            LOG.warn("Transmission RPC {} failed", object.path("method").asText(""), e);
            out.put("result", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            out.put("arguments", Map.of());
        }
        if (tag != null) {
            out.put("tag", tag);
        }
        return out;
    }

    private Map<String, Object> call(String method, ObjectNode args) throws IOException, InterruptedException {
        return switch (method) {
            case "session-get" -> session.get();
            case "session-set" -> session.set(args);
            case "session-stats" -> session.stats();
            case "torrent-get" -> torrentMethods.get(args);
            case "torrent-add" -> add.add(args);
            case "torrent-set" -> torrentMethods.set(args);
            case "torrent-start", "torrent-start-now" -> torrentMethods.each(args, torrents::resume);
            case "torrent-stop" -> torrentMethods.each(args, torrents::pause);
            case "torrent-verify" -> torrentMethods.each(args, torrents::recheck);
            case "torrent-remove" -> {
                boolean delete = TransmissionSession.bool(args, "delete-local-data").orElse(false);
                yield torrentMethods.each(args, id -> torrents.remove(id, delete));
            }
            default -> throw new ApiException(400, NOT_RECOGNIZED);
        };
    }
}
