package dev.jtorr.adapters.net;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Blocks;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.HashRange;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte form of the BEP 3 handshake and messages: 4-byte big-endian length prefix, 1-byte id, payload. Every
 * length is checked against the message's exact size or a limit before anything is allocated.
 */
final class PeerWireCodec {
    /** The largest piece message we accept: one block we asked for, plus id, index and offset. */
    static final int MAX_PIECE_MESSAGE = 9 + Blocks.SIZE;
    /** Skipped payloads of messages we do not speak may be at most this long. */
    static final int MAX_UNKNOWN_MESSAGE = 1 << 20;
    /** BEP 10 messages are stored, so bounded tighter: a metadata piece (16 KiB) and its header fit many times. */
    static final int MAX_EXTENDED_MESSAGE = 256 * 1024;
    static final int EXTENDED = 20;
    static final int SUGGEST_PIECE = 13;
    static final int HAVE_ALL = 14;
    static final int HAVE_NONE = 15;
    static final int REJECT_REQUEST = 16;
    static final int ALLOWED_FAST = 17;
    static final int HASH_REQUEST = 21;
    static final int HASHES = 22;
    static final int HASH_REJECT = 23;
    /** Uncle hashes a hashes message may carry: one per layer of a file's tree, which has fewer than 64. */
    static final int MAX_UNCLES = 64;
    /**
     * The largest hashes message (BEP 52) we accept: id, the fixed fields, and at most {@link HashRange#MAX_LENGTH}
     * hashes (all we ever ask for) plus their uncles; about 18 KiB.
     */
    static final int MAX_HASHES_MESSAGE = 1 + HashRange.WIRE_SIZE + (HashRange.MAX_LENGTH + MAX_UNCLES) * 32;
    private static final byte[] PROTOCOL = Handshake.PROTOCOL.getBytes(StandardCharsets.US_ASCII);
    /** The first 20 bytes of every plain-text handshake: the protocol string's length, then the string. */
    static final byte[] HANDSHAKE_START = handshakeStart();

    private PeerWireCodec() {
    }

    /** The longest message a peer of a torrent with {@code pieceCount} pieces may send. */
    static int maxMessageLength(int pieceCount) {
        return Math.max(MAX_PIECE_MESSAGE, 1 + (pieceCount + 7) / 8);
    }

    /**
     * Writes the handshake in one call: a peer that refuses plain text (libtorrent requiring encryption) resets the
     * connection after its first 20 bytes, and that reset must find the whole handshake sent, so that it shows as
     * a hang-up while we await the answer rather than as a failed write.
     */
    static void writeHandshake(OutputStream out, Handshake h) throws IOException {
        out.write(ByteBuffer.allocate(Handshake.LENGTH).put((byte) PROTOCOL.length).put(PROTOCOL).put(h.reserved())
                .put(h.infoHash().bytes()).put(h.peerId().bytes()).array());
    }

    private static byte[] handshakeStart() {
        byte[] start = new byte[1 + PROTOCOL.length];
        start[0] = (byte) PROTOCOL.length;
        System.arraycopy(PROTOCOL, 0, start, 1, PROTOCOL.length);
        return start;
    }

    static Handshake readHandshake(DataInputStream in) throws IOException {
        int length = in.readUnsignedByte();
        if (length != PROTOCOL.length) {
            throw new WireProtocolException("not a BitTorrent handshake (protocol string of " + length + " bytes)");
        }
        byte[] protocol = in.readNBytes(PROTOCOL.length);
        if (!Arrays.equals(protocol, PROTOCOL)) {
            throw new WireProtocolException("not a BitTorrent handshake (unknown protocol string)");
        }
        byte[] reserved = readExactly(in, 8);
        byte[] infoHash = readExactly(in, 20);
        byte[] peerId = readExactly(in, 20);
        return new Handshake(reserved, new Digest(infoHash), new PeerId(peerId));
    }

