package dev.jtorr.application.port.in;

/** The torrent being added is in the engine already (an HTTP API answers 409). */
public final class TorrentExistsException extends RuntimeException {
    private final String id;

    public TorrentExistsException(String id, String name) {
        super(name + " (" + id + ") is in the daemon already");
        this.id = id;
    }

    /** The id of the torrent that is there. */
    public String id() {
        return id;
    }
}
