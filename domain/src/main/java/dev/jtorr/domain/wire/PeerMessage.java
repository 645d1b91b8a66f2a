package dev.jtorr.domain.wire;

import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.HashRange;
import java.nio.ByteBuffer;

/**
 * The messages of the BitTorrent peer wire protocol after the handshake (BEP 3), one record per message, with those
 * of the Fast extension (BEP 6, {@link Fast}), the extension protocol (BEP 10, {@link Extended}) and BEP 52's hash
 * messages ({@link Hashing}). The message model is domain; the byte codec (framing, partial reads, limits) belongs
 * to the network adapter.
 */
public sealed interface PeerMessage {
    /** The message id on the wire; -1 for keep-alive, which has none. */
    int id();

    record KeepAlive() implements PeerMessage {
        public int id() {
            return -1;
        }
    }

    record Choke() implements PeerMessage {
        public int id() {
            return 0;
        }
    }

    record Unchoke() implements PeerMessage {
        public int id() {
            return 1;
        }
    }

    record Interested() implements PeerMessage {
        public int id() {
            return 2;
        }
    }

    record NotInterested() implements PeerMessage {
        public int id() {
            return 3;
        }
    }

    record Have(int piece) implements PeerMessage {
        public int id() {
            return 4;
        }
    }

    /** The sender's pieces in wire form; checked against the torrent's piece count by whoever knows it. */
    record Bitfield(byte[] bits) implements PeerMessage {
        public Bitfield {
            bits = bits.clone();
        }

        @Override
        public byte[] bits() {
            return bits.clone();
        }

        public int id() {
            return 5;
        }
    }

    record Request(BlockRequest block) implements PeerMessage {
        public int id() {
            return 6;
        }
    }

    /**
     * A block of data. The buffer is read-only and owned by the message (position to limit is the data); the
     * codec hands over fresh buffers so a receiver may keep them.
     */
    record Piece(int piece, int offset, ByteBuffer data) implements PeerMessage {
        public int id() {
            return 7;
        }

        /** A view of the data with its own position, so readers never disturb one another. */
        @Override
        public ByteBuffer data() {
            return data.duplicate();
        }

        public BlockRequest block() {
            return new BlockRequest(piece, offset, data.remaining());
        }
    }

    record Cancel(BlockRequest block) implements PeerMessage {
        public int id() {
            return 8;
        }
    }

    /** BEP 5: the sender's DHT port. */
    record Port(int port) implements PeerMessage {
        public int id() {
            return 9;
        }
    }

    /**
     * A BEP 10 extension message: {@code extendedId} 0 is the extension handshake (a bencoded dictionary), any
     * other is the id the receiver gave one of its extensions in its handshake.
     */
    record Extended(int extendedId, byte[] payload) implements PeerMessage {
        public Extended {
            if (extendedId < 0 || extendedId > 255) {
                throw new IllegalArgumentException("extended message id " + extendedId);
            }
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        public int id() {
            return 20;
        }
    }

    /**
     * The messages of the Fast extension (BEP 6), spoken only on a connection where both handshakes set the Fast bit
     * ({@link Handshake#supportsFast()}); from a peer that did not negotiate it, any of them is a protocol error.
     */
    sealed interface Fast extends PeerMessage {
    }

    /** BEP 6: "you might like to download this piece"; advisory only. Checked against the piece count by the receiver. */
    record SuggestPiece(int piece) implements Fast {
        public int id() {
            return 13;
        }
    }

    /** BEP 6: the sender has every piece; replaces the bitfield, right after the handshake. */
    record HaveAll() implements Fast {
        public int id() {
            return 14;
        }
    }

    /** BEP 6: the sender has no piece; replaces the bitfield, right after the handshake. */
    record HaveNone() implements Fast {
        public int id() {
            return 15;
        }
    }

    /** BEP 6: the sender will not serve this request (the one answer to it, instead of the block). */
    record RejectRequest(BlockRequest block) implements Fast {
        public int id() {
            return 16;
        }
    }

    /**
     * BEP 6: the receiver may ask for this piece even while choked. It does not say that the sender has the piece.
     * Checked against the piece count by the receiver.
     */
    record AllowedFast(int piece) implements Fast {
        public int id() {
            return 17;
        }
    }

    /**
     * BEP 52's messages for the hashes of a file's merkle tree, spoken about v2 and hybrid torrents: each carries a
     * {@link HashRange}. A hash request is answered with either hashes or a hash reject.
     */
    sealed interface Hashing extends PeerMessage {
        HashRange range();
    }

    /** BEP 52: please send these hashes of a file's tree, with this many proof layers. */
    record HashRequest(HashRange range) implements Hashing {
        public int id() {
            return 21;
        }
    }

    /**
     * BEP 52: the answer to a hash request, the request's fields then the hashes: the base-layer ones first, then the
     * uncles from the lowest proof layer up (32 bytes each). Checked against the pieces root by the receiver.
     */
    record Hashes(HashRange range, byte[] hashes) implements Hashing {
        public Hashes {
            if (hashes.length == 0 || hashes.length % 32 != 0) {
                throw new dev.jtorr.domain.InvalidDataException("hashes message with " + hashes.length
                        + " bytes of hashes, not a positive multiple of 32");
            }
            hashes = hashes.clone();
        }

        @Override
        public byte[] hashes() {
            return hashes.clone();
        }

        public int id() {
            return 22;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hashes h && range.equals(h.range) && java.util.Arrays.equals(hashes, h.hashes);
        }

        @Override
        public int hashCode() {
            return range.hashCode() * 31 + java.util.Arrays.hashCode(hashes);
        }
    }

    /** BEP 52: the sender will not send the hashes of this request (the one answer to it, instead of hashes). */
    record HashReject(HashRange range) implements Hashing {
        public int id() {
            return 23;
        }
    }

    /** A message id we do not speak; its payload was skipped. */
    record Unknown(int messageId, int length) implements PeerMessage {
        public int id() {
            return messageId;
        }
    }

    PeerMessage KEEP_ALIVE = new KeepAlive();
    PeerMessage CHOKE = new Choke();
    PeerMessage UNCHOKE = new Unchoke();
    PeerMessage INTERESTED = new Interested();
    PeerMessage NOT_INTERESTED = new NotInterested();
    PeerMessage HAVE_ALL = new HaveAll();
    PeerMessage HAVE_NONE = new HaveNone();
}
