package dev.jtorr.application.torrent;

import dev.jtorr.application.extension.Extensions;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.wire.AllowedFastSet;
import dev.jtorr.domain.wire.PeerMessage;

/**
 * The Fast extension's part of the conversation with a torrent's peers (BEP 6), on connections where both handshakes
 * set its bit: have all / have none instead of a bitfield, the allowed-fast set we offer a starting peer, and what
 * the peer's Fast messages mean. Its rejects and the serving of allowed-fast pieces while choked are the
 * {@link Uploads}' and {@link Requests}' business. A Fast message from a peer that did not negotiate the extension,
 * or one out of place, ends that peer's connection only. Engine thread.
 */
final class FastTalk {
    private final TorrentSession torrent;

    FastTalk(TorrentSession torrent) {
        this.torrent = torrent;
    }

    /** What we have, as a peer first hears it: have all or have none when it speaks BEP 6, else a bitfield if any. */
    void sayPieces(Peer peer) {
        Bitfield have = torrent.have();
        if (peer.fast != null && have.isComplete()) {
            peer.connection.send(PeerMessage.HAVE_ALL);
        } else if (peer.fast != null && have.count() == 0) {
            peer.connection.send(PeerMessage.HAVE_NONE);
        } else if (have.count() > 0) {
            peer.connection.send(new PeerMessage.Bitfield(have.toWire()));
        }
    }

    /**
     * The peer said what it has by a bitfield (a have: {@code bitfield} false): an error after have all, which a
     * bitfield can only contradict. A bitfield after have none is taken (aria2 sends one in place of twenty haves).
     *
     * @throws InvalidDataException for a bitfield after have all
     */
    void piecesSaid(Peer peer, boolean bitfield) {
        if (peer.fast == null) {
            return;
        }
        if (bitfield && peer.fast.haveAll) {
            throw new InvalidDataException("bitfield after have all (BEP 6)");
        }
        peer.fast.piecesSaid = true;
    }

    /**
     * A Fast message. Returns whether more requests may now go to the peer (it allowed us a piece).
     *
     * @throws InvalidDataException when the peer did not negotiate BEP 6, for a piece out of range, a have all or
     *                              have none out of place, or a reject of a request we never made
     */
    boolean received(Peer peer, PeerMessage.Fast message) {
        if (peer.fast == null) {
            throw new InvalidDataException("Fast extension message " + message.id()
                    + " from a peer that did not negotiate it (BEP 6)");
        }
        switch (message) {
            case PeerMessage.HaveAll x -> {
                // BEP 6 has it first; aria2 sends it again once complete, in place of its last haves: taken, as it
                // takes no piece away
                peer.fast.piecesSaid = true;
                peer.fast.haveAll = true;
                torrent.talk().replacePieces(peer, Bitfield.full(torrent.layout().pieceCount()));
            }
            case PeerMessage.HaveNone x -> {
                if (peer.fast.piecesSaid) {
                    throw new InvalidDataException("have none after the peer said what it has (BEP 6: first only)");
                }
                peer.fast.piecesSaid = true;
                torrent.talk().replacePieces(peer, new Bitfield(torrent.layout().pieceCount()));
            }
            case PeerMessage.SuggestPiece s -> peer.fast.suggest(checked(s.piece(), "suggest piece"));
            case PeerMessage.AllowedFast a -> {
                int piece = checked(a.piece(), "allowed fast");
                if (peer.fast.allowedToUs == null) {
                    peer.fast.allowedToUs = new Bitfield(torrent.layout().pieceCount());
                }
                return peer.fast.allowedToUs.set(piece) && peer.peerChoking && peer.has.get(piece);
            }
            case PeerMessage.RejectRequest r -> {
                if (!torrent.requests().rejected(peer, r.block())) {
                    throw new InvalidDataException("reject for a request never made: " + r.block());
                }
            }
        }
        return false;
    }

    private int checked(int piece, String what) {
        if (piece < 0 || piece >= torrent.layout().pieceCount()) {
            throw new InvalidDataException(what + " for piece " + piece + " of " + torrent.layout().pieceCount());
        }
        return piece;
    }

    /**
     * Offers a starting peer BEP 6's allowed-fast set (the pieces it lacks among them), once, when it first says
     * what it has: not to a seed or an upload-only peer, one with as many pieces as the set, or one whose address is
     * not IPv4 (the set has no IPv6 form). It may then ask for those pieces while we choke it.
     */
    void offerAllowedFast(Peer peer) {
        if (peer.fast == null || peer.fast.allowedByUs.length > 0 || peer.isSeed() || peer.uploadOnly()
                || peer.has.count() >= AllowedFastSet.DEFAULT_SIZE) {
            return;
        }
        byte[] ip = Extensions.ipv4(peer.connection.address().host());
        if (ip == null) {
            return;
        }
        int[] set = AllowedFastSet.of(AllowedFastSet.DEFAULT_SIZE, torrent.layout().pieceCount(), ip,
                peer.connection.remote().infoHash());
        peer.fast.allowedByUs = set;
        for (int piece : set) {
            if (!peer.has.get(piece)) {
                peer.connection.send(new PeerMessage.AllowedFast(piece));
            }
        }
    }
}
