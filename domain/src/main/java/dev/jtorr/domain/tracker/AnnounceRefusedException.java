package dev.jtorr.domain.tracker;

import dev.jtorr.domain.InvalidDataException;

/** A tracker will not register an announce; the message is the {@code failure reason} sent back. */
public class AnnounceRefusedException extends InvalidDataException {
    public AnnounceRefusedException(String message) {
        super(message);
    }
}
