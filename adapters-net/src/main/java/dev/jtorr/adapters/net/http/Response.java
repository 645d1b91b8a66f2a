package dev.jtorr.adapters.net.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: a status, headers, and either a body of known bytes or a writer that streams one (events,
 * file ranges).
 *
 * @param length the body's length when {@code writer} streams it, -1 when unknown (sent chunked)
 */
record Response(int status, Map<String, String> headers, byte[] body, BodyWriter writer, long length) {
    /** Writes a streamed body; returns when it is done or the client has gone. */
    interface BodyWriter {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    static Response json(int status, byte[] json) {
        return new Response(status, Map.of("Content-Type", "application/json"), json, null, json.length);
    }

    static Response bytes(int status, String contentType, byte[] body) {
        return new Response(status, Map.of("Content-Type", contentType), body, null, body.length);
    }

    static Response text(int status, String text) {
        return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static Response empty(int status) {
        return new Response(status, Map.of(), new byte[0], null, -1);
    }

    static Response stream(int status, Map<String, String> headers, long length, BodyWriter writer) {
        return new Response(status, headers, null, writer, length);
    }

    Response withHeader(String name, String value) {
        var h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, h, body, writer, length);
    }
}
