package dev.jtorr.domain.tracker;

/**
 * The {@code event} of an announce (BEP 3), with the numbers UDP trackers use for it (BEP 15).
 */
public enum AnnounceEvent {
    /** A regular re-announce. */
    NONE("", 0),
    /** Sent once, when the download completes (not when a torrent starts complete). */
    COMPLETED("completed", 1),
    /** The first announce of a session. */
    STARTED("started", 2),
    /** The session is going away. */
    STOPPED("stopped", 3);

    private final String wireName;
    private final int udpCode;

    AnnounceEvent(String wireName, int udpCode) {
        this.wireName = wireName;
        this.udpCode = udpCode;
    }

    /** The value of the HTTP {@code event} parameter; empty for {@link #NONE} (then the parameter is left out). */
    public String wireName() {
        return wireName;
    }

    public int udpCode() {
        return udpCode;
    }

    /** Reads an HTTP {@code event} value; absent, empty and unknown values mean {@link #NONE}, as trackers do. */
    public static AnnounceEvent fromWireName(String name) {
        for (AnnounceEvent e : values()) {
            if (e != NONE && e.wireName.equals(name)) {
                return e;
            }
        }
        return NONE;
    }

    /** Reads a UDP event number; unknown numbers mean {@link #NONE}. */
    public static AnnounceEvent fromUdpCode(int code) {
        for (AnnounceEvent e : values()) {
            if (e.udpCode == code) {
                return e;
            }
        }
        return NONE;
    }
}
