package dev.jtorr.application.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BEP 10's handshake and routing: our ids by place, theirs from their handshake, bad handshakes refused. */
class ExtensionsTest {
    private final List<String> log = new ArrayList<>();

    private Extension named(String name) {
        return new Extension() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void peerSupports(ExtensionPeer peer) {
                log.add(name + " supported");
            }

            @Override
            public void received(ExtensionPeer peer, byte[] payload) {
                log.add(name + " got " + new String(payload, StandardCharsets.US_ASCII));
            }
        };
    }

    private final ExtensionPeer peer = new ExtensionPeer() {
        public PeerAddress address() {
            return new PeerAddress("127.0.0.1", 1);
        }

        public boolean supports(String extension) {
            return false;
        }

        public BDictionary handshake() {
            return BDictionary.builder().build();
        }

        public void send(String extension, byte[] payload) {
        }

        public void close(String reason) {
        }
    };

    private static PeerMessage.Extended message(int id, String payload) {
        return new PeerMessage.Extended(id, payload.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void ourHandshakeNumbersTheExtensionsInOrder() {
        var ours = new Extensions(List.of(named("ut_metadata"), named("ut_pex")));
        var d = (BDictionary) BencodeDecoder.decode(ours.handshake().payload());
        assertEquals(1, d.getDictionary("m").orElseThrow().getInteger("ut_metadata").orElseThrow().value());
        assertEquals(2, d.getDictionary("m").orElseThrow().getInteger("ut_pex").orElseThrow().value());
        assertFalse(Extensions.none().any());
    }

    @Test
    void theirHandshakeMapsNamesToTheirIdsAndMessagesGoToOurs() {
        var ours = new Extensions(List.of(named("ut_metadata"), named("ut_pex")));
        var state = new Extensions.PeerState();
        // keys out of order, an unknown extension, ut_pex under their id 7
        ours.received(state, peer, message(0, "d1:md6:ut_pexi7e11:ut_metadatai3e5:xx_yyi9eee"));
        assertEquals(List.of("ut_metadata supported", "ut_pex supported"), log);
        assertEquals(7, state.id("ut_pex"));
        assertEquals(3, state.id("ut_metadata"));
        ours.received(state, peer, message(2, "hello")); // our id 2: ut_pex
        ours.received(state, peer, message(9, "nobody")); // no extension of ours has id 9
        assertEquals("ut_pex got hello", log.getLast());
        ours.received(state, peer, message(0, "d1:md6:ut_pexi0eee")); // id 0 takes ut_pex back
        assertFalse(state.supports("ut_pex"));
        assertTrue(state.supports("ut_metadata"));
    }

    @Test
    void aHandshakeThatIsNotADictionaryIsRefused() {
        var ours = new Extensions(List.of(named("ut_pex")));
        var state = new Extensions.PeerState();
        assertThrows(InvalidDataException.class, () -> ours.received(state, peer, message(0, "i3e")));
        assertThrows(InvalidDataException.class, () -> ours.received(state, peer, message(0, "d1:m")));
        assertEquals(List.of(), log);
    }

    @Test
    void ourHandshakeSaysPortQueueClientTheirAddressAndWhatExtensionsAdd() {
        var ours = new Extensions(List.of(new MetadataServing(MetadataServingTest.bytes(new byte[40_000]))),
                new Extensions.Ours("jtorr", 6881, 2000));
        var d = (BDictionary) BencodeDecoder.decode(ours.handshake(new PeerAddress("10.1.2.3", 5000)).payload());
        assertEquals(6881, d.getInteger("p").orElseThrow().value());
        assertEquals(2000, d.getInteger("reqq").orElseThrow().value());
        assertEquals("jtorr", d.getString("v").orElseThrow().text());
        assertEquals(40_000, d.getInteger("metadata_size").orElseThrow().value());
        assertArrayEquals(new byte[] {10, 1, 2, (byte) 3}, d.getString("yourip").orElseThrow().bytes());
        var named = (BDictionary) BencodeDecoder.decode(ours.handshake(new PeerAddress("seed.example", 1)).payload());
        assertFalse(named.containsKey("yourip"), "no yourip for a peer known by name");
    }

    @Test
    void theirPortQueueAndClientAreRead() {
        var ours = new Extensions(List.of(named("ut_pex")));
        var state = new Extensions.PeerState();
        ours.received(state, peer, message(0, "d1:md6:ut_pexi1ee1:pi51413e4:reqqi250e1:v5:Other6:yourip4:\1\2\3\4e"));
        assertEquals(java.util.OptionalInt.of(51413), state.listenPort());
        assertEquals(java.util.OptionalInt.of(250), state.requestQueue());
        assertEquals(java.util.Optional.of("Other"), state.client());
        ours.received(state, peer, message(0, "d1:pi70000e4:reqqi-1ee")); // nonsense values are not taken
        assertEquals(java.util.OptionalInt.empty(), state.listenPort());
        assertEquals(java.util.OptionalInt.empty(), state.requestQueue());
        assertTrue(state.supports("ut_pex"), "a handshake without m keeps the ids");
    }

    @Test
    void anMThatIsNotADictionaryIsAProtocolError() {
        var ours = new Extensions(List.of(named("ut_pex")));
        assertThrows(InvalidDataException.class,
                () -> ours.received(new Extensions.PeerState(), peer, message(0, "d1:mi3ee")));
    }
}
