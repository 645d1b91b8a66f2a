package dev.jtorr.adapters.net.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body (RFC 7578), already read within the API's size cap: its parts' names, file
 * names and bytes. Anything malformed is a 400.
 */
final class Multipart {
    private static final int MAX_PARTS = 32;

    /** One part of the form. */
    record Part(String name, Optional<String> fileName, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private Multipart() {
    }

    /** The boundary a Content-Type names, when it is a multipart form. */
    static Optional<String> boundary(String contentType) {
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return Optional.empty();
        }
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9);
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (b.isEmpty() || b.length() > 70) {
                    throw new ApiException(400, "multipart boundary must be 1 to 70 characters");
                }
                return Optional.of(b);
            }
        }
        throw new ApiException(400, "multipart/form-data without a boundary");
    }

    static List<Part> parse(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new ApiException(400, "multipart body without its boundary");
        }
        var parts = new ArrayList<Part>();
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = at + delimiter.length;
        while (true) {
            if (pos + 2 <= body.length && body[pos] == '-' && body[pos + 1] == '-') {
                return parts; // the closing delimiter
            }
            pos = skipLineEnd(body, pos);
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
            if (headEnd < 0) {
                throw new ApiException(400, "multipart part without the end of its headers");
            }
            String head = new String(body, pos, headEnd - pos, StandardCharsets.UTF_8);
            int dataStart = headEnd + 4;
            int dataEnd = indexOf(body, next, dataStart);
            if (dataEnd < 0) {
                throw new ApiException(400, "multipart part without a closing boundary");
            }
            if (parts.size() == MAX_PARTS) {
                throw new ApiException(400, "more than " + MAX_PARTS + " parts in the form");
            }
            parts.add(part(head, Arrays.copyOfRange(body, dataStart, dataEnd)));
            pos = dataEnd + next.length;
        }
    }

    private static Part part(String head, byte[] bytes) {
        String name = null;
        String fileName = null;
        for (String line : head.split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                continue;
            }
            for (String param : line.substring(line.indexOf(':') + 1).split(";")) {
                String p = param.strip();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = p.substring(0, eq).toLowerCase(Locale.ROOT);
                String value = p.substring(eq + 1);
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (key.equals("name")) {
                    name = value;
                } else if (key.equals("filename")) {
                    fileName = value;
                }
            }
        }
        if (name == null) {
            throw new ApiException(400, "multipart part without a name");
        }
        return new Part(name, Optional.ofNullable(fileName), bytes);
    }

    private static int skipLineEnd(byte[] body, int pos) {
        if (pos + 1 < body.length && body[pos] == '\r' && body[pos + 1] == '\n') {
            return pos + 2;
        }
        throw new ApiException(400, "malformed multipart boundary line");
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
