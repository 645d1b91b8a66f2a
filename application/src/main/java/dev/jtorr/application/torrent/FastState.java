package dev.jtorr.application.torrent;

import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.wire.AllowedFastSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What one connection knows of the Fast extension (BEP 6), which both handshakes negotiated: the pieces each side
 * allows the other while choked, the peer's suggestions, whether it said what it has, and the requests we stopped
 * waiting for whose answer (a block or a reject) may still come. Session thread only; a {@link Peer} without one
 * does not speak BEP 6.
 */
final class FastState {
    /** Suggestions kept per peer (libtorrent keeps as many), the most recent first. */
    static final int MAX_SUGGESTED = 16;
    /** Requests remembered after we stopped waiting for them: a pipeline's worth many times over. */
    static final int MAX_FORGOTTEN = 1024;
    /** A choked peer may fetch each allowed-fast piece's blocks this many times over before it is refused. */
    static final int CHOKED_REPEATS = 2;

    /** The allowed-fast set we sent the peer (BEP 6's canonical one), empty until sent. */
    int[] allowedByUs = new int[0];
    /** Blocks served to the peer while we choke it. */
    long chokedBlocks;
    /** Requests of the peer rejected because we choke it, since we last unchoked it. */
    int chokedRejects;
    /** Pieces the peer allows us to ask for while it chokes us; made at its first allowed fast. */
    Bitfield allowedToUs;
    /** Suggested pieces, most recent first. */
    int[] suggested = new int[0];
    /** The peer said which pieces it has (bitfield, have all or have none, or a have). */
    boolean piecesSaid;
    /** The peer said have all: a bitfield may not follow. */
    boolean haveAll;
    private final Set<BlockRequest> forgotten = new LinkedHashSet<>();

    /** Whether we offered {@code piece} to the peer in our allowed-fast set. */
    boolean allowedByUs(int piece) {
        for (int p : allowedByUs) {
            if (p == piece) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a peer we choke may still be served from its allowed-fast set: a starting peer (fewer pieces than the
     * set, as BEP 6's reference implementation has it), within {@link #CHOKED_REPEATS} times the set's blocks.
     */
    boolean servesChoked(Peer peer, BlockRequest block, int blocksPerPiece) {
        return allowedByUs(block.piece()) && peer.has.count() < AllowedFastSet.DEFAULT_SIZE
                && chokedBlocks < (long) CHOKED_REPEATS * allowedByUs.length * blocksPerPiece;
    }

    /** The peer suggested {@code piece}: it goes first, an older suggestion of it or the oldest one goes. */
    void suggest(int piece) {
        var next = new int[Math.min(MAX_SUGGESTED, suggested.length + 1)];
        next[0] = piece;
        int n = 1;
        for (int p : suggested) {
            if (p != piece && n < next.length) {
                next[n++] = p;
            }
        }
        suggested = n == next.length ? next : java.util.Arrays.copyOf(next, n);
    }

    /** We stopped waiting for {@code block} (dropped, cancelled): its answer may still come and is no offence. */
    void forget(BlockRequest block) {
        forgotten.remove(block);
        forgotten.add(block);
        if (forgotten.size() > MAX_FORGOTTEN) {
            Iterator<BlockRequest> oldest = forgotten.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** A reject for a block we stopped waiting for: true (and forgotten for good) if we did ask for it. */
    boolean answered(BlockRequest block) {
        return forgotten.remove(block);
    }
}
