package dev.jtorr.application.port.in;

/** No torrent with that id is in the engine (an HTTP API answers 404). */
public final class UnknownTorrentException extends RuntimeException {
    public UnknownTorrentException(String id) {
        super("no torrent with id " + id);
    }
}
