package dev.jtorr.domain.dht;

import dev.jtorr.domain.InvalidDataException;

/** A KRPC message (BEP 5) that is malformed, oversized or otherwise not acceptable; it is dropped. */
public final class KrpcException extends InvalidDataException {
    public KrpcException(String message) {
        super(message);
    }
}
