package dev.jtorr.application.port.out;

/** Content that cannot be listed or read: missing, empty, unreadable, or changed while being read. */
public final class ContentException extends RuntimeException {
    public ContentException(String message) {
        super(message);
    }

    public ContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
