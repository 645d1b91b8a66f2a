package dev.jtorr.adapters.net.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ManageTorrentsUseCase;
import dev.jtorr.application.port.in.TorrentExistsException;
import dev.jtorr.application.port.in.UnknownTorrentException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP API ({@code /api/v1/...}, JSON in snake_case, the info-hash as the id), its event stream, its
 * OpenAPI document at {@code /api/v1/openapi.json}, served by the JDK's HTTP server on virtual threads. Every request
 * passes the {@link RequestGuard} first. Routes call the use case and read its snapshots; none blocks the engine.
 */
public final class HttpApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);
    private final HttpServer server;
    private final ExecutorService threads;
    private final Router router;
    private final RequestGuard guard;
    /** Large bodies (a .torrent upload) held in memory at once: more wait for one to finish. */
    private final java.util.concurrent.Semaphore bodies = new java.util.concurrent.Semaphore(4);

    private HttpApiServer(HttpServer server, ExecutorService threads, Router router, RequestGuard guard) {
        this.server = server;
        this.threads = threads;
        this.router = router;
        this.guard = guard;
    }

    /**
     * Binds the API's port and starts serving.
     *
     * @throws IOException when the port cannot be bound or the API key cannot be made
     */
    public static HttpApiServer start(ApiConfig config, ManageTorrentsUseCase torrents) throws IOException {
        return start(config, torrents, Clock.systemUTC());
    }

    /** Starts serving; {@code clock} times the logins' back-off (a test's clock makes it testable without waiting). */
    static HttpApiServer start(ApiConfig config, ManageTorrentsUseCase torrents, Clock clock) throws IOException {
        InetAddress bind = InetAddress.getByName(config.bind());
        var credentials = ApiCredentials.load(config.stateDir());
        boolean exposed = config.requireCredentials() || !bind.isLoopbackAddress();
        var guard = new RequestGuard(exposed, config.hostNames(), credentials);
        var fetcher = new TorrentFetcher(!exposed);
        var router = new Router();
        new TorrentRoutes(torrents, fetcher).register(router);
        new SessionRoutes(torrents, guard, clock).register(router);
        new FileStreamRoute(torrents).register(router);
        new TransmissionRpc(torrents, Clock.systemUTC(), fetcher).register(router);
        OpenApi.register(router);
        WebPage.register(router);
        // Without TCP_NODELAY each response on a kept-alive connection waits for the client's delayed ACK (~40 ms);
        // the JDK's server has no per-server switch and reads this property when its first server starts.
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, config.port()), 128);
        ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jtorr-api-", 0)
                .factory());
        server.setExecutor(threads);
        var api = new HttpApiServer(server, threads, router, guard);
        server.createContext("/", api::exchange);
        server.start();
        return api;
    }

    /** The port the API is reached on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The routes served, as "METHOD /template" (the OpenAPI document must describe each). */
    public List<String> routes() {
        return router.routes().stream().map(r -> r.method() + " " + r.template()).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request;
            try {
                request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(),
                        exchange.getRequestBody(), exchange.getRemoteAddress().getAddress(), bodies);
            } catch (ApiException e) {
                send(exchange, error(e.status(), e.getMessage()));
                return;
            }
            Response response;
            try {
                guard.check(request);
                response = router.find(request).handle(request);
            } catch (ApiException e) {
                response = TransmissionRpc.challenge(request, error(e.status(), e.getMessage()));
                for (var h : e.headers().entrySet()) {
                    response = response.withHeader(h.getKey(), h.getValue());
                }
                if (e.status() == 405) {
                    response = response.withHeader("Allow", e.getMessage().replaceFirst(".*\\(allowed: (.*)\\)", "$1"));
                }
            } catch (UnknownTorrentException e) {
                response = error(404, e.getMessage());
            } catch (TorrentExistsException e) {
                response = error(409, e.getMessage()).withHeader("Location", "/api/v1/torrents/" + e.id());
            } catch (InvalidCommandException e) {
                response = error(400, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | LinkageError e) {
                LOG.warn("{} {} failed", request.method(), request.path(), e);
                response = error(500, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            try {
                send(exchange, response);
            } finally {
                request.release();
            }
        } catch (IOException e) {
            LOG.debug("client went away", e); // a closed connection is the client's choice
        }
    }

    private static Response error(int status, String message) {
        return Response.json(status, ApiJson.write(java.util.Map.of("error", java.util.Map.of("status", status,
                "message", message == null ? "" : message))));
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        var headers = exchange.getResponseHeaders();
        response.headers().forEach(headers::set);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        if (response.writer() == null) {
            byte[] body = response.body();
            boolean noBody = body.length == 0 || head;
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            return;
        }
        if (head) {
            if (response.length() >= 0) {
                headers.set("Content-Length", Long.toString(response.length()));
            }
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        // the JDK's server reads 0 as "chunked" and -1 as "no body"
        exchange.sendResponseHeaders(response.status(), response.length() < 0 ? 0
                : response.length() == 0 ? -1 : response.length());
        try (OutputStream out = exchange.getResponseBody()) {
            response.writer().write(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
