package dev.jtorr.adapters.net;

import java.io.IOException;

/** A peer broke the wire protocol: a bad handshake, an oversized or malformed message. The connection is dropped. */
final class WireProtocolException extends IOException {
    WireProtocolException(String message) {
        super(message);
    }
}
