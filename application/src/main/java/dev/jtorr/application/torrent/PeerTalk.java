package dev.jtorr.application.torrent;

import dev.jtorr.application.extension.ExtensionPeer;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.metainfo.PieceVerifier;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.wire.PeerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The BEP 3 conversation with a torrent's peers: what their messages mean for the picker, the requests and the
 * uploads, our interest in them, HAVEs for the pieces we verify, and peers that went silent; the Fast extension's
 * messages go to {@link FastTalk}, BEP 52's hash messages to {@link HashTalk}. Connections that carry nothing are closed: between two seeds, or two peers that
 * only upload (BEP 21's {@code upload_only}), and to an upload-only peer with nothing we want. Runs on the engine's
 * thread.
 */
final class PeerTalk implements PeerSet.Owner {
    private final TorrentSession torrent;
    private final FastTalk fast;
    private final HashTalk hashes;
    private final BlockBlame blocks;
    /** While {@link #messages} handles a batch, blocks leave asking for more, and requests serving, to its end. */
    private boolean inBatch;

    PeerTalk(TorrentSession torrent) {
        this.torrent = torrent;
        this.fast = new FastTalk(torrent);
        this.blocks = new BlockBlame(new PieceVerifier(torrent.metainfo()), torrent, this::blame);
        this.hashes = new HashTalk(torrent.metainfo(), torrent::notice, blocks, new LeafServing(torrent));
    }

    @Override
    public boolean closed() {
        return torrent.closed();
    }

    @Override
    public void notice(String message) {
        torrent.notice(message);
    }

    @Override
    public void joined(Peer peer) {
        fast.sayPieces(peer);
        if (torrent.extensions().any() && peer.connection.remote().supportsExtensions()) {
            peer.connection.send(torrent.extensions().handshake(peer.connection.address(), torrent.complete()));
        }
        if (torrent.dht().isPresent() && peer.connection.remote().supportsDht()) {
            // BEP 5: our node listens on the UDP port of the listener's number
            peer.connection.send(new PeerMessage.Port(torrent.listenPort()));
        }
    }

    /** Checks a failed v2 piece's blocks one by one (BEP 52 leaf hashes). */
    BlockBlame blocks() {
        return blocks;
    }

    private void blame(PeerId id, String block) {
        torrent.notice(block + " from peer " + id.client() + " (" + id + ") failed its BEP 52 leaf hash");
        if (torrent.bans().blockFailed(id)) {
            torrent.notice("banned peer " + id.client() + " (" + id + ") for a corrupt " + block);
            torrent.peers().ban(id);
        }
    }

    @Override
    public void left(Peer peer) {
        blocks.left(peer);
        torrent.picker().peerLeft(peer.has);
        torrent.requests().drop(peer);
        torrent.uploads().forget(peer);
        if (peer.extensionView != null) {
            torrent.extensions().left(peer.extensionView);
        }
    }

    @Override
    public void drained(Peer peer) {
        torrent.uploads().serve(peer);
    }

    /**
     * Messages that arrived together. The blocks among them ask for more only once, after the last: the requests then
     * leave as one burst (one wake-up of the connection's writer, one send) rather than one request per block, each
     * waking the writer for a 17-byte send.
     */
    @Override
    public void messages(Peer peer, List<PeerMessage> messages) {
        PeerSet peers = torrent.peers();
        inBatch = true;
        try {
            for (PeerMessage m : messages) {
                if (torrent.closed() || !peers.isConnected(peer)) {
                    return;
                }
                onMessage(peer, m);
            }
        } finally {
            inBatch = false;
        }
        if (peer.serveDue && peers.isConnected(peer)) {
            peer.serveDue = false;
            torrent.uploads().serve(peer);
        }
        if (peer.moreRequestsDue && peers.isConnected(peer)) {
            peer.moreRequestsDue = false;
            torrent.requests().more(peer);
        }
    }

    private void onMessage(Peer peer, PeerMessage message) {
        PeerSet peers = torrent.peers();
        try {
            if (message instanceof PeerMessage.Piece p) {
                onPiece(peer, p); // nearly every message of a download: kept out of the type switch below
                return;
            }
            switch (message) {
                case PeerMessage.Bitfield b -> onBitfield(peer, b);
                case PeerMessage.Have h -> onHave(peer, h.piece());
                case PeerMessage.Choke x -> {
                    peer.peerChoking = true;
                    if (peer.fast == null) {
                        torrent.requests().drop(peer); // BEP 6 peers answer each request: a block or a reject
                    }
                }
                case PeerMessage.Unchoke x -> {
                    peer.peerChoking = false;
                    peer.lastBlock = torrent.now();
                    torrent.requests().more(peer);
                }
                case PeerMessage.Interested x -> {
                    peer.peerInterested = true;
                    if (peer.amChoking) {
                        torrent.uploads().refill(); // a free slot is its at once
                    }
                }
                case PeerMessage.NotInterested x -> {
                    peer.peerInterested = false;
                    if (!peer.amChoking) {
                        if (peer.serveDue) { // what it asked for before is still sent
                            peer.serveDue = false;
                            torrent.uploads().serve(peer);
                        }
                        torrent.uploads().refill(); // its slot goes to a waiting peer at once
                    }
                }
                case PeerMessage.Request r -> {
                    if (!inBatch) {
                        torrent.uploads().onRequest(peer, r.block());
                    } else if (torrent.uploads().queue(peer, r.block())) {
                        peer.serveDue = true; // messages() serves once the batch is done
                    }
                }
                case PeerMessage.Cancel x -> torrent.uploads().cancel(peer, x.block());
                case PeerMessage.Piece p -> onPiece(peer, p);
                case PeerMessage.KeepAlive x -> { }
                case PeerMessage.Port x -> dhtPort(peer, x.port());
                case PeerMessage.Extended e -> {
                    torrent.extensions().received(peer.extensions, view(peer), e);
                    if (e.extendedId() == 0 && peers.isConnected(peer) && !redundant(peer)) {
                        updateInterest(peer); // it may have said upload_only
                    }
                }
                case PeerMessage.Unknown x -> { }
                case PeerMessage.Fast f -> {
                    if (fast.received(peer, f)) {
                        moreRequests(peer);
                    }
                }
                case PeerMessage.Hashing h -> hashes.received(peer, h, torrent.now());
            }
        } catch (InvalidDataException e) {
            torrent.peers().disconnect(peer, e.getMessage());
        }
    }

    /** BEP 5: the peer's DHT node is on this port; it joins our table if it answers a ping. Once per connection. */
    private void dhtPort(Peer peer, int port) {
        if (port > 0 && !peer.dhtPortHeard && torrent.dht().isPresent()) {
            peer.dhtPortHeard = true;
            torrent.dht().get().ping(new PeerAddress(peer.connection.address().host(), port));
        }
    }

    /**
     * A peer's pieces. BEP 3 has the bitfield first; aria2 sends it again later (and after other messages), so a
     * later one replaces what we knew, as libtorrent does, rather than ending the connection.
     */
    private void onBitfield(Peer peer, PeerMessage.Bitfield b) {
        fast.piecesSaid(peer, true);
        replacePieces(peer, Bitfield.fromWire(b.bits(), torrent.layout().pieceCount()));
    }

    /** What a peer has, as its bitfield or BEP 6's have all or have none says: replaces what we knew. */
    void replacePieces(Peer peer, Bitfield bits) {
        if (peer.has.count() > 0) {
            torrent.picker().peerLeft(peer.has);
            for (int i = peer.has.nextSet(0); i >= 0; i = peer.has.nextSet(i + 1)) {
                peer.has.clear(i);
            }
        }
        for (int i = bits.nextSet(0); i >= 0; i = bits.nextSet(i + 1)) {
            peer.has.set(i);
        }
        torrent.picker().peerHas(bits);
        fast.offerAllowedFast(peer);
        gained(peer);
    }

    /** A peer has more pieces than before: a seed is of no use to a complete torrent; others may be interesting. */
    private void gained(Peer peer) {
        if (redundant(peer)) {
            return;
        }
        updateInterest(peer);
        if (torrent.peers().isConnected(peer)) {
            torrent.requests().more(peer);
        }
    }

    /**
     * Closes a connection that carries nothing: we have every piece we want, and the peer is a seed or says it
     * only uploads (BEP 21). Returns whether it did.
     */
    private boolean redundant(Peer peer) {
        if (!torrent.complete() || !(peer.isSeed() || peer.uploadOnly())) {
            return false;
        }
        torrent.peers().disconnect(peer, peer.isSeed() ? "both complete" : "both upload only (BEP 21)");
        return true;
    }

    /** Blocks may now be asked of {@code peer}: at once, or once the batch being handled is done. */
    private void moreRequests(Peer peer) {
        if (inBatch) {
            peer.moreRequestsDue = true;
        } else {
            torrent.requests().more(peer);
        }
    }

    private void onHave(Peer peer, int piece) {
        if (piece < 0 || piece >= torrent.layout().pieceCount()) {
            throw new InvalidDataException("have for piece " + piece + " of " + torrent.layout().pieceCount());
        }
        fast.piecesSaid(peer, false);
        if (peer.has.set(piece)) {
            torrent.picker().peerHas(piece);
            gained(peer);
        }
    }

    private void updateInterest(Peer peer) {
        boolean want = !torrent.picker().isComplete() && torrent.picker().isInteresting(peer.has);
        boolean piecesKnown = peer.fast != null ? peer.fast.piecesSaid : peer.has.count() > 0;
        if (!want && peer.uploadOnly() && piecesKnown) {
            // it will not download from us, and has nothing we want (libtorrent: uninteresting_upload_peer)
            torrent.peers().disconnect(peer, "upload only (BEP 21) with nothing we want");
            return;
        }
        if (want != peer.amInterested) {
            peer.amInterested = want;
            peer.connection.send(want ? PeerMessage.INTERESTED : PeerMessage.NOT_INTERESTED);
            if (want) {
                peer.lastBlock = torrent.now();
            }
        }
    }

    private void onPiece(Peer peer, PeerMessage.Piece message) {
        BlockRequest block = message.block();
        Instant now = torrent.now();
        if (!peer.outstanding.remove(block)) {
            return; // not asked for, or cancelled in end game: drop the data
        }
        peer.pipeline.blockReceived(peer.download.rate(now), peer.maxRequests());
        peer.download.add(block.length(), now);
        torrent.peers().count(peer, block.length(), 0);
        torrent.downloaded(block.length(), now);
        peer.lastBlock = now;
        peer.snubbed = false;
        var picker = torrent.picker();
        if (picker.received(block)) {
            torrent.completion().put(block, message.data(), peer.id);
            if (picker.requestedElsewhere(block)) {
                torrent.requests().cancelElsewhere(peer, block); // end game only: before it, no other peer was asked
            }
            if (picker.isPieceReceived(block.piece())) {
                torrent.completion().complete(block.piece());
            }
        }
        moreRequests(peer);
    }

    /** {@code peer} as the torrent's extensions see it. */
    private ExtensionPeer view(Peer peer) {
        return ExtensionView.of(peer, torrent.peers());
    }

    /** We verified {@code piece}: the peers hear of it, and may stop being interesting. */
    void announce(int piece) {
        for (Peer p : List.copyOf(torrent.peers().all())) {
            // a seed needs no HAVE (BEP 3 asks for none): 4 messages per piece from four seeders, each a wake-up of
            // the connection's writer and a send. A peer with some pieces gets one even for a piece it has: a
            // super-seed (BEP 16) reveals pieces one at a time and waits for our HAVE of the last one.
            if (!p.isSeed()) {
                p.connection.send(new PeerMessage.Have(piece));
            }
            updateInterest(p);
        }
    }

    /**
     * We have every piece we want: seeds and upload-only peers are let go; the others hear that we only upload now
     * (BEP 21), in an extension handshake again (BEP 10 lets a peer send it more than once).
     */
    void completed() {
        for (Peer p : List.copyOf(torrent.peers().all())) {
            if (!redundant(p) && torrent.extensions().any() && p.connection.remote().supportsExtensions()) {
                p.connection.send(torrent.extensions().handshake(p.connection.address(), true));
            }
        }
    }

    /** Once a second: peers that stopped sending what we asked for lose those requests; uploads go on. */
    void tick(Instant now) {
        for (Peer p : List.copyOf(torrent.peers().all())) {
            if (!p.outstanding.isEmpty()
                    && Duration.between(p.lastBlock, now).compareTo(TorrentSession.REQUEST_TIMEOUT) > 0) {
                p.snubbed = true;
                torrent.requests().drop(p); // re-requested from other peers
                torrent.requests().moreFromAll();
            } else if (p.amInterested && !p.peerChoking
                    && Duration.between(p.lastBlock, now).compareTo(TorrentSession.SNUB_TIME) > 0) {
                p.snubbed = true;
            }
            torrent.uploads().serve(p);
        }
    }
}
