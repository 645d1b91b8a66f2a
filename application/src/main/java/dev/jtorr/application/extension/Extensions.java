package dev.jtorr.application.extension;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BInteger;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.bencode.BencodeException;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.wire.PeerMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final byte[] handshake;

    public Extensions(List<Extension> extensions) {
        this.extensions = List.copyOf(extensions);
        var m = BDictionary.builder();
        for (int i = 0; i < this.extensions.size(); i++) {
            m.put(this.extensions.get(i).name(), BInteger.of(i + 1));
        }
        this.handshake = BencodeEncoder.encode(BDictionary.builder().put("m", m.build()).put("v", "jtorr").build());
    }

    public static Extensions none() {
        return new Extensions(List.of());
    }

    /** Whether any extension is registered, so that we say so in our handshake and send our extension handshake. */
    public boolean any() {
        return !extensions.isEmpty();
    }

    /** Our extension handshake (message 0), sent to every peer that speaks the extension protocol. */
    public PeerMessage.Extended handshake() {
        return new PeerMessage.Extended(0, handshake);
    }

    /** What one connection knows of the peer's extensions: its name-to-id map, from its handshake. */
    public static final class PeerState {
        private final Map<String, Integer> ids = new HashMap<>();

        public boolean supports(String name) {
            return ids.containsKey(name);
        }

        /** The peer's id for {@code name}, or -1. */
        public int id(String name) {
            return ids.getOrDefault(name, -1);
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
        // BEP 10: a later handshake updates the map; id 0 takes a name back
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
