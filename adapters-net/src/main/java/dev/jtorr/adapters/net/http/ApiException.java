package dev.jtorr.adapters.net.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request the API refuses, with the HTTP status to answer, headers to send with it and a message for the client. */
final class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** This exception, its answer to carry a header too (such as 429's Retry-After). */
    ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Map<String, String> headers() {
        return Map.copyOf(headers);
    }
}
