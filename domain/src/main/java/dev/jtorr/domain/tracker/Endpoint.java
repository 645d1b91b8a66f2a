package dev.jtorr.domain.tracker;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.peer.PeerAddress;
import java.util.Arrays;

/**
 * A peer's numeric address as trackers exchange it: a 4-byte IPv4 or 16-byte IPv6 address and a TCP port, in the
 * compact form of BEP 23 (6 bytes) and BEP 7 (18 bytes), network byte order. Compared by content.
 */
public record Endpoint(byte[] ip, int port) {
    public static final int COMPACT_V4 = 6;
    public static final int COMPACT_V6 = 18;

    public Endpoint {
        if (ip.length != 4 && ip.length != 16) {
            throw new InvalidDataException("an IP address has 4 or 16 bytes, not " + ip.length);
        }
        if (port < 1 || port > 65535) {
            throw new InvalidDataException("peer port " + port + " is outside 1-65535");
        }
        ip = ip.clone();
    }

    @Override
    public byte[] ip() {
        return ip.clone();
    }

    public boolean isV4() {
        return ip.length == 4;
    }

    /** Writes the compact form ({@link #COMPACT_V4} or {@link #COMPACT_V6} bytes) at {@code offset}. */
    public int writeCompact(byte[] out, int offset) {
        System.arraycopy(ip, 0, out, offset, ip.length);
        out[offset + ip.length] = (byte) (port >>> 8);
        out[offset + ip.length + 1] = (byte) port;
        return offset + ip.length + 2;
    }

    /**
     * Reads a list of compact peers: {@code entrySize} is 6 (IPv4) or 18 (IPv6). Entries with port 0 are skipped
     * (they cannot be dialled).
     *
     * @throws InvalidDataException when the length is not a multiple of the entry size
     */
    public static java.util.List<Endpoint> parseCompact(byte[] data, int entrySize) {
        if (entrySize != COMPACT_V4 && entrySize != COMPACT_V6) {
            throw new IllegalArgumentException("entry size " + entrySize);
        }
        if (data.length % entrySize != 0) {
            throw new InvalidDataException("compact peer list of " + data.length + " bytes is not a multiple of "
                    + entrySize);
        }
        var out = new java.util.ArrayList<Endpoint>(data.length / entrySize);
        for (int off = 0; off < data.length; off += entrySize) {
            int ipLength = entrySize - 2;
            int port = (data[off + ipLength] & 0xff) << 8 | data[off + ipLength + 1] & 0xff;
            if (port != 0) {
                out.add(new Endpoint(Arrays.copyOfRange(data, off, off + ipLength), port));
            }
        }
        return out;
    }

    /** The textual address: dotted quad, or RFC 5952 IPv6 (lower case, longest run of zero groups as {@code ::}). */
    public String host() {
        if (isV4()) {
            return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (ip[2 * i] & 0xff) << 8 | ip[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        var sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /**
     * The numeric form of an address whose host is an IPv4 or IPv6 literal; empty for a host name or anything
     * else that is not a literal, since only numeric addresses can be exchanged in compact form.
     */
    public static java.util.Optional<Endpoint> of(PeerAddress address) {
        byte[] ip = address.host().indexOf(':') >= 0 ? ipv6(address.host()) : ipv4(address.host());
        return ip == null ? java.util.Optional.empty() : java.util.Optional.of(new Endpoint(ip, address.port()));
    }

    private static byte[] ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = number(parts[i], 10, 3);
            if (v < 0 || v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] ipv6(String host) {
        int gap = host.indexOf("::");
        if (gap >= 0 && host.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String[] head = groups(gap >= 0 ? host.substring(0, gap) : host);
        String[] tail = gap >= 0 ? groups(host.substring(gap + 2)) : new String[0];
        if (head == null || tail == null || head.length + tail.length > (gap >= 0 ? 7 : 8)
                || gap < 0 && head.length != 8) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.length + tail.length; i++) {
            int v = number(i < head.length ? head[i] : tail[i - head.length], 16, 4);
            if (v < 0) {
                return null;
            }
            int group = i < head.length ? i : 8 - tail.length + (i - head.length);
            out[2 * group] = (byte) (v >>> 8);
            out[2 * group + 1] = (byte) v;
        }
        return out;
    }

    private static String[] groups(String text) {
        return text.isEmpty() ? new String[0] : text.split(":", -1);
    }

    /** The value of 1 to {@code maxDigits} digits in {@code radix}, or -1. */
    private static int number(String digits, int radix, int maxDigits) {
        if (digits.isEmpty() || digits.length() > maxDigits) {
            return -1;
        }
        int v = 0;
        for (char c : digits.toCharArray()) {
            int d = Character.digit(c, radix);
            if (d < 0) {
                return -1;
            }
            v = v * radix + d;
        }
        return v;
    }

    public PeerAddress toPeerAddress() {
        return new PeerAddress(host(), port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && e.port == port && Arrays.equals(e.ip, ip);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ip) * 31 + port;
    }

    @Override
    public String toString() {
        return toPeerAddress().toString();
    }
}
