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
 * one for leaf hashes of pieces we have verified by {@link LeafServing}, and everything else with a hash reject:
 * roots we do not know, ranges out of the layer or against BEP 52's rules, and requests over a peer's budget of {@link #REQUESTS_PER_SECOND} a second (a peer may
 * ask regardless of choking, so this bounds the hashing and sending one peer can cause). A file's tree is built on its
 * first request and kept for the session. Hash messages about a v1-only torrent, and hashes or hash rejects we never
 * asked for, end that peer's connection; answers to the leaf-hash requests {@link BlockBlame} made go to it.
 * Engine thread.
 */
final class HashTalk {
    /** Hash requests a peer may make in one second before the rest of that second's are rejected. */
    static final int REQUESTS_PER_SECOND = 50;
    private final Metainfo metainfo;
    private final Map<Digest, PieceLayerTree> trees = new HashMap<>();
    private final MessageDigest sha256 = Sha.sha256();
    private final Consumer<String> notice;
    private final BlockBlame blocks;
    private final LeafServing leaves;
    private boolean servedAny;

    /**
     * @param leaves answers requests for leaf hashes
     * @param blocks takes the answers to the leaf-hash requests it made
     * @param notice tells the user, once, that peers are getting piece layers from us */
    HashTalk(Metainfo metainfo, Consumer<String> notice, BlockBlame blocks, LeafServing leaves) {
        this.metainfo = metainfo;
        this.leaves = leaves;
        this.blocks = blocks;
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
            case PeerMessage.HashRequest r -> {
                PeerMessage answer = answer(peer, r.range(), now);
                if (answer != null) {
                    peer.connection.send(answer);
                }
            }
            case PeerMessage.Hashes h -> {
                if (!blocks.received(peer, h)) {
                    throw new InvalidDataException("hashes we never asked for: " + h.range());
                }
            }
            case PeerMessage.HashReject r -> {
                if (!blocks.received(peer, r)) {
                    throw new InvalidDataException("hash reject of a request we never made: " + r.range());
                }
            }
        }
    }

    /** The answer to send now; null when it is being made and will be sent when done. */
    private PeerMessage answer(Peer peer, HashRange range, Instant now) {
        long second = now.getEpochSecond();
        if (peer.hashSecond != second) {
            peer.hashSecond = second;
            peer.hashRequests = 0;
        }
        if (++peer.hashRequests > REQUESTS_PER_SECOND) {
            return new PeerMessage.HashReject(range);
        }
        if (range.baseLayer() == 0 && PieceLayerTree.baseLayer(metainfo.info().pieceLength()) != 0) {
            // leaf hashes: made from our verified data on the disk thread, and sent from there
            return leaves.answer(peer, range, tree(range.piecesRoot()).orElse(null)) ? null
                    : new PeerMessage.HashReject(range);
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