    private static byte[] readExactly(DataInputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** Reads one message, refusing any whose length prefix exceeds {@code maxLength}. */
    static PeerMessage read(DataInputStream in, int maxLength) throws IOException {
        int length = in.readInt();
        if (length == 0) {
            return PeerMessage.KEEP_ALIVE;
        }
        int id = in.readUnsignedByte();
        checkLength(length, id, maxLength);
        if (isUnknown(id)) {
            in.skipNBytes(length - 1);
            return new PeerMessage.Unknown(id, length - 1);
        }
        byte[] body = new byte[length];
        body[0] = (byte) id;
        in.readFully(body, 1, length - 1);
        return decode(ByteBuffer.wrap(body));
    }

    /**
     * Refuses a message whose length prefix is over {@code maxLength} (messages we do not speak may be up to
     * {@link #MAX_UNKNOWN_MESSAGE}, as they are skipped, never stored). Called before anything is allocated.
     */
    static void checkLength(int length, int id, int maxLength) throws WireProtocolException {
        if (length < 0 || (length > maxLength && !(isUnknown(id) && length <= MAX_UNKNOWN_MESSAGE)
                && !(id == EXTENDED && length <= MAX_EXTENDED_MESSAGE)
                && !(id == HASHES && length <= MAX_HASHES_MESSAGE))) {
            throw new WireProtocolException("message of " + Integer.toUnsignedString(length)
                    + " bytes is over the limit of " + maxLength);
        }
    }

    /**
     * Whether {@code id} is a message we do not speak (its payload is skipped): BEP 6's are 13 to 17, BEP 52's 21 to
     * 23.
     */
    static boolean isUnknown(int id) {
        return id > 9 && id != EXTENDED && (id < SUGGEST_PIECE || id > ALLOWED_FAST)
                && (id < HASH_REQUEST || id > HASH_REJECT);
    }

    /**
     * Decodes one message from {@code m}: from its id to its end (the length prefix already read and checked), so
     * {@code m.remaining()} is the length prefix's value. Block data is copied out of {@code m}.
     */
    static PeerMessage decode(ByteBuffer m) throws WireProtocolException {
        return decode(m, false);
    }

    /**
     * As {@link #decode(ByteBuffer)}, but a piece message's data is a read-only view of {@code m}'s bytes rather
     * than a copy: valid while the caller leaves those bytes alone.
     */
    static PeerMessage decodeViewingBlocks(ByteBuffer m) throws WireProtocolException {
        return decode(m, true);
    }

    private static PeerMessage decode(ByteBuffer m, boolean viewBlocks) throws WireProtocolException {
        int length = m.remaining();
        if (length == 0) {
            return PeerMessage.KEEP_ALIVE;
        }
        int id = m.get() & 0xff;
        return switch (id) {
            case 0 -> fixed(length, 1, PeerMessage.CHOKE);
            case 1 -> fixed(length, 1, PeerMessage.UNCHOKE);
            case 2 -> fixed(length, 1, PeerMessage.INTERESTED);
            case 3 -> fixed(length, 1, PeerMessage.NOT_INTERESTED);
            case 4 -> {
                expect(length, 5, "have");
                yield new PeerMessage.Have(m.getInt());
            }
            case 5 -> new PeerMessage.Bitfield(bytes(m, length - 1));
            case 6 -> {
                expect(length, 13, "request");
                yield new PeerMessage.Request(block(m));
            }
            case 7 -> {
                if (length < 9) {
                    throw new WireProtocolException("piece message of " + length + " bytes");
                }
                int piece = m.getInt();
                int offset = m.getInt();
                if (piece < 0 || offset < 0 || length == 9) {
                    throw new WireProtocolException("piece message for piece " + piece + " offset " + offset);
                }
                ByteBuffer data = viewBlocks ? m.slice(m.position(), length - 9) : ByteBuffer.wrap(bytes(m, length - 9));
                yield new PeerMessage.Piece(piece, offset, data.asReadOnlyBuffer());
            }
            case 8 -> {
                expect(length, 13, "cancel");
                yield new PeerMessage.Cancel(block(m));
            }
            case 9 -> {
                expect(length, 3, "port");
                yield new PeerMessage.Port(m.getShort() & 0xffff);
            }
            case SUGGEST_PIECE -> {
                expect(length, 5, "suggest piece");
                yield new PeerMessage.SuggestPiece(m.getInt());
            }
            case HAVE_ALL -> fixed(length, 1, PeerMessage.HAVE_ALL);
            case HAVE_NONE -> fixed(length, 1, PeerMessage.HAVE_NONE);
            case REJECT_REQUEST -> {
                expect(length, 13, "reject request");
                yield new PeerMessage.RejectRequest(block(m));
            }
            case ALLOWED_FAST -> {
                expect(length, 5, "allowed fast");
                yield new PeerMessage.AllowedFast(m.getInt());
            }
            case HASH_REQUEST -> {
                expect(length, 1 + HashRange.WIRE_SIZE, "hash request");
                yield new PeerMessage.HashRequest(hashRange(m));
            }
            case HASH_REJECT -> {
                expect(length, 1 + HashRange.WIRE_SIZE, "hash reject");
                yield new PeerMessage.HashReject(hashRange(m));
            }
            case HASHES -> {
                int hashBytes = length - 1 - HashRange.WIRE_SIZE;
                if (hashBytes <= 0 || hashBytes % 32 != 0) {
                    throw new WireProtocolException("hashes message of " + length + " bytes: fields and whole "
                            + "32-byte hashes expected");
                }
                HashRange range = hashRange(m);
                if (range.length() < 1 || range.length() > HashRange.MAX_LENGTH
                        || hashBytes / 32 != range.length() + range.uncleCount()) {
                    throw new WireProtocolException("hashes message with " + hashBytes / 32 + " hashes for a "
                            + "length of " + range.length() + " and " + range.proofLayers() + " proof layers");
                }
                yield new PeerMessage.Hashes(range, bytes(m, hashBytes));
            }
            case EXTENDED -> {
                if (length < 2) {
                    throw new WireProtocolException("extended message of " + length + " bytes");
                }
                int extended = m.get() & 0xff;
                yield new PeerMessage.Extended(extended, bytes(m, length - 2));
            }
            default -> {
                m.position(m.limit());
                yield new PeerMessage.Unknown(id, length - 1);
            }
        };
    }

    private static byte[] bytes(ByteBuffer m, int n) {
        byte[] b = new byte[n];
        m.get(b);
        return b;
    }

    private static PeerMessage fixed(int length, int expected, PeerMessage message) throws WireProtocolException {
        expect(length, expected, "message " + message.id());
        return message;
    }

    private static void expect(int length, int expected, String what) throws WireProtocolException {
        if (length != expected) {
            throw new WireProtocolException(what + " of " + length + " bytes, expected " + expected);
        }
    }

    private static HashRange hashRange(ByteBuffer m) throws WireProtocolException {
        byte[] root = bytes(m, 32);
        int base = m.getInt();
        int index = m.getInt();
        int length = m.getInt();
        int proofLayers = m.getInt();
        try {
            return new HashRange(new Digest(root), base, index, length, proofLayers);
        } catch (InvalidDataException e) {
            throw new WireProtocolException(e.getMessage());
        }
    }

    private static BlockRequest block(ByteBuffer m) throws WireProtocolException {
        int piece = m.getInt();
        int offset = m.getInt();
        int length = m.getInt();
        if (piece < 0 || offset < 0 || length <= 0) {
            throw new WireProtocolException("request for piece " + piece + " offset " + offset + " length "
                    + length);
        }
        return new BlockRequest(piece, offset, length);
    }

    /** Bytes {@code message} takes on the wire, length prefix included. */
    static int size(PeerMessage message) {
        return 4 + switch (message) {
            case PeerMessage.KeepAlive k -> 0;
            case PeerMessage.Have h -> 5;
            case PeerMessage.Bitfield b -> 1 + b.bits().length;
            case PeerMessage.Request r -> 13;
            case PeerMessage.Cancel c -> 13;
            case PeerMessage.RejectRequest r -> 13;
            case PeerMessage.SuggestPiece p -> 5;
            case PeerMessage.AllowedFast a -> 5;
            case PeerMessage.Piece p -> 9 + p.data().remaining();
            case PeerMessage.Port p -> 3;
            case PeerMessage.Unknown u -> 1 + u.length();
            case PeerMessage.Extended e -> 2 + e.payload().length;
            case PeerMessage.HashRequest r -> 1 + HashRange.WIRE_SIZE;
            case PeerMessage.HashReject r -> 1 + HashRange.WIRE_SIZE;
            case PeerMessage.Hashes h -> 1 + HashRange.WIRE_SIZE + h.hashes().length;
            default -> 1;
        };
    }

    /** Writes {@code message}; {@code scratch} is a reusable buffer for copying block data. */
    static void write(DataOutputStream out, PeerMessage message, byte[] scratch) throws IOException {
        out.writeInt(size(message) - 4);
        switch (message) {
            case PeerMessage.KeepAlive k -> { }
            case PeerMessage.Have h -> {
                out.writeByte(4);
                out.writeInt(h.piece());
            }
            case PeerMessage.Bitfield b -> {
                out.writeByte(5);
                out.write(b.bits());
            }
            case PeerMessage.Request r -> writeBlock(out, 6, r.block());
            case PeerMessage.Cancel c -> writeBlock(out, 8, c.block());
            case PeerMessage.RejectRequest r -> writeBlock(out, REJECT_REQUEST, r.block());
            case PeerMessage.SuggestPiece p -> {
                out.writeByte(SUGGEST_PIECE);
                out.writeInt(p.piece());
            }
            case PeerMessage.AllowedFast a -> {
                out.writeByte(ALLOWED_FAST);
                out.writeInt(a.piece());
            }
            case PeerMessage.Piece p -> {
                out.writeByte(7);
                out.writeInt(p.piece());
                out.writeInt(p.offset());
                ByteBuffer data = p.data().duplicate();
                while (data.hasRemaining()) {
                    int n = Math.min(scratch.length, data.remaining());
                    data.get(scratch, 0, n);
                    out.write(scratch, 0, n);
                }
            }
            case PeerMessage.Port p -> {
                out.writeByte(9);
                out.writeShort(p.port());
            }
            case PeerMessage.Extended e -> {
                out.writeByte(EXTENDED);
                out.writeByte(e.extendedId());
                out.write(e.payload());
            }
            case PeerMessage.Hashing h -> {
                out.writeByte(h.id());
                HashRange r = h.range();
                out.write(r.piecesRoot().bytes());
                out.writeInt(r.baseLayer());
                out.writeInt(r.index());
                out.writeInt(r.length());
                out.writeInt(r.proofLayers());
                if (h instanceof PeerMessage.Hashes hashes) {
                    out.write(hashes.hashes());
                }
            }
            case PeerMessage.Unknown u -> throw new IllegalArgumentException("cannot send an unknown message");
            default -> out.writeByte(message.id());
        }
    }

    private static void writeBlock(DataOutputStream out, int id, BlockRequest r) throws IOException {
        out.writeByte(id);
        out.writeInt(r.piece());
        out.writeInt(r.offset());
        out.writeInt(r.length());
    }
}
