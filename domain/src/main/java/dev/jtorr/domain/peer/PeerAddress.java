package dev.jtorr.domain.peer;

import dev.jtorr.domain.InvalidDataException;

/**
 * Where a peer listens: a host (name, IPv4 or IPv6 literal without brackets) and a TCP port.
 */
public record PeerAddress(String host, int port) {
    public PeerAddress {
        if (host == null || host.isBlank()) {
            throw new InvalidDataException("peer address without a host");
        }
        if (port < 1 || port > 65535) {
            throw new InvalidDataException("peer port " + port + " is outside 1-65535");
        }
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port} or {@code v6-literal:port}.
     *
     * @throws InvalidDataException when the text is not an address with a port
     */
    public static PeerAddress parse(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new InvalidDataException("not a peer address (want host:port): " + text);
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidDataException("not a port number in peer address: " + text);
        }
        return new PeerAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
