package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.InvalidDataException;

/** A torrent (or part of one) that does not follow BEP 3, 47 or 52: says which field and what is wrong. */
public final class MetainfoException extends InvalidDataException {
    public MetainfoException(String message) {
        super(message);
    }

    public MetainfoException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
