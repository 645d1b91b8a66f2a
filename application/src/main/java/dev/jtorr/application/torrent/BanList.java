package dev.jtorr.application.torrent;

import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Sha;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the peers that send corrupt data. When a piece fails its hash, a peer that sent every block of it is
 * banned at once; when several peers contributed, the hash of each one's blocks is remembered, and once the piece
 * later verifies, every peer whose block differs from the good data is banned (what libtorrent calls smart ban).
 * So an honest peer that shared a piece with a liar is never banned.
 */
final class BanList {
    private record Suspect(int block, PeerId peer, byte[] hash) {
    }

    private final Set<PeerId> banned = new HashSet<>();
    private final Map<Integer, List<Suspect>> suspects = new HashMap<>();
    /** Made when a piece first fails (most torrents never need it). */
    private MessageDigest sha1;

    boolean isBanned(PeerId id) {
        return banned.contains(id);
    }

    /** Bans a peer for something other than piece data (a forged info dictionary, say). */
    void ban(PeerId id) {
        banned.add(id);
    }

    /** A block of the peer's was shown corrupt by its leaf hash: returns whether it is newly banned. */
    boolean blockFailed(PeerId id) {
        return banned.add(id);
    }

    int count() {
        return banned.size();
    }

    /** A piece failed: returns the peers to ban now. */
    List<PeerId> pieceFailed(int piece, PieceBuffer buffer) {
        var sources = new LinkedHashSet<PeerId>();
        for (int b = 0; b < buffer.blocks(); b++) {
            if (buffer.source(b) != null) { // null: a block of pad bytes, from no peer
                sources.add(buffer.source(b));
            }
        }
        if (sources.size() == 1) {
            return banAll(sources);
        }
        var list = suspects.computeIfAbsent(piece, p -> new ArrayList<>());
        for (int b = 0; b < buffer.blocks(); b++) {
            if (buffer.source(b) != null) {
                list.add(new Suspect(b, buffer.source(b), hash(buffer, b)));
            }
        }
        return List.of();
    }

    /** A piece verified: returns the peers that had sent different data for it before. */
    List<PeerId> pieceVerified(int piece, PieceBuffer good) {
        List<Suspect> list = suspects.remove(piece);
        if (list == null) {
            return List.of();
        }
        var liars = new LinkedHashSet<PeerId>();
        for (Suspect s : list) {
            if (!MessageDigest.isEqual(s.hash, hash(good, s.block))) {
                liars.add(s.peer);
            }
        }
        return banAll(liars);
    }

    private List<PeerId> banAll(Set<PeerId> ids) {
        var fresh = new ArrayList<PeerId>();
        for (PeerId id : ids) {
            if (banned.add(id)) {
                fresh.add(id);
            }
        }
        return fresh;
    }

    private byte[] hash(PieceBuffer buffer, int block) {
        if (sha1 == null) {
            sha1 = Sha.sha1();
        }
        sha1.reset();
        sha1.update(buffer.block(block));
        return sha1.digest();
    }
}
