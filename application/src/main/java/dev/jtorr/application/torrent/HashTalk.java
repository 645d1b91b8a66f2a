package dev.jtorr.application.torrent;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.HashRange;
import dev.jtorr.domain.piece.PieceLayerTree;
import dev.jtorr.domain.piece.Sha;
import dev.jtorr.domain.wire.PeerMessage;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * BEP 52's hash messages with a torrent's peers: we answer a hash request for a file's piece layer (its base layer
 * log2(piece length / 16 KiB)) with the hashes and the proof layers asked for, from the piece layers of the .torrent,
 * and everything else with a hash reject: leaf hashes (we keep none), roots we do not know, ranges out of the layer
 * or against BEP 52's rules, and requests over a peer's budget of {@link #REQUESTS_PER_SECOND} a second (a peer may
 * ask regardless of choking, so this bounds the hashing and sending one peer can cause). A file's tree is built on its
 * first request and kept for the session. Hash messages about a v1-only torrent, and hashes or hash rejects we never
 * asked for, end that peer's connection. Engine thread.
 */
final class HashTalk {
    /** Hash requests a peer may make in one second before the rest of that second's are rejected. */
    static final int REQUESTS_PER_SECOND = 50;
    private final Metainfo metainfo;
    private final Map<Digest, PieceLayerTree> trees = new HashMap<>();
    private final MessageDigest sha256 = Sha.sha256();
    private final Consumer<String> notice;
    private boolean servedAny;

    /** @param notice tells the user, once, that peers are getting piece layers from us */
    HashTalk(Metainfo metainfo, Consumer<String> notice) {
        this.metainfo = metainfo;
        this.notice = notice;
    }

    /**
     * A hash message from {@code peer}.
     *
     * @throws InvalidDataException for a hash message about a v1-only torrent, or hashes or a hash reject of a
     *                              request we never made
     */
    void received(Peer peer, PeerMessage.Hashing message, Instant now) {
        if (!metainfo.info().version().hasV2()) {
            throw new InvalidDataException("BEP 52 hash message " + message.id() + " about a v1-only torrent");
        }
        switch (message) {
            case PeerMessage.HashRequest r -> peer.connection.send(answer(peer, r.range(), now));
            case PeerMessage.Hashes h -> throw new InvalidDataException("hashes we never asked for: " + h.range());
            case PeerMessage.HashReject r -> throw new InvalidDataException("hash reject of a request we never made: "
                    + r.range());
        }
    }

    private PeerMessage answer(Peer peer, HashRange range, Instant now) {
        long second = now.getEpochSecond();
        if (peer.hashSecond != second) {
            peer.hashSecond = second;
            peer.hashRequests = 0;
        }
        if (++peer.hashRequests > REQUESTS_PER_SECOND) {
            return new PeerMessage.HashReject(range);
        }
        Optional<byte[]> hashes = tree(range.piecesRoot()).flatMap(t -> t.answer(range));
        if (hashes.isEmpty()) {
            return new PeerMessage.HashReject(range);
        }
        if (!servedAny) {
            servedAny = true;
            notice.accept("sending piece layer hashes to " + peer.connection.address()
                    + " (BEP 52 hash request for " + range.length() + " hashes at " + range.index() + ")");
        }
        return new PeerMessage.Hashes(range, hashes.get());
    }

    private Optional<PieceLayerTree> tree(Digest root) {
        PieceLayerTree tree = trees.get(root);
        if (tree == null) {
            byte[] layer = metainfo.pieceLayers().get(root);
            if (layer == null) {
                return Optional.empty();
            }
            tree = PieceLayerTree.of(layer, metainfo.info().pieceLength(), sha256);
            trees.put(root, tree);
        }
        return Optional.of(tree);
    }
}
