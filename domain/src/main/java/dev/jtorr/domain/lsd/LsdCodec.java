package dev.jtorr.domain.lsd;

import dev.jtorr.domain.piece.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The text of a local service discovery announce (BEP 14), HTTP over UDP multicast, as libtorrent writes it:
 *
 * <pre>
 * BT-SEARCH * HTTP/1.1\r\n
 * Host: 239.192.152.143:6771\r\n
 * Port: 6881\r\n
 * Infohash: 0123456789abcdef0123456789abcdef01234567\r\n
 * cookie: 1a2b3c4d\r\n
 * \r\n
 * \r\n
 * </pre>
 *
 * Reading is strict about what matters and lenient about the rest: the request line must be {@code BT-SEARCH *
 * HTTP/1.x}; header names are case-insensitive; lines may end in LF alone; unknown headers are ignored, and so are
 * {@code Infohash} values that are not 40 hex digits (as libtorrent does); there must be a {@code Port} (decimal,
 * 1-65535) and at least one good {@code Infohash}; the first blank line ends the headers. Anything over
 * {@link #MAX_DATAGRAM} bytes, or with more than {@link #MAX_LINES} lines, is refused before it is read. Pure.
 */
public final class LsdCodec {
    /** The IPv4 multicast group and port (organisation-local scope). */
    public static final String IPV4_GROUP = "239.192.152.143";
    /** The IPv6 multicast group (site-local scope). */
    public static final String IPV6_GROUP = "ff15::efc0:988f";
    public static final int PORT = 6771;
    /** The Host header (and address) for each group. */
    public static final String IPV4_HOST = IPV4_GROUP + ":" + PORT;
    public static final String IPV6_HOST = "[" + IPV6_GROUP + "]:" + PORT;
    /** Bytes of one announce at most, as BEP 14 asks (to stay under the MTU), sent or received. */
    public static final int MAX_DATAGRAM = 1400;
    static final int MAX_LINES = 64;
    static final int MAX_COOKIE = 64;

    private LsdCodec() {
    }

    /**
     * The announce as sent to the group named by {@code host} ({@link #IPV4_HOST} or {@link #IPV6_HOST}).
     *
     * @throws LsdException when it would not fit in {@link #MAX_DATAGRAM} bytes
     */
    public static byte[] encode(LsdAnnounce announce, String host) {
        var text = new StringBuilder(128).append("BT-SEARCH * HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n")
                .append("Port: ").append(announce.port()).append("\r\n");
        for (Digest h : announce.infoHashes()) {
            text.append("Infohash: ").append(h.hex()).append("\r\n");
        }
        announce.cookie().ifPresent(c -> text.append("cookie: ").append(c).append("\r\n"));
        text.append("\r\n\r\n");
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > MAX_DATAGRAM) {
            throw new LsdException("an announce of " + bytes.length + " bytes is over " + MAX_DATAGRAM);
        }
        return bytes;
    }

    /**
     * Reads one received datagram.
     *
     * @throws LsdException when it is not a usable announce
     */
    public static LsdAnnounce decode(byte[] datagram) {
        if (datagram.length > MAX_DATAGRAM) {
            throw new LsdException("datagram of " + datagram.length + " bytes is over " + MAX_DATAGRAM);
        }
        // ISO-8859-1 maps every byte to one char, so no byte sequence fails to decode
        String text = new String(datagram, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\n", MAX_LINES + 1);
        if (lines.length > MAX_LINES) {
            throw new LsdException("more than " + MAX_LINES + " lines");
        }
        String request = strip(lines[0]);
        String[] parts = request.split(" ", -1);
        if (parts.length != 3 || !parts[0].equalsIgnoreCase("BT-SEARCH") || !parts[1].equals("*")
                || !parts[2].toUpperCase(Locale.ROOT).startsWith("HTTP/1.")) {
            throw new LsdException("not a BT-SEARCH request: " + printable(request));
        }
        Integer port = null;
        List<Digest> hashes = new ArrayList<>();
        Optional<String> cookie = Optional.empty();
        for (int i = 1; i < lines.length; i++) {
            String line = strip(lines[i]);
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new LsdException("not a header: " + printable(line));
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "port" -> port = port(value);
                case "infohash" -> {
                    if (value.length() == 40 && isHex(value) && hashes.size() < LsdAnnounce.MAX_INFO_HASHES) {
                        Digest h = Digest.ofHex(value);
                        if (!hashes.contains(h)) {
                            hashes.add(h);
                        }
                    }
                }
                case "cookie" -> cookie = value.isEmpty() || value.length() > MAX_COOKIE
                        || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? Optional.empty() : Optional.of(value);
                default -> {
                    // Host and whatever later versions add: not needed to find the peer
                }
            }
        }
        if (port == null) {
            throw new LsdException("no Port header");
        }
        if (hashes.isEmpty()) {
            throw new LsdException("no usable Infohash header");
        }
        return new LsdAnnounce(port, hashes, cookie);
    }

    private static int port(String value) {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new LsdException("Port is not a port number: " + printable(value));
        }
        int port = Integer.parseInt(value);
        if (port < 1 || port > 65535) {
            throw new LsdException("Port " + port + " is outside 1-65535");
        }
        return port;
    }

    private static boolean isHex(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
    }

    private static String strip(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** At most 60 characters of received text, control characters replaced: safe to put in a message. */
    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return cut.chars().map(c -> c < 0x20 || c > 0x7e ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
