package dev.jtorr.application.torrent;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.metainfo.PieceVerifier;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.HashRange;
import dev.jtorr.domain.piece.LeafHashes;
import dev.jtorr.domain.piece.MerkleTree;
import dev.jtorr.domain.piece.Sha;
import dev.jtorr.domain.wire.PeerMessage;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Pins a failed v2 piece's corruption on the exact blocks (BEP 52): when blocks from more than one peer made a piece
 * that failed, a peer that has the piece is asked for its leaf hashes, which must hash up to the piece's verified hash
 * before any is used; then each block we held is hashed, and the peers of the blocks that differ are reported to be
 * banned, alone. The whole piece is fetched again anyway (the picker already did so when it failed; keeping the good
 * blocks would wait on the answer): what this buys is blaming the right peer at once, not after the piece verifies.
 * A peer whose answer does not prove out is dropped (the caller turns the exception into a disconnect) and the next
 * one asked; one that rejects is passed over. Nothing is hashed unless a piece failed. At most {@link #MAX_PENDING}
 * pieces wait for an answer (32 bytes a block each); more failures are left to {@link BanList}'s comparison once the
 * piece verifies; a
 * peer that never answers holds its piece's place until it leaves. Engine thread.
 */
final class BlockBlame {
    static final int MAX_PENDING = 16;

    private static final class Pending {
        final int piece;
        final PieceVerifier.BlockCheck check;
        final PeerId[] sources;
        final byte[] held;
        final Set<Peer> asked = new HashSet<>();
        Peer at;

        Pending(int piece, PieceVerifier.BlockCheck check, PeerId[] sources, byte[] held) {
            this.piece = piece;
            this.check = check;
            this.sources = sources;
            this.held = held;
        }
    }

    private final PieceVerifier verifier;
    private final TorrentSession torrent;
    private final BiConsumer<PeerId, String> blame;
    private final Map<HashRange, Pending> pending = new HashMap<>();
    private MessageDigest sha256;

    /** @param blame takes each peer whose block was shown to be corrupt, and which block it was */
    BlockBlame(PieceVerifier verifier, TorrentSession torrent, BiConsumer<PeerId, String> blame) {
        this.verifier = verifier;
        this.torrent = torrent;
        this.blame = blame;
    }

    /** {@code piece} failed its hash check with the blocks in {@code buffer} (before the buffer is reused). */
    void failed(int piece, PieceBuffer buffer) {
        if (pending.size() >= MAX_PENDING) {
            return;
        }
        var check = verifier.blockCheck(piece).orElse(null);
        if (check == null || pending.containsKey(check.request().range())) {
            return;
        }
        int blocks = Math.min(check.request().blocks(), buffer.blocks());
        var sources = new PeerId[blocks];
        var distinct = new LinkedHashSet<PeerId>();
        for (int b = 0; b < blocks; b++) {
            sources[b] = buffer.source(b);
            if (sources[b] != null) {
                distinct.add(sources[b]);
            }
        }
        if (distinct.size() < 2) {
            return; // one peer sent it all: BanList bans it at once
        }
        byte[] held = new byte[blocks * MerkleTree.HASH_SIZE];
        for (int b = 0; b < blocks; b++) {
            digest().reset();
            digest().update(buffer.block(b));
            MerkleTree.digestInto(digest(), held, b * MerkleTree.HASH_SIZE);
        }
        var p = new Pending(piece, check, sources, held);
        pending.put(check.request().range(), p);
        ask(p);
    }

    /**
     * A hashes message or hash reject from {@code peer}: returns false when it answers nothing we asked it.
     *
     * @throws InvalidDataException for leaf hashes that do not hash up to the piece's hash
     */
    boolean received(Peer peer, PeerMessage.Hashing message) {
        HashRange range = switch (message) {
            case PeerMessage.Hashes h -> h.range();
            case PeerMessage.HashReject r -> r.range();
            case PeerMessage.HashRequest r -> null;
        };
        Pending p = range == null ? null : pending.get(range);
        if (p == null || p.at != peer) {
            return false;
        }
        p.at = null;
        if (message instanceof PeerMessage.Hashes h) {
            byte[] leaves;
            try {
                leaves = LeafHashes.verify(p.check.request(), h.hashes(), p.check.pieceHash(), digest());
            } catch (InvalidDataException e) {
                ask(p);
                throw e;
            }
            pending.remove(range);
            judge(p, leaves);
        } else {
            ask(p);
        }
        return true;
    }

    /** {@code peer} is gone: what it was asked goes to another peer. */
    void left(Peer peer) {
        for (Pending p : List.copyOf(pending.values())) {
            if (p.at == peer) {
                p.at = null;
                ask(p);
            }
        }
    }

    private void judge(Pending p, byte[] leaves) {
        for (int b = 0; b < p.sources.length; b++) {
            int at = b * MerkleTree.HASH_SIZE;
            if (p.sources[b] != null && !java.util.Arrays.equals(leaves, at, at + MerkleTree.HASH_SIZE, p.held, at,
                    at + MerkleTree.HASH_SIZE)) {
                blame.accept(p.sources[b], "block " + b + " of piece " + p.piece);
            }
        }
    }

    /** Asks the next peer that has the piece, those that sent none of it first; gives up when none is left. */
    private void ask(Pending p) {
        PeerSet peers = torrent.peers();
        Peer best = null;
        var senders = new HashSet<>(java.util.Arrays.asList(p.sources));
        for (Peer candidate : peers.peers()) {
            if (p.asked.contains(candidate) || !candidate.has.get(p.piece) || !peers.isConnected(candidate)) {
                continue;
            }
            if (best == null || senders.contains(best.id) && !senders.contains(candidate.id)) {
                best = candidate;
            }
        }
        if (best == null) {
            pending.remove(p.check.request().range());
            return;
        }
        p.asked.add(best);
        p.at = best;
        best.connection.send(new PeerMessage.HashRequest(p.check.request().range()));
    }

    private MessageDigest digest() {
        if (sha256 == null) {
            sha256 = Sha.sha256();
        }
        return sha256;
    }
}
