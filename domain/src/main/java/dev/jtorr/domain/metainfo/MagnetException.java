package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.InvalidDataException;

/** A magnet link that does not follow BEP 9 / BEP 52's {@code urn:btih:} and {@code urn:btmh:} forms. */
public final class MagnetException extends InvalidDataException {
    public MagnetException(String message) {
        super(message);
    }
}
