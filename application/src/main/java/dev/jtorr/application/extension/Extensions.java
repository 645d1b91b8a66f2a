package dev.jtorr.application.extension;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BInteger;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.bencode.BencodeException;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.PeerMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The BEP 10 extension protocol of one torrent: the extensions registered with it, our extension handshake (each
 * extension's id is its place in the list, from 1), and the routing of what peers send: their handshake tells which
 * of their ids stands for which name; every other message goes to the extension we gave its id. With no extension
 * registered, nothing is offered and every extension message is ignored. Engine thread.
 */
public final class Extensions {
    /** An extension handshake is a small dictionary; a bigger one is refused before it is parsed. */
    private static final int MAX_HANDSHAKE = 64 * 1024;
    private static final BencodeLimits LIMITS = new BencodeLimits(MAX_HANDSHAKE, 16, 10_000);

    private final List<Extension> extensions;
    private final Ours ours;

    /**
     * What our extension handshake says besides the extensions (BEP 10).
     *
     * @param client       {@code v}: our name and version
     * @param port         {@code p}: the port we listen on, 0 to leave it out
     * @param requestQueue {@code reqq}: requests a peer may have queued with us before we drop any, 0 to leave it out
     */
    public record Ours(String client, int port, int requestQueue) {
        public static final Ours PLAIN = new Ours("jtorr", 0, 0);
    }

    public Extensions(List<Extension> extensions) {
        this(extensions, Ours.PLAIN);
    }

    public Extensions(List<Extension> extensions, Ours ours) {
        this.extensions = List.copyOf(extensions);
        this.ours = ours;
    }

    public static Extensions none() {
        return new Extensions(List.of());
    }

    /** Whether any extension is registered, so that we say so in our handshake and send our extension handshake. */
    public boolean any() {
        return !extensions.isEmpty();
    }

    /** Our extension handshake (message 0) without {@code yourip}. */
    public PeerMessage.Extended handshake() {
        return handshake(null, false);
    }

    /** Our extension handshake (message 0) to {@code to}, while we still download. */
    public PeerMessage.Extended handshake(PeerAddress to) {
        return handshake(to, false);
    }

    /**
     * Our extension handshake (message 0), sent to every peer that speaks the extension protocol: the extensions by
     * id, {@code v}, {@code p}, {@code reqq}, the peer's address as we see it ({@code yourip}, for an IPv4 peer),
     * {@code upload_only} (BEP 21) when we want nothing more, and what each extension adds (ut_metadata its
     * {@code metadata_size}).
     *
     * @param uploadOnly whether we have every piece we want (and so only upload)
     */
    public PeerMessage.Extended handshake(PeerAddress to, boolean uploadOnly) {
        var m = BDictionary.builder();
        for (int i = 0; i < extensions.size(); i++) {
            m.put(extensions.get(i).name(), BInteger.of(i + 1));
        }
        var d = BDictionary.builder().put("m", m.build()).put("v", ours.client());
        if (ours.port() > 0) {
            d.put("p", ours.port());
        }
        if (ours.requestQueue() > 0) {
            d.put("reqq", ours.requestQueue());
        }
        byte[] ip = to == null ? null : ipv4(to.host());
        if (ip != null) {
            d.put("yourip", ip);
        }
        if (uploadOnly) {
            d.put("upload_only", 1);
        }
        extensions.forEach(e -> e.handshake(d));
        return new PeerMessage.Extended(0, BencodeEncoder.encode(d.build()));
    }

    /** The four bytes of a dotted IPv4 literal, or null for anything else (names, IPv6). */
    public static byte[] ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** What one connection knows of the peer's extensions: its name-to-id map and the rest of its handshake. */
    public static final class PeerState {
        private final Map<String, Integer> ids = new HashMap<>();
        private BDictionary handshake = BDictionary.builder().build();
        private int requestQueue;

        public boolean supports(String name) {
            return ids.containsKey(name);
        }

        /** The peer's id for {@code name}, or -1. */
        public int id(String name) {
            return ids.getOrDefault(name, -1);
        }

        /** The peer's last extension handshake (empty before it sent one), for the keys extensions read. */
        public BDictionary handshake() {
            return handshake;
        }

        /** {@code v}: the peer's client, if it said. */
        public Optional<String> client() {
            return handshake.getString("v").map(BString::text);
        }

        /** {@code p}: the port the peer listens on, if it said and it is a port. */
        public OptionalInt listenPort() {
            return handshake.getInteger("p").filter(n -> n.value() > 0 && n.value() <= 65535)
                    .map(n -> OptionalInt.of((int) n.value())).orElse(OptionalInt.empty());
        }

        /** BEP 21: whether the peer's last handshake said {@code upload_only} (a seed, or done with what it wants). */
        public boolean uploadOnly() {
            return handshake.getInteger("upload_only").filter(n -> n.value() != 0).isPresent();
        }

        /** {@code reqq}: requests the peer queues before dropping any, if it said (and it is positive). */
        public OptionalInt requestQueue() {
            return requestQueue > 0 ? OptionalInt.of(requestQueue) : OptionalInt.empty();
        }

        /** {@code reqq}, or {@code otherwise} when the peer did not say: read per block, so kept as a number. */
        public int requestQueueOr(int otherwise) {
            return requestQueue > 0 ? requestQueue : otherwise;
        }
    }

    /**
     * A message from {@code peer}.
     *
     * @throws InvalidDataException for an extension handshake that is not a bencoded dictionary
     */
    public void received(PeerState state, ExtensionPeer peer, PeerMessage.Extended message) {
        if (message.extendedId() == 0) {
            handshakeFrom(state, peer, message.payload());
            return;
        }
        int index = message.extendedId() - 1;
        if (index < extensions.size()) {
            extensions.get(index).received(peer, message.payload());
        }
    }

    private void handshakeFrom(PeerState state, ExtensionPeer peer, byte[] payload) {
        BValue decoded;
        try {
            decoded = BencodeDecoder.decodeAnyKeyOrder(payload, LIMITS); // peers are not all canonical
        } catch (BencodeException e) {
            throw new InvalidDataException("bad extension handshake: " + e.getMessage());
        }
        if (!(decoded instanceof BDictionary d)) {
            throw new InvalidDataException("the extension handshake is not a dictionary");
        }
        if (d.get("m").isPresent() && d.getDictionary("m").isEmpty()) {
            throw new InvalidDataException("the extension handshake's m is not a dictionary");
        }
        // BEP 10: a later handshake updates the map; id 0 takes a name back; the other keys are replaced
        state.handshake = d;
        state.requestQueue = d.getInteger("reqq").filter(n -> n.value() > 0)
                .map(n -> (int) Math.min(n.value(), Integer.MAX_VALUE)).orElse(0);
        d.getDictionary("m").ifPresent(m -> m.entries().forEach((name, id) -> {
            if (id instanceof BInteger n && n.value() > 0 && n.value() <= 255) {
                state.ids.put(name.text(), (int) n.value());
            } else if (id instanceof BInteger n && n.value() == 0) {
                state.ids.remove(name.text());
            }
        }));
        for (Extension e : extensions) {
            if (state.supports(e.name())) {
                e.peerSupports(peer);
            }
        }
    }

    /** {@code peer} is gone: every extension hears of it. */
    public void left(ExtensionPeer peer) {
        extensions.forEach(e -> e.peerLeft(peer));
    }
}
