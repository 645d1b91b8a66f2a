package dev.jtorr.application.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.MetadataMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** BEP 9 serving: 16 KiB pieces of our info dictionary, rejects past its end and for a peer that asks too often. */
class MetadataServingTest {
    private final byte[] info = new byte[2 * MetadataMessage.PIECE + 10];
    private final List<MetadataMessage> sent = new ArrayList<>();
    private final ExtensionPeer peer = new ExtensionPeer() {
        public PeerAddress address() {
            return new PeerAddress("127.0.0.1", 1);
        }

        public boolean supports(String extension) {
            return true;
        }

        public BDictionary handshake() {
            return BDictionary.builder().build();
        }

        public void send(String extension, byte[] payload) {
            assertEquals("ut_metadata", extension);
            sent.add(MetadataMessage.decode(payload));
        }

        public void close(String reason) {
        }
    };

    MetadataServingTest() {
        new Random(3).nextBytes(info);
    }

    @Test
    void answersEachPieceAndRejectsPastTheEnd() {
        var serving = new MetadataServing(bytes(info));
        for (int p = 0; p < 4; p++) {
            serving.received(peer, new MetadataMessage.Request(p).encode());
        }
        var last = assertInstanceOf(MetadataMessage.Data.class, sent.get(2));
        assertEquals(info.length, last.totalSize());
        assertArrayEquals(Arrays.copyOfRange(info, 2 * MetadataMessage.PIECE, info.length), last.data());
        assertArrayEquals(Arrays.copyOf(info, MetadataMessage.PIECE),
                ((MetadataMessage.Data) sent.get(0)).data());
        assertEquals(new MetadataMessage.Reject(3), sent.get(3));
    }

    @Test
    void aPeerThatAsksOverAndOverIsRejected() {
        var serving = new MetadataServing(bytes(info));
        for (int i = 0; i < 100; i++) {
            serving.received(peer, new MetadataMessage.Request(0).encode());
        }
        assertEquals(12, sent.stream().filter(m -> m instanceof MetadataMessage.Data).count());
        assertEquals(new MetadataMessage.Reject(0), sent.getLast());
    }

    @Test
    void aMalformedRequestIsAProtocolErrorAndUnaskedDataIsIgnored() {
        var serving = new MetadataServing(bytes(info));
        assertThrows(InvalidDataException.class, () -> serving.received(peer, "d8:msg_typei0ee".getBytes()));
        serving.received(peer, new MetadataMessage.Data(0, 5, new byte[5]).encode());
        assertEquals(List.of(), sent);
    }

    static MetadataServing.InfoBytes bytes(byte[] info) {
        return new MetadataServing.InfoBytes() {
            @Override
            public int length() {
                return info.length;
            }

            @Override
            public byte[] slice(int from, int to) {
                return Arrays.copyOfRange(info, from, to);
            }
        };
    }
}
