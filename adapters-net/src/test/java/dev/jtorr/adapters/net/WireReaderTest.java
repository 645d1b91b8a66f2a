package dev.jtorr.adapters.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.wire.PeerMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireReaderTest {
    /** A channel that hands out at most {@code chunk} bytes per read, as a socket does, and counts reads. */
    private static final class Chunked implements ReadableByteChannel {
        private final byte[] bytes;
        private final int chunk;
        private int pos;
        int reads;
        long largestRequest;

        Chunked(byte[] bytes, int chunk) {
            this.bytes = bytes;
            this.chunk = chunk;
        }

        @Override
        public int read(ByteBuffer into) {
            reads++;
            largestRequest = Math.max(largestRequest, into.remaining());
            if (pos == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(into.remaining(), chunk), bytes.length - pos);
            into.put(bytes, pos, n);
            pos += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static byte[] wire(List<PeerMessage> messages) throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        for (PeerMessage m : messages) {
            PeerWireCodec.write(out, m, new byte[16384]);
        }
        return bytes.toByteArray();
    }

    private static List<PeerMessage> pieces(int n) {
        var out = new ArrayList<PeerMessage>();
        var random = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            byte[] data = new byte[16384];
            random.nextBytes(data);
            out.add(new PeerMessage.Piece(1, i * 16384, ByteBuffer.wrap(data)));
        }
        return out;
    }

    private static List<PeerMessage> readAll(WireReader reader, int expected) throws IOException {
        var got = new ArrayList<PeerMessage>();
        while (got.size() < expected) {
            var batch = reader.next().messages();
            assertTrue(!batch.isEmpty(), "a batch is never empty");
            got.addAll(batch);
        }
        return got;
    }

    private static void assertSameMessages(List<PeerMessage> sent, List<PeerMessage> got) {
        assertEquals(sent.size(), got.size());
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i) instanceof PeerMessage.Piece p) {
                var q = (PeerMessage.Piece) got.get(i);
                assertEquals(p.block(), q.block());
                assertEquals(p.data().duplicate().rewind(), q.data());
            } else if (sent.get(i) instanceof PeerMessage.Bitfield b) {
                assertArrayEquals(b.bits(), ((PeerMessage.Bitfield) got.get(i)).bits());
            } else {
                assertEquals(sent.get(i), got.get(i));
            }
        }
    }

    @Test
    void messagesSplitAnywhereAcrossReadsComeOutWholeAndInOrder() throws IOException {
        var sent = new ArrayList<PeerMessage>(List.of(PeerMessage.UNCHOKE, new PeerMessage.Have(9),
                PeerMessage.KEEP_ALIVE, new PeerMessage.Request(new BlockRequest(2, 0, 16384))));
        sent.addAll(pieces(5));
        sent.add(new PeerMessage.Bitfield(new byte[] {(byte) 0xff, 0x01}));
        byte[] bytes = wire(sent);
        for (int chunk : new int[] {1, 3, 7, 4096, 16397, 1 << 20}) {
            var reader = new WireReader(new Chunked(bytes, chunk), PeerWireCodec.MAX_PIECE_MESSAGE, 64 * 1024);
            assertSameMessages(sent, readAll(reader, sent.size()));
        }
    }

    @Test
    void oneReadCarriesManyBlocksAndTheyAreHandedOverTogether() throws IOException {
        var sent = pieces(12);
        var in = new Chunked(wire(sent), Integer.MAX_VALUE);
        var reader = new WireReader(in, PeerWireCodec.MAX_PIECE_MESSAGE, 256 * 1024);
        var batch = reader.next().messages();
        assertEquals(12, batch.size(), "every whole message already read comes in one batch");
        assertEquals(1, in.reads, "one read for 12 blocks");
        assertSameMessages(sent, batch);
    }

    @Test
    void blockDataOfHeldBatchesStaysIntactWhileTheReaderReadsOn() throws IOException {
        var sent = pieces((WireReader.SPARE_BUFFERS + 4) * 4); // three blocks fill a 64 KiB buffer
        var reader = new WireReader(new Chunked(wire(sent), 20_000), PeerWireCodec.MAX_PIECE_MESSAGE, 64 * 1024);
        var held = new ArrayList<WireReader.Batch>();
        var got = new ArrayList<PeerMessage>();
        while (got.size() < sent.size()) {
            var batch = reader.next();
            held.add(batch); // never released: the reader must not reuse what these view
            got.addAll(batch.messages());
        }
        assertSameMessages(sent, got);
        assertTrue(reader.buffersMade() > WireReader.SPARE_BUFFERS + 1, "past the kept buffers, more are made");
        assertTrue(((PeerMessage.Piece) got.get(0)).data().isReadOnly(), "a view the session cannot write to");
    }

    @Test
    void releasedBuffersAreReadIntoAgain() throws IOException {
        var sent = pieces(60);
        var reader = new WireReader(new Chunked(wire(sent), 20_000), PeerWireCodec.MAX_PIECE_MESSAGE, 64 * 1024);
        var got = new ArrayList<PeerMessage>();
        WireReader.Batch previous = null;
        while (got.size() < sent.size()) {
            var batch = reader.next();
            assertSameMessages(sent.subList(got.size(), got.size() + batch.messages().size()), batch.messages());
            got.addAll(batch.messages());
            if (previous != null) {
                previous.release(); // one batch held while the next is read, as a session a little behind
            }
            previous = batch;
        }
        assertTrue(reader.buffersMade() <= 2, "two buffers take turns: " + reader.buffersMade());

        var prompt = new WireReader(new Chunked(wire(sent), 20_000), PeerWireCodec.MAX_PIECE_MESSAGE, 64 * 1024);
        for (int n = 0; n < sent.size(); ) {
            var batch = prompt.next();
            n += batch.messages().size();
            batch.release();
            batch.release(); // a second release changes nothing
        }
        assertEquals(1, prompt.buffersMade(), "released at once: one buffer does");
    }

    @Test
    void anOversizedLengthPrefixIsRefusedBeforeItsBodyIsRead() {
        byte[] bytes = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7, 0, 0, 0};
        var in = new Chunked(bytes, Integer.MAX_VALUE);
        var reader = new WireReader(in, PeerWireCodec.MAX_PIECE_MESSAGE, 64 * 1024);
        var e = assertThrows(WireProtocolException.class, reader::next);
        assertTrue(e.getMessage().contains("over the limit"), e.getMessage());
        assertTrue(in.largestRequest <= 64 * 1024, "never more than the buffer asked for");
    }

    @Test
    void aBitfieldLongerThanTheBufferAndALongUnknownMessageAreHandled() throws IOException {
        byte[] bits = new byte[100_000];
        new SplittableRandom(5).nextBytes(bits);
        byte[] extension = new byte[100_000];
        new SplittableRandom(6).nextBytes(extension);
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        PeerWireCodec.write(out, new PeerMessage.Bitfield(bits), new byte[16384]);
        out.writeInt(1 + 200_000); // a message we do not speak, longer than the buffer: skipped
        out.writeByte(30);
        out.write(new byte[200_000]);
        PeerWireCodec.write(out, new PeerMessage.Extended(2, extension), new byte[16384]); // longer than the buffer
        PeerWireCodec.write(out, new PeerMessage.Have(4), new byte[16384]);
        var reader = new WireReader(new Chunked(bytes.toByteArray(), 5000), 1 + bits.length, 16 * 1024);
        var got = readAll(reader, 4);
        assertArrayEquals(bits, ((PeerMessage.Bitfield) got.get(0)).bits());
        assertEquals(new PeerMessage.Unknown(30, 200_000), got.get(1));
        assertArrayEquals(extension, ((PeerMessage.Extended) got.get(2)).payload());
        assertEquals(new PeerMessage.Have(4), got.get(3));
    }

    @Test
    void aConnectionClosedMidMessageIsAnEndOfStream() throws IOException {
        byte[] bytes = wire(pieces(1));
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 100);
        var reader = new WireReader(new Chunked(cut, 1000), PeerWireCodec.MAX_PIECE_MESSAGE, 64 * 1024);
        assertThrows(EOFException.class, reader::next);
    }

    @Test
    void aMalformedMessageIsAProtocolError() {
        byte[] bytes = {0, 0, 0, 3, 4, 0, 0}; // a have of 3 bytes
        var reader = new WireReader(new Chunked(bytes, 100), PeerWireCodec.MAX_PIECE_MESSAGE, 64 * 1024);
        assertThrows(WireProtocolException.class, reader::next);
    }
}
