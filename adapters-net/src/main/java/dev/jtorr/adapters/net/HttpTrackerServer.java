package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.TrackerTransport;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.tracker.AnnounceRefusedException;
import dev.jtorr.domain.tracker.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code jtorr tracker}: a deliberately small HTTP/1.1 server (GET only) on blocking sockets and
 * virtual threads. Limits: request head 8 KiB, 10 s to send it, at most {@link #MAX_CONNECTIONS} connections (more
 * are closed at once), 1000 requests per kept-alive connection.
 */
final class HttpTrackerServer implements TrackerTransport.Listening {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTrackerServer.class);
    static final int MAX_HEAD = 8192;
    static final int MAX_CONNECTIONS = 4096;
    private static final int HEAD_TIMEOUT_MS = 10_000;
    private static final int MAX_REQUESTS_PER_CONNECTION = 1000;
    private static final int MAX_SCRAPE = 100;

    private final ServerSocket server;
    private final TrackerTransport.Requests requests;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);

    HttpTrackerServer(ServerSocket server, TrackerTransport.Requests requests) {
        this.server = server;
        this.requests = requests;
        Thread.ofPlatform().daemon().name("jtorr-tracker-http-" + server.getLocalPort()).start(this::acceptLoop);
    }

    @Override
    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing tracker listener", e);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.debug("accept failed", e);
                }
                continue;
            }
            if (!slots.tryAcquire()) {
                closeQuietly(s); // a flood of connections: shed load rather than queue it
                continue;
            }
            Thread.ofVirtual().start(() -> {
                try {
                    serve(s);
                } finally {
                    slots.release();
                    closeQuietly(s);
                }
            });
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setSoTimeout(HEAD_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            var heads = new HeadReader(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (int n = 0; n < MAX_REQUESTS_PER_CONNECTION; n++) {
                String head = heads.next();
                if (head == null) {
                    return;
                }
                boolean keepAlive = respond(head, socket.getInetAddress(), out, n + 1 < MAX_REQUESTS_PER_CONNECTION);
                out.flush();
                if (!keepAlive) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            LOG.debug("tracker client too slow: {}", socket.getRemoteSocketAddress());
        } catch (IOException e) {
            LOG.debug("tracker connection: {}", e.toString());
        }
    }

    /** Reads request heads from a connection in bulk; bytes after a head (a pipelined request) are kept. */
    static final class HeadReader {
        private final InputStream in;
        private final byte[] buf = new byte[MAX_HEAD];
        private int filled;

        HeadReader(InputStream in) {
            this.in = in;
        }

        /** The next request head up to the blank line, or null at a clean end of stream; over the limit fails. */
        String next() throws IOException {
            int scanFrom = 0;
            while (true) {
                for (int i = Math.max(3, scanFrom); i < filled; i++) {
                    if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                        String head = new String(buf, 0, i + 1, StandardCharsets.ISO_8859_1);
                        System.arraycopy(buf, i + 1, buf, 0, filled - i - 1);
                        filled -= i + 1;
                        return head;
                    }
                }
                scanFrom = filled;
                if (filled == MAX_HEAD) {
                    throw new IOException("request head over " + MAX_HEAD + " bytes");
                }
                int n = in.read(buf, filled, MAX_HEAD - filled);
                if (n < 0) {
                    if (filled == 0) {
                        return null;
                    }
                    throw new IOException("connection closed inside a request");
                }
                filled += n;
            }
        }
    }

    private boolean respond(String head, InetAddress from, OutputStream out, boolean mayKeepAlive) throws IOException {
        String[] lines = head.split("\r\n");
        String[] parts = lines[0].split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            write(out, 400, "text/plain", "bad request\n".getBytes(StandardCharsets.US_ASCII), false);
            return false;
        }
        boolean keepAlive = mayKeepAlive && keepAlive(parts[2], lines);
        if (!parts[0].equals("GET")) {
            write(out, 405, "text/plain", "only GET\n".getBytes(StandardCharsets.US_ASCII), keepAlive);
            return keepAlive;
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        switch (path) {
            case "/announce" -> write(out, 200, "text/plain", announce(query, from), keepAlive);
            case "/scrape" -> write(out, 200, "text/plain", scrape(query), keepAlive);
            case "/", "/stats" -> write(out, 200, "text/html; charset=utf-8",
                    TrackerStatsPage.html(requests.statistics()), keepAlive);
            case "/stats.json" -> write(out, 200, "application/json", TrackerStatsPage.json(requests.statistics()),
                    keepAlive);
            default -> write(out, 404, "text/plain", "not found\n".getBytes(StandardCharsets.US_ASCII), keepAlive);
        }
        return keepAlive;
    }

    private static boolean keepAlive(String version, String[] lines) {
        boolean ka = version.equals("HTTP/1.1");
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].toLowerCase(Locale.ROOT);
            if (l.startsWith("connection:")) {
                ka = l.contains("keep-alive") || ka && !l.contains("close");
            }
        }
        return ka;
    }

    private byte[] announce(String query, InetAddress from) {
        try {
            Map<String, List<byte[]>> q = HttpTrackerCodec.parseQuery(query);
            var request = HttpTrackerCodec.announceRequest(q);
            var endpoint = new Endpoint(from.getAddress(), request.port());
            boolean compact = !"0".equals(q.containsKey("compact")
                    ? new String(q.get("compact").get(0), StandardCharsets.US_ASCII) : "1");
            return HttpTrackerCodec.announceBody(requests.announce(request, endpoint), compact);
        } catch (AnnounceRefusedException e) {
            return HttpTrackerCodec.failureBody(e.getMessage());
        } catch (InvalidDataException | IllegalArgumentException e) {
            return HttpTrackerCodec.failureBody("invalid announce: " + e.getMessage());
        }
    }

    private byte[] scrape(String query) {
        try {
            var hashes = HttpTrackerCodec.scrapeHashes(HttpTrackerCodec.parseQuery(query), MAX_SCRAPE);
            return HttpTrackerCodec.scrapeBody(requests.scrape(hashes));
        } catch (InvalidDataException | IllegalArgumentException e) {
            return HttpTrackerCodec.failureBody("invalid scrape: " + e.getMessage());
        }
    }

    private static void write(OutputStream out, int status, String type, byte[] body, boolean keepAlive)
            throws IOException {
        String reason = switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            default -> "Error";
        };
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + body.length + "\r\nConnection: " + (keepAlive ? "keep-alive" : "close") + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        out.write(all); // one write: head and body in one segment
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.trace("close", e);
        }
    }
}
