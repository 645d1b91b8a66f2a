package dev.jtorr.domain.dht;

import dev.jtorr.domain.peer.PeerAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact forms of BEP 5 for IPv4: a peer is 4 address bytes and a big-endian port (6 bytes), a node is its
 * 20-byte id followed by a compact peer (26 bytes). Hosts that are not IPv4 literals have no compact form.
 */
public final class Compact {
    public static final int PEER = 6;
    public static final int NODE = NodeId.LENGTH + PEER;

    private Compact() {
    }

    /** The four bytes of a dotted-quad IPv4 literal, or null when the host is not one. */
    public static byte[] ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    public static boolean encodable(PeerAddress address) {
        return ipv4(address.host()) != null;
    }

    static void putPeer(PeerAddress address, byte[] out, int at) {
        byte[] ip = ipv4(address.host());
        if (ip == null) {
            throw new IllegalArgumentException("no compact form for " + address);
        }
        System.arraycopy(ip, 0, out, at, 4);
        out[at + 4] = (byte) (address.port() >>> 8);
        out[at + 5] = (byte) address.port();
    }

    public static byte[] peer(PeerAddress address) {
        byte[] out = new byte[PEER];
        putPeer(address, out, 0);
        return out;
    }

    /** A compact peer, or null when its port is 0 (which no one can be reached on). */
    public static PeerAddress peer(byte[] in, int at) {
        int port = (in[at + 4] & 0xff) << 8 | in[at + 5] & 0xff;
        if (port == 0) {
            return null;
        }
        String host = (in[at] & 0xff) + "." + (in[at + 1] & 0xff) + "." + (in[at + 2] & 0xff) + "."
                + (in[at + 3] & 0xff);
        return new PeerAddress(host, port);
    }

    /** The contacts that have a compact form, concatenated. */
    public static byte[] nodes(List<Contact> contacts) {
        List<Contact> usable = contacts.stream().filter(c -> encodable(c.address())).toList();
        byte[] out = new byte[usable.size() * NODE];
        for (int i = 0; i < usable.size(); i++) {
            System.arraycopy(usable.get(i).id().bytes(), 0, out, i * NODE, NodeId.LENGTH);
            putPeer(usable.get(i).address(), out, i * NODE + NodeId.LENGTH);
        }
        return out;
    }

    /** @throws KrpcException when the length is not a whole number of nodes */
    public static List<Contact> nodes(byte[] in) {
        if (in.length % NODE != 0) {
            throw new KrpcException("compact nodes of " + in.length + " bytes, not a multiple of 26");
        }
        List<Contact> out = new ArrayList<>(in.length / NODE);
        for (int at = 0; at < in.length; at += NODE) {
            byte[] id = new byte[NodeId.LENGTH];
            System.arraycopy(in, at, id, 0, NodeId.LENGTH);
            PeerAddress a = peer(in, at + NodeId.LENGTH);
            if (a != null) {
                out.add(new Contact(new NodeId(id), a));
            }
        }
        return out;
    }
}
