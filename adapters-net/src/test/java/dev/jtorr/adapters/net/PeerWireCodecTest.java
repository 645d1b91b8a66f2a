package dev.jtorr.adapters.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.HashRange;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeerWireCodecTest {
    private static byte[] encode(PeerMessage m) throws IOException {
        var bytes = new ByteArrayOutputStream();
        PeerWireCodec.write(new DataOutputStream(bytes), m, new byte[16384]);
        assertEquals(PeerWireCodec.size(m), bytes.size(), "size() matches the bytes written");
        return bytes.toByteArray();
    }

    private static PeerMessage decode(byte[] bytes, int limit) throws IOException {
        return PeerWireCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)), limit);
    }

    @Test
    void everyMessageRoundTrips() throws IOException {
        byte[] data = new byte[16384];
        new SplittableRandom(1).nextBytes(data);
        var block = new BlockRequest(7, 16384, 16384);
        for (PeerMessage m : List.of(PeerMessage.KEEP_ALIVE, PeerMessage.CHOKE, PeerMessage.UNCHOKE,
                PeerMessage.INTERESTED, PeerMessage.NOT_INTERESTED, new PeerMessage.Have(3),
                new PeerMessage.Request(block), new PeerMessage.Cancel(block), new PeerMessage.Port(6881))) {
            assertEquals(m, decode(encode(m), 1 << 20));
        }
        var bits = (PeerMessage.Bitfield) decode(encode(new PeerMessage.Bitfield(new byte[] {(byte) 0xa0})), 100);
        assertArrayEquals(new byte[] {(byte) 0xa0}, bits.bits());
        var piece = (PeerMessage.Piece) decode(encode(new PeerMessage.Piece(2, 0, ByteBuffer.wrap(data))), 1 << 20);
        byte[] got = new byte[piece.data().remaining()];
        piece.data().get(got);
        assertArrayEquals(data, got);
        assertEquals(new BlockRequest(2, 0, 16384), piece.block());
    }

    @Test
    void fastExtensionMessagesRoundTripInBep6sForm() throws IOException {
        var block = new BlockRequest(5, 32768, 16384);
        for (PeerMessage m : List.of(PeerMessage.HAVE_ALL, PeerMessage.HAVE_NONE, new PeerMessage.SuggestPiece(9),
                new PeerMessage.RejectRequest(block), new PeerMessage.AllowedFast(1_000_000))) {
            assertEquals(m, decode(encode(m), 1 << 20));
        }
        assertArrayEquals(new byte[] {0, 0, 0, 1, 0x0e}, encode(PeerMessage.HAVE_ALL));
        assertArrayEquals(new byte[] {0, 0, 0, 1, 0x0f}, encode(PeerMessage.HAVE_NONE));
        assertArrayEquals(new byte[] {0, 0, 0, 5, 0x0d, 0, 0, 1, 2}, encode(new PeerMessage.SuggestPiece(258)));
        assertArrayEquals(new byte[] {0, 0, 0, 5, 0x11, 0, 0, 0, 7}, encode(new PeerMessage.AllowedFast(7)));
        assertArrayEquals(new byte[] {0, 0, 0, 13, 0x10, 0, 0, 0, 5, 0, 0, (byte) 0x80, 0, 0, 0, 0x40, 0},
                encode(new PeerMessage.RejectRequest(block)));
    }

    @Test
    void malformedFastExtensionMessagesAreTypedErrors() {
        // have all with a payload; allowed fast of 3 bytes; suggest of 5 bytes; a reject of a negative length
        assertThrows(WireProtocolException.class, () -> decode(new byte[] {0, 0, 0, 2, 0x0e, 0}, 100));
        assertThrows(WireProtocolException.class, () -> decode(new byte[] {0, 0, 0, 4, 0x11, 0, 0, 0}, 100));
        assertThrows(WireProtocolException.class, () -> decode(new byte[] {0, 0, 0, 6, 0x0d, 0, 0, 0, 0, 0}, 100));
        assertThrows(WireProtocolException.class, () -> decode(new byte[] {0, 0, 0, 13, 0x10, 0, 0, 0, 1, 0, 0, 0,
            0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 100));
        // a length prefix over the limit is refused before the payload is read, as for every message we store
        assertThrows(WireProtocolException.class, () -> decode(new byte[] {0, 1, 0, 0, 0x0f}, 100));
    }

    private static final Digest ROOT = new Digest(new byte[32]);

    @Test
    void hashMessagesRoundTripInBep52Form() throws IOException {
        var range = new HashRange(Digest.ofHex("ab".repeat(32)), 3, 512, 512, 12);
        byte[] hashes = new byte[(512 + range.uncleCount()) * 32];
        new SplittableRandom(2).nextBytes(hashes);
        for (PeerMessage m : List.of(new PeerMessage.HashRequest(range), new PeerMessage.HashReject(range),
                new PeerMessage.Hashes(range, hashes))) {
            assertEquals(m, decode(encode(m), PeerWireCodec.MAX_PIECE_MESSAGE));
        }
        byte[] request = encode(new PeerMessage.HashRequest(new HashRange(ROOT, 2, 4, 2, 7)));
        assertEquals(4 + 49, request.length);
        assertArrayEquals(new byte[] {0, 0, 0, 49, 21}, java.util.Arrays.copyOf(request, 5));
        assertArrayEquals(new byte[] {0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 7},
                java.util.Arrays.copyOfRange(request, 37, 53));
        assertEquals(23, encode(new PeerMessage.HashReject(new HashRange(ROOT, 0, 0, 2, 0)))[4]);
    }

    @Test
    void malformedHashMessagesAreTypedErrors() throws IOException {
        // a request of 48 bytes (a field short), one with a negative index
        assertThrows(WireProtocolException.class, () -> decode(hashMessage(21, 48, 0, 0, 2, 0, 0), 100));
        assertThrows(WireProtocolException.class, () -> decode(hashMessage(21, 49, 0, -2, 2, 0, 0), 100));
        // hashes with a piece of a hash; with too few hashes for length and proof layers; with too many; over the cap
        assertThrows(WireProtocolException.class, () -> decode(hashMessage(22, 49 + 40, 0, 0, 2, 0, 0), 100));
        assertThrows(WireProtocolException.class, () -> decode(hashMessage(22, 49 + 64, 0, 0, 2, 3, 2), 1000));
        assertThrows(WireProtocolException.class, () -> decode(hashMessage(22, 49 + 96, 0, 0, 2, 0, 3), 1000));
        assertThrows(WireProtocolException.class, () -> decode(hashMessage(22, 49 + 1024 * 32, 0, 0, 1024, 0, 1024),
                PeerWireCodec.MAX_PIECE_MESSAGE));
        // a request BEP 52 frowns on still decodes, so that it can be answered with a hash reject
        var odd = (PeerMessage.HashRequest) decode(hashMessage(21, 49, 0, 3, 1000, 0, 0), 100);
        assertEquals(1000, odd.range().length());
        // a hashes message longer than a block is within its own limit
        var big = decode(hashMessage(22, 49 + (512 + 4) * 32, 0, 0, 512, 12, 512 + 4), PeerWireCodec.MAX_PIECE_MESSAGE);
        assertEquals(512 + 4, ((PeerMessage.Hashes) big).hashes().length / 32);
    }

    private static byte[] hashMessage(int id, int length, int base, int index, int count, int proof, int hashes) {
        ByteBuffer b = ByteBuffer.allocate(4 + Math.max(length, 49 + hashes * 32));
        b.putInt(length).put((byte) id).put(new byte[32]).putInt(base).putInt(index).putInt(count).putInt(proof);
        return java.util.Arrays.copyOf(b.array(), 4 + length);
    }

    @Test
    void wireBytesFollowBep3() throws IOException {
        assertArrayEquals(new byte[] {0, 0, 0, 5, 4, 0, 0, 1, 0}, encode(new PeerMessage.Have(256)));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, encode(PeerMessage.KEEP_ALIVE));
    }

    @Test
    void lengthPrefixesOverTheLimitAreRefusedBeforeAllocating() {
        byte[] huge = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 7};
        var e = assertThrows(WireProtocolException.class, () -> decode(huge, PeerWireCodec.MAX_PIECE_MESSAGE));
        assertTrue(e.getMessage().contains("over the limit"), e.getMessage());
        assertThrows(WireProtocolException.class, () -> decode(new byte[] {(byte) 0xff, 0, 0, 0, 7}, 1000));
    }

    @Test
    void malformedMessagesAreTypedErrors() {
        // have with 3 bytes of payload; request with a negative length; piece without data; unknown id skipped
        assertThrows(WireProtocolException.class, () -> decode(new byte[] {0, 0, 0, 4, 4, 0, 0, 0}, 100));
        assertThrows(WireProtocolException.class, () -> decode(new byte[] {0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0, 0,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 100));
        assertThrows(WireProtocolException.class, () -> decode(new byte[] {0, 0, 0, 9, 7, 0, 0, 0, 1, 0, 0, 0, 0},
                100));
        assertThrows(IOException.class, () -> decode(new byte[] {0, 0, 0, 5, 4, 0}, 100), "truncated");
    }

    @Test
    void unknownMessagesAreSkipped() throws IOException {
        var m = decode(new byte[] {0, 0, 0, 3, 30, 1, 2}, 100);
        assertEquals(new PeerMessage.Unknown(30, 2), m);
    }

    @Test
    void extensionMessagesFollowBep10AndAreBounded() throws IOException {
        // length 5: id 20, extended id 3, three bytes of payload
        assertArrayEquals(new byte[] {0, 0, 0, 5, 20, 3, 'a', 'b', 'c'},
                encode(new PeerMessage.Extended(3, new byte[] {'a', 'b', 'c'})));
        byte[] payload = new byte[40_000]; // longer than a torrent's usual message limit: a metadata piece and more
        new SplittableRandom(3).nextBytes(payload);
        var back = (PeerMessage.Extended) decode(encode(new PeerMessage.Extended(0, payload)), 100);
        assertEquals(0, back.extendedId());
        assertArrayEquals(payload, back.payload());
        byte[] tooLong = {0, 4, 0, 2, 20, 1};
        assertThrows(WireProtocolException.class, () -> decode(tooLong, 100));
        assertThrows(WireProtocolException.class, () -> decode(new byte[] {0, 0, 0, 1, 20}, 100));
    }

    @Test
    void handshakesRoundTripAndForeignProtocolsAreRefused() throws IOException {
        var ours = Handshake.ours(new Digest(new byte[20]), PeerId.generate(new SplittableRandom(2)));
        var bytes = new ByteArrayOutputStream();
        PeerWireCodec.writeHandshake(new DataOutputStream(bytes), ours);
        assertEquals(Handshake.LENGTH, bytes.size());
        var back = PeerWireCodec.readHandshake(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(ours.peerId(), back.peerId());
        assertEquals(ours.infoHash(), back.infoHash());
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3).getBytes();
        assertThrows(WireProtocolException.class,
                () -> PeerWireCodec.readHandshake(new DataInputStream(new ByteArrayInputStream(http))));
    }
}
