package dev.jtorr.adapters.net.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so a test can send what the JDK's clients refuse to (a foreign Host header, a
 * Content-Length with no body behind it) and read each answer as it is.
 */
final class RawHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int port;
    private final InetAddress from;

    /** An answer; header names in lower case. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    RawHttp(int port) {
        this(port, null);
    }

    /** A client whose connections come from {@code from} (another loopback address: another client). */
    RawHttp(int port, InetAddress from) {
        this.port = port;
        this.from = from;
    }

    Reply get(String target, String... headers) throws IOException {
        return send("GET", target, null, headers);
    }

    Reply json(String method, String target, String json, String... headers) throws IOException {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send(method, target, json.getBytes(StandardCharsets.UTF_8), all);
    }

    /**
     * Sends one request on a new connection and reads the whole answer. {@code headers} are name, value pairs; a
     * Host of 127.0.0.1 and the body's Content-Length are added unless given (a null value leaves one out).
     */
    Reply send(String method, String target, byte[] body, String... headers) throws IOException {
        try (Socket socket = open(method, target, body, headers)) {
            InputStream in = socket.getInputStream();
            int status = status(line(in));
            Map<String, String> h = headers(in);
            byte[] content;
            if (method.equals("HEAD") || status == 204 || status == 304) {
                content = new byte[0];
            } else if (h.containsKey("content-length")) {
                content = in.readNBytes(Integer.parseInt(h.get("content-length")));
            } else if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
                var out = new ByteArrayOutputStream();
                byte[] chunk;
                while ((chunk = chunk(in)).length > 0) {
                    out.write(chunk);
                }
                content = out.toByteArray();
            } else {
                content = in.readAllBytes();
            }
            return new Reply(status, h, content);
        }
    }

    /**
     * Opens an event stream and reads it until its first event, which it returns as "event: ...\ndata: ..." lines.
     */
    Reply firstEvent(String target, String... headers) throws IOException {
        try (Socket socket = open("GET", target, null, headers)) {
            InputStream in = socket.getInputStream();
            int status = status(line(in));
            Map<String, String> h = headers(in);
            if (status != 200) {
                return new Reply(status, h, in.readNBytes(Integer.parseInt(h.getOrDefault("content-length", "0"))));
            }
            var text = new StringBuilder();
            while (!text.toString().contains("\ndata: ") || !text.toString().endsWith("\n\n")) {
                byte[] chunk = chunk(in);
                if (chunk.length == 0) {
                    break;
                }
                text.append(new String(chunk, StandardCharsets.UTF_8));
            }
            return new Reply(status, h, text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private Socket open(String method, String target, byte[] body, String... headers) throws IOException {
        var h = new LinkedHashMap<String, String>();
        h.put("Host", "127.0.0.1:" + port);
        if (body != null) {
            h.put("Content-Length", Integer.toString(body.length));
        }
        for (int i = 0; i < headers.length; i += 2) {
            String name = headers[i];
            h.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            h.put(name, headers[i + 1]);
        }
        h.put("Connection", "close");
        var request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        h.forEach((k, v) -> {
            if (v != null) {
                request.append(k).append(": ").append(v).append("\r\n");
            }
        });
        request.append("\r\n");
        Socket socket = from == null ? new Socket(InetAddress.getLoopbackAddress(), port)
                : new Socket(InetAddress.getLoopbackAddress(), port, from, 0);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return socket;
    }

    private static int status(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + line);
        }
        return Integer.parseInt(parts[1]);
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        var h = new LinkedHashMap<String, String>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            h.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return h;
    }

    private static byte[] chunk(InputStream in) throws IOException {
        String size = line(in);
        int n = Integer.parseInt(size.split(";")[0].strip(), 16);
        byte[] data = in.readNBytes(n);
        line(in);
        return data;
    }

    private static String line(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed in the middle of a line: " + out);
            }
            out.write(b);
        }
        String s = out.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
