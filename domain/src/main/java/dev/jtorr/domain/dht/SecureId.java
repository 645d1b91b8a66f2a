package dev.jtorr.domain.dht;

import dev.jtorr.domain.peer.PeerAddress;
import java.util.random.RandomGenerator;

/**
 * Node ids tied to IP addresses (BEP 42): the first 21 bits of a secure id are the CRC-32C of the node's masked
 * external address combined with a number {@code r} from 0 to 7, and the id's last byte carries {@code r} in its low
 * three bits. So a host controls only a few ids, and cannot pick one next to an info-hash it wants to watch or hide.
 * Addresses on local networks (10/8, 172.16/12, 192.168/16, 169.254/16, 127/8; IPv6 loopback, unique-local fc00::/7
 * and link-local fe80::/10) are exempt: any id is fine there. This node speaks IPv4; other hosts that are not local
 * IPv6 literals cannot be checked and count as not secure. Stateless.
 */
public final class SecureId {
    private static final byte[] V4_MASK = {0x03, 0x0f, 0x3f, (byte) 0xff};
    private static final byte[] V6_MASK = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff};

    private SecureId() {
    }

    /** The CRC-32C that the first 21 bits of an id for this address (4 or 16 bytes) and {@code r} must match. */
    static int prefix(byte[] ip, int r) {
        byte[] mask = ip.length == 4 ? V4_MASK : V6_MASK;
        byte[] masked = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            masked[i] = (byte) (ip[i] & mask[i]);
        }
        masked[0] |= (byte) ((r & 7) << 5);
        return Crc32c.of(masked, 0, masked.length);
    }

    /** A random id that is secure for this external address (4 bytes IPv4, or 16 bytes IPv6). */
    public static NodeId generate(byte[] ip, RandomGenerator random) {
        return generate(ip, random.nextInt(256), random);
    }

    /** An id secure for this address whose last byte is {@code last} (its low three bits are {@code r}). */
    static NodeId generate(byte[] ip, int last, RandomGenerator random) {
        if (ip.length != 4 && ip.length != 16) {
            throw new IllegalArgumentException("an IP address is 4 or 16 bytes, not " + ip.length);
        }
        byte[] id = new byte[NodeId.LENGTH];
        random.nextBytes(id);
        id[NodeId.LENGTH - 1] = (byte) last;
        int crc = prefix(ip, last & 7);
        id[0] = (byte) (crc >>> 24);
        id[1] = (byte) (crc >>> 16);
        id[2] = (byte) ((crc >>> 8) & 0xf8 | id[2] & 0x07);
        return new NodeId(id);
    }

    /** Whether this id is secure for this address (4 or 16 bytes); local addresses are not special here. */
    static boolean matches(NodeId id, byte[] ip) {
        byte[] b = id.bytes();
        int crc = prefix(ip, b[NodeId.LENGTH - 1] & 7);
        int top21 = (b[0] & 0xff) << 13 | (b[1] & 0xff) << 5 | (b[2] & 0xff) >>> 3;
        return top21 == crc >>> 11;
    }

    /** Whether a node of this id at this address is acceptable under BEP 42: a secure id, or a local address. */
    public static boolean isSecure(NodeId id, PeerAddress address) {
        String host = address.host();
        byte[] ip = Compact.ipv4(host);
        if (ip != null) {
            return isLocal(ip) || matches(id, ip);
        }
        return isLocalIpv6(host);
    }

    /** Whether an IPv4 address is on a local network, where BEP 42 does not apply. */
    public static boolean isLocal(byte[] ip) {
        int a = ip[0] & 0xff;
        int b = ip[1] & 0xff;
        return a == 10 || a == 127 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)
                || (a == 169 && b == 254);
    }

    private static boolean isLocalIpv6(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        int zone = h.indexOf('%');
        if (zone >= 0) {
            h = h.substring(0, zone);
        }
        if (h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        int colon = h.indexOf(':');
        if (colon < 3 || colon > 4) {
            return false; // the first group has fewer than 3 hex digits: not fc00::/7 nor fe80::/10
        }
        int first;
        try {
            first = Integer.parseInt(h.substring(0, colon), 16);
        } catch (NumberFormatException e) {
            return false;
        }
        return (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80;
    }
}
