package dev.jtorr.adapters.net.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtorr.application.port.in.ManageTorrentsUseCase;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.Changes;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.SettingsChanges;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The engine as a whole: {@code /api/v1/session} (totals and settings), what changed ({@code /api/v1/changes?since=}
 * as a long poll, {@code /api/v1/events} as Server-Sent Events: each event's id is the cursor to resume from), and
 * the page's login.
 */
final class SessionRoutes {
    /** How long a long poll or an idle event stream waits before it answers (an event stream: a comment line). */
    static final Duration WAIT = Duration.ofSeconds(15);
    /** The shortest time between two events of one stream: changes in between are sent together. */
    static final Duration COALESCE = Duration.ofMillis(250);
    private final ManageTorrentsUseCase torrents;
    private final RequestGuard guard;
    private final Clock clock;

    SessionRoutes(ManageTorrentsUseCase torrents, RequestGuard guard, Clock clock) {
        this.torrents = torrents;
        this.guard = guard;
        this.clock = clock;
    }

    void register(Router router) {
        router.add("GET", "/api/v1/session", r -> Response.json(200, ApiJson.write(ApiJson.session(
                        torrents.session()))))
                .add("PATCH", "/api/v1/session", this::changeSettings)
                .add("GET", "/api/v1/changes", this::changes)
                .add("GET", "/api/v1/events", this::events)
                .add("POST", "/api/v1/login", this::login)
                .add("POST", "/api/v1/logout", r -> {
                    guard.logout(r);
                    return Response.empty(204).withHeader("Set-Cookie", RequestGuard.COOKIE
                            + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
                });
    }

    private Response changeSettings(Request r) throws IOException {
        ObjectNode body = ApiJson.object(r.body(ApiConfig.MAX_JSON));
        TorrentRoutes.known(body, Set.of("download_limit", "upload_limit"));
        return Response.json(200, ApiJson.write(ApiJson.session(torrents.changeSettings(new SettingsChanges(
                TorrentRoutes.optionalLong(body, "download_limit"), TorrentRoutes.optionalLong(body, "upload_limit"))))));
    }

    private Response changes(Request r) throws InterruptedException {
        long since = cursor(r.query("since").orElse("0"));
        int wait = TorrentRoutes.number(r.query("wait"), 0, 60, "wait").orElse(0);
        return Response.json(200, ApiJson.write(changesJson(torrents.changesSince(since, Duration.ofSeconds(wait)))));
    }

    private static long cursor(String value) {
        try {
            long c = Long.parseLong(value.strip());
            if (c < 0) {
                throw new ApiException(400, "a cursor is not negative");
            }
            return c;
        } catch (NumberFormatException e) {
            throw new ApiException(400, "a cursor is a number: " + value);
        }
    }

    static Map<String, Object> changesJson(Changes c) {
        var m = new LinkedHashMap<String, Object>();
        m.put("cursor", c.cursor());
        m.put("full", c.full());
        m.put("changed", c.changed().stream().map(t -> ApiJson.torrent(t, Set.of())).toList());
        m.put("removed", c.removed());
        return m;
    }

    /**
     * An event stream: a first {@code changes} event with every torrent (or what changed after the
     * {@code Last-Event-ID} or {@code since} given), then one for each change, no more often than every
     * {@link #COALESCE}; a comment line when idle, so that a client or proxy sees the stream alive.
     */
    private Response events(Request r) {
        long start = cursor(r.header("last-event-id").or(() -> r.query("since")).orElse("0"));
        return Response.stream(200, Map.of("Content-Type", "text/event-stream", "X-Accel-Buffering", "no"), -1,
                out -> stream(out, start));
    }

    private void stream(OutputStream out, long start) throws IOException, InterruptedException {
        long cursor = start;
        boolean first = true;
        while (true) {
            Instant asked = Instant.now();
            Changes c = torrents.changesSince(cursor, first && cursor == 0 ? Duration.ZERO : WAIT);
            first = false;
            if (c.isEmpty() && c.cursor() == cursor) {
                out.write(": idle\n\n".getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(("id: " + c.cursor() + "\nevent: changes\ndata: ").getBytes(StandardCharsets.UTF_8));
                out.write(ApiJson.write(changesJson(c)));
                out.write("\n\n".getBytes(StandardCharsets.UTF_8));
                cursor = c.cursor();
            }
            out.flush(); // throws once the client has gone, which ends the stream
            long spent = Duration.between(asked, Instant.now()).toMillis();
            if (spent < COALESCE.toMillis()) {
                Thread.sleep(COALESCE.toMillis() - spent);
            }
        }
    }

    private Response login(Request r) throws IOException {
        ObjectNode body = ApiJson.object(r.body(4096));
        TorrentRoutes.known(body, Set.of("password"));
        String cookie = guard.login(r.client(), TorrentRoutes.text(body, "password"), clock.instant());
        return Response.empty(204).withHeader("Set-Cookie", RequestGuard.COOKIE + "=" + cookie
                + "; Path=/; HttpOnly; SameSite=Strict");
    }
}
