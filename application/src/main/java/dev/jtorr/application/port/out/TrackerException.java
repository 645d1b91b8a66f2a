package dev.jtorr.application.port.out;

/**
 * A tracker did not give a usable answer: it refused ({@code failure reason}), timed out, could not be reached, or
 * sent something malformed or too large. The message says which tracker and what happened.
 */
public class TrackerException extends RuntimeException {
    public TrackerException(String message) {
        super(message);
    }

    public TrackerException(String message, Throwable cause) {
        super(message, cause);
    }
}
