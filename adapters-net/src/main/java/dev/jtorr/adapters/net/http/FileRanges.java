package dev.jtorr.adapters.net.http;

/**
 * Reads an HTTP {@code Range} header (RFC 9110, section 14) against a file of known length: one byte range, in any
 * of its three forms {@code bytes=a-b}, {@code bytes=a-} and {@code bytes=-n} (the last {@code n} bytes). Several
 * ranges in one header are not served as multipart: the header is ignored and the whole file is sent, as RFC 9110
 * lets a server do (so too for a unit other than bytes). Pure and thread-safe.
 */
final class FileRanges {
    /** What to answer. */
    sealed interface Result {
    }

    /** 200 with the whole file: no Range header, or one to ignore (another unit, several ranges). */
    record Whole() implements Result {
    }

    /**
     * 206 with bytes {@code first..last} (both included) of a file of {@code length} bytes.
     */
    record Partial(long first, long last, long length) implements Result {
        /** Bytes in the range. */
        long size() {
            return last - first + 1;
        }

        /** The {@code Content-Range} header's value, e.g. {@code bytes 0-99/1000}. */
        String contentRange() {
            return "bytes " + first + "-" + last + "/" + length;
        }
    }

    /** 416: no byte of the range is in the file (it starts at or past its end, or asks for the last 0 bytes). */
    record Unsatisfiable(long length) implements Result {
        /** The {@code Content-Range} header's value that goes with a 416, e.g. <code>bytes &#42;/1000</code>. */
        String contentRange() {
            return "bytes */" + length;
        }
    }

    /** A bytes range that is not well formed ({@code reason} says how): answer 416, or ignore it and send all. */
    record Invalid(String reason) implements Result {
    }

    private static final String UNIT = "bytes";

    private FileRanges() {
    }

    /**
     * @param header the {@code Range} header's value; null when the request has none
     * @param length the file's length in bytes
     */
    static Result parse(String header, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (header == null) {
            return new Whole();
        }
        String h = header.strip();
        int eq = h.indexOf('=');
        if (eq < 0) {
            return new Invalid("no '=' after the range unit: " + quoted(header));
        }
        String unit = h.substring(0, eq).strip();
        if (unit.isEmpty()) {
            return new Invalid("no range unit before '=': " + quoted(header));
        }
        if (!unit.equalsIgnoreCase(UNIT)) {
            return new Whole(); // a unit we do not serve: RFC 9110 says to ignore the header
        }
        String spec = h.substring(eq + 1).strip();
        if (spec.indexOf(',') >= 0) {
            return new Whole(); // several ranges: no multipart answer; the whole file is a valid one
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Invalid("no '-' in the byte range: " + quoted(header));
        }
        String from = spec.substring(0, dash).strip();
        String to = spec.substring(dash + 1).strip();
        if (from.isEmpty()) {
            return suffix(to, length, header);
        }
        long first = number(from);
        long last = to.isEmpty() ? Long.MAX_VALUE : number(to);
        if (first < 0 || last < 0) {
            return new Invalid("a byte position is not a number: " + quoted(header));
        }
        if (last < first) {
            return new Invalid("the range ends before it starts: " + quoted(header));
        }
        if (first >= length) {
            return new Unsatisfiable(length);
        }
        return new Partial(first, Math.min(last, length - 1), length);
    }

    /** {@code bytes=-n}: the last {@code n} bytes, or the whole file if it is shorter. */
    private static Result suffix(String count, long length, String header) {
        long n = number(count);
        if (n < 0) {
            return new Invalid("the suffix length is not a number: " + quoted(header));
        }
        if (n == 0 || length == 0) {
            return new Unsatisfiable(length);
        }
        return new Partial(Math.max(0, length - n), length - 1, length);
    }

    /**
     * Digits as a number, Long.MAX_VALUE for one too big (a position past any file); -1 unless the text is one or more
     * ASCII digits.
     */
    private static long number(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n > (Long.MAX_VALUE - (c - '0')) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
        }
        return n;
    }

    private static String quoted(String header) {
        String shown = header.length() > 100 ? header.substring(0, 100) + "..." : header;
        return "\"" + shown + "\"";
    }
}
