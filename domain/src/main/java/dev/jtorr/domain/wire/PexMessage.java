package dev.jtorr.domain.wire;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.bencode.BencodeException;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.tracker.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A BEP 11 {@code ut_pex} message: the peers the sender connected to ({@code added}, {@code added6}, each with a
 * flags byte in {@code added.f} / {@code added6.f}) and disconnected from ({@code dropped}, {@code dropped6}) since
 * its last message, as compact 6-byte (IPv4) and 18-byte (IPv6) entries.
 *
 * @param added   peers connected to, with their flags
 * @param dropped peers disconnected from
 */
public record PexMessage(List<Added> added, List<Endpoint> dropped) {
    /** Peers read per list of a message; a peer that sends more has the rest ignored. */
    public static final int MAX_PEERS = 50;
    /** A message larger than this is a flood, not an exchange: a protocol error. */
    public static final int MAX_BYTES = 16 * 1024;
    private static final BencodeLimits LIMITS = new BencodeLimits(MAX_BYTES, 4, 64);

    /** BEP 11 flags of an added peer. */
    public static final int PREFERS_ENCRYPTION = 0x01;
    public static final int SEED = 0x02;
    public static final int UTP = 0x04;
    public static final int HOLEPUNCH = 0x08;
    public static final int REACHABLE = 0x10;

    /** @param flags the BEP 11 flags byte (0-255) */
    public record Added(Endpoint peer, int flags) {
        public Added {
            if (flags < 0 || flags > 255) {
                throw new IllegalArgumentException("flags " + flags);
            }
        }

        public boolean seed() {
            return (flags & SEED) != 0;
        }
    }

    public PexMessage {
        added = List.copyOf(added);
        dropped = List.copyOf(dropped);
    }

    /** The message's bytes, as carried in a BEP 10 extended message; the lists are sent as given. */
    public byte[] encode() {
        var d = BDictionary.builder();
        for (boolean v6 : new boolean[] {false, true}) {
            var peers = added.stream().filter(a -> a.peer().isV4() != v6).toList();
            byte[] flags = new byte[peers.size()];
            for (int i = 0; i < flags.length; i++) {
                flags[i] = (byte) peers.get(i).flags();
            }
            String key = v6 ? "added6" : "added";
            d.put(key, compact(peers.stream().map(Added::peer).toList(), v6));
            d.put(key + ".f", flags);
            d.put(v6 ? "dropped6" : "dropped", compact(dropped.stream().filter(e -> e.isV4() != v6).toList(), v6));
        }
        return BencodeEncoder.encode(d.build());
    }

    private static byte[] compact(List<Endpoint> peers, boolean v6) {
        byte[] out = new byte[peers.size() * (v6 ? Endpoint.COMPACT_V6 : Endpoint.COMPACT_V4)];
        int off = 0;
        for (Endpoint e : peers) {
            off = e.writeCompact(out, off);
        }
        return out;
    }

    /**
     * Reads a message; missing keys are empty lists, and past {@link #MAX_PEERS} per list the entries are ignored.
     * A flag list shorter than its peers gives the rest no flags.
     *
     * @throws InvalidDataException when the payload is not a BEP 11 message (the peer broke the protocol)
     */
    public static PexMessage decode(byte[] payload) {
        if (payload.length > MAX_BYTES) {
            throw new InvalidDataException("ut_pex message of " + payload.length + " bytes, more than " + MAX_BYTES);
        }
        BValue value;
        try {
            value = BencodeDecoder.decodeAnyKeyOrder(payload, LIMITS); // peers are not all canonical
        } catch (BencodeException e) {
            throw new InvalidDataException("bad ut_pex message: " + e.getMessage());
        }
        if (!(value instanceof BDictionary d)) {
            throw new InvalidDataException("ut_pex message is not a dictionary");
        }
        var added = new ArrayList<Added>();
        addFlagged(added, bytes(d, "added"), bytes(d, "added.f"), Endpoint.COMPACT_V4);
        addFlagged(added, bytes(d, "added6"), bytes(d, "added6.f"), Endpoint.COMPACT_V6);
        var dropped = new ArrayList<Endpoint>();
        dropped.addAll(first(Endpoint.parseCompact(bytes(d, "dropped"), Endpoint.COMPACT_V4)));
        dropped.addAll(first(Endpoint.parseCompact(bytes(d, "dropped6"), Endpoint.COMPACT_V6)));
        return new PexMessage(first(added), first(dropped));
    }

    private static void addFlagged(List<Added> out, byte[] peers, byte[] flags, int size) {
        if (peers.length % size != 0) {
            throw new InvalidDataException("ut_pex peer list of " + peers.length + " bytes is not a multiple of "
                    + size);
        }
        for (int i = 0, off = 0; off < peers.length; i++, off += size) {
            int port = (peers[off + size - 2] & 0xff) << 8 | peers[off + size - 1] & 0xff;
            if (port != 0) { // cannot be dialled
                byte[] ip = java.util.Arrays.copyOfRange(peers, off, off + size - 2);
                out.add(new Added(new Endpoint(ip, port), i < flags.length ? flags[i] & 0xff : 0));
            }
        }
    }

    private static <T> List<T> first(List<T> list) {
        return list.size() > MAX_PEERS ? list.subList(0, MAX_PEERS) : list;
    }

    private static byte[] bytes(BDictionary d, String key) {
        Optional<BValue> v = d.get(key);
        if (v.isEmpty()) {
            return new byte[0];
        }
        if (!(v.get() instanceof BString s)) {
            throw new InvalidDataException("ut_pex " + key + " is not a string");
        }
        return s.bytes();
    }
}
