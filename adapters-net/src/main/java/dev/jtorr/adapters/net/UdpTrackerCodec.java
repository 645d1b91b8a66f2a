package dev.jtorr.adapters.net;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceEvent;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.Endpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The packets of the UDP tracker protocol (BEP 15), both sides. Big-endian, as {@link ByteBuffer} is by default. */
final class UdpTrackerCodec {
    static final long PROTOCOL_ID = 0x41727101980L;
    static final int CONNECT = 0;
    static final int ANNOUNCE = 1;
    static final int SCRAPE = 2;
    static final int ERROR = 3;
    static final int ANNOUNCE_LENGTH = 98;
    static final int MAX_SCRAPE_HASHES = 74;
    /** Largest datagram either side reads. */
    static final int MAX_PACKET = 8192;

    private UdpTrackerCodec() {
    }

    static ByteBuffer connectRequest(int transaction) {
        return ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(CONNECT).putInt(transaction).flip();
    }

    static ByteBuffer announceRequest(long connectionId, int transaction, AnnounceRequest r) {
        return ByteBuffer.allocate(ANNOUNCE_LENGTH).putLong(connectionId).putInt(ANNOUNCE).putInt(transaction)
                .put(r.infoHash().bytes()).put(r.peerId().bytes())
                .putLong(r.downloaded()).putLong(r.left()).putLong(r.uploaded())
                .putInt(r.event().udpCode()).putInt(0).putInt(r.key()).putInt(r.numWant())
                .putShort((short) r.port()).flip();
    }

    static ByteBuffer scrapeRequest(long connectionId, int transaction, java.util.List<Digest> hashes) {
        var b = ByteBuffer.allocate(16 + 20 * hashes.size()).putLong(connectionId).putInt(SCRAPE).putInt(transaction);
        hashes.forEach(h -> b.put(h.bytes()));
        return b.flip();
    }

    /** Reads an announce request whose first 16 bytes (connection id, action, transaction) were checked. */
    static AnnounceRequest readAnnounce(ByteBuffer in) {
        if (in.limit() < ANNOUNCE_LENGTH) {
            throw new InvalidDataException("announce packet of " + in.limit() + " bytes");
        }
        in.position(16);
        byte[] hash = new byte[20];
        byte[] id = new byte[20];
        in.get(hash).get(id);
        long downloaded = in.getLong();
        long left = in.getLong();
        long uploaded = in.getLong();
        AnnounceEvent event = AnnounceEvent.fromUdpCode(in.getInt());
        in.getInt(); // the IP a client claims is ignored: peers are registered at the address they sent from
        int key = in.getInt();
        int numWant = in.getInt();
        int port = in.getShort() & 0xffff;
        if (port == 0) {
            throw new InvalidDataException("port 0");
        }
        return new AnnounceRequest(new Digest(hash), new PeerId(id), port, Math.max(0, uploaded),
                Math.max(0, downloaded), Math.max(0, left), event, numWant < 0 ? -1 : Math.min(numWant, 10_000), key,
                Optional.empty());
    }

    static ByteBuffer error(int transaction, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + text.length).putInt(ERROR).putInt(transaction).put(text).flip();
    }

    static ByteBuffer announceReply(int transaction, int interval, int leechers, int seeders,
                                    java.util.List<Endpoint> peers, boolean v4) {
        int size = v4 ? Endpoint.COMPACT_V4 : Endpoint.COMPACT_V6;
        var matching = peers.stream().filter(e -> e.isV4() == v4).toList();
        byte[] packed = new byte[matching.size() * size];
        int off = 0;
        for (Endpoint e : matching) {
            off = e.writeCompact(packed, off);
        }
        return ByteBuffer.allocate(20 + packed.length).putInt(ANNOUNCE).putInt(transaction).putInt(interval)
                .putInt(leechers).putInt(seeders).put(packed).flip();
    }
}
