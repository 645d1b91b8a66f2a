package dev.jtorr.application.extension;

import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.wire.MetadataMessage;
import dev.jtorr.domain.metainfo.Metainfo;
import java.util.HashMap;
import java.util.Map;

/**
 * BEP 9 {@code ut_metadata} for a torrent whose info dictionary we have: announces its size and sends it in 16 KiB
 * pieces to peers that ask (peers that came by magnet link), rejecting pieces past its end. A peer may ask for each
 * piece a few times over; past that its requests are rejected, so that one peer cannot keep us sending the same
 * bytes. Engine thread.
 */
public final class MetadataServing implements Extension {
    public static final String NAME = "ut_metadata";
    /** Requests answered per piece of the dictionary, per peer (a peer re-asks after losing a connection's worth). */
    private static final int ANSWERS_PER_PIECE = 4;

    /** The bytes of our info dictionary, read when a peer asks (a torrent keeps one copy of them, not two). */
    public interface InfoBytes {
        int length();

        /** A copy of bytes {@code from} (inclusive) to {@code to} (exclusive). */
        byte[] slice(int from, int to);
    }

    private final InfoBytes info;
    private final int pieces;
    private final Map<ExtensionPeer, Integer> answered = new HashMap<>();

    public MetadataServing(InfoBytes info) {
        this.info = info;
        this.pieces = (info.length() + MetadataMessage.PIECE - 1) / MetadataMessage.PIECE;
    }

    /** Serves the info dictionary of {@code metainfo}. */
    public static MetadataServing of(Metainfo metainfo) {
        return new MetadataServing(new InfoBytes() {
            @Override
            public int length() {
                return metainfo.infoLength();
            }

            @Override
            public byte[] slice(int from, int to) {
                return metainfo.infoSlice(from, to);
            }
        });
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void handshake(BDictionary.Builder ours) {
        ours.put("metadata_size", info.length());
    }

    @Override
    public void received(ExtensionPeer peer, byte[] payload) {
        // a data or reject message answers a request we never sent: BEP 9 lets a client ignore it
        if (MetadataMessage.decode(payload) instanceof MetadataMessage.Request r) {
            int p = r.piece();
            int count = answered.merge(peer, 1, Integer::sum);
            if (p >= pieces || count > ANSWERS_PER_PIECE * pieces) {
                peer.send(NAME, new MetadataMessage.Reject(p).encode());
                return;
            }
            int from = p * MetadataMessage.PIECE;
            byte[] data = info.slice(from, Math.min(info.length(), from + MetadataMessage.PIECE));
            peer.send(NAME, new MetadataMessage.Data(p, info.length(), data).encode());
        }
    }

    @Override
    public void peerLeft(ExtensionPeer peer) {
        answered.remove(peer);
    }
}
