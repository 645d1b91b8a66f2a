package dev.jtorr.domain.lsd;

import dev.jtorr.domain.InvalidDataException;

/** A local service discovery datagram (BEP 14) that is malformed or oversized; it is dropped. */
public final class LsdException extends InvalidDataException {
    public LsdException(String message) {
        super(message);
    }
}
