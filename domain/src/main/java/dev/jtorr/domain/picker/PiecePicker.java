package dev.jtorr.domain.picker;

import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Blocks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Decides which blocks to request from which peer (BEP 3's recommended strategy, as libtorrent does it):
 * <ul>
 *   <li>{@linkplain PiecePriorities prioritized} pieces (streaming) come before all others: their open blocks, and
 *       new ones started even past {@link Options#maxPartialPieces()}, which the prioritized ranges' size bounds;</li>
 *   <li>then blocks of pieces already started, so pieces complete and can be verified and shared;</li>
 *   <li>while we have fewer than {@link Options#randomFirst()} pieces, new pieces are chosen at random, so that a new
 *       peer soon has something to trade;</li>
 *   <li>after that the rarest piece in the swarm (lowest availability), ties broken at random; or the lowest index in
 *       sequential mode;</li>
 *   <li>at most {@link Options#maxPartialPieces()} pieces are in progress at once, which bounds the memory that holds
 *       unverified blocks;</li>
 *   <li>end game: once every missing block has been requested, blocks still outstanding are requested again from
 *       other peers; the caller cancels the duplicates when one copy arrives.</li>
 * </ul>
 * Randomness comes in as a parameter. Single-threaded.
 */
public final class PiecePicker {
    private static final int[] NO_SUGGESTIONS = {};
    /**
     * @param randomFirst      pieces to pick at random before switching to rarest-first
     * @param sequential       pick pieces in index order (for streaming), still finishing started pieces first
     * @param maxPartialPieces pieces that may be in progress at once (at least 1)
     */
    public record Options(int randomFirst, boolean sequential, int maxPartialPieces) {
        public Options {
            if (randomFirst < 0 || maxPartialPieces < 1) {
                throw new IllegalArgumentException("bad picker options");
            }
        }
    }

    private final IntUnaryOperator pieceSize;
    private final IntUnaryOperator fetchLength;
    private final Bitfield have;
    /** Availability of every piece, and the pieces still to start sorted by it. */
    private final RarityIndex rarity;
    private final Options options;
    /** Pieces to fetch first; shared with the caller, who sets and drops ranges between picks. */
    private final PiecePriorities priorities;
    /** Pieces in progress, oldest first (they are finished first). */
    private final Map<Integer, PartialPiece> partial = new LinkedHashMap<>();
    /**
     * The same pieces by index, for the lookups made per block and per candidate piece: a map keyed by Integer boxed
     * every index above 127 on each of them (26 MB of garbage per GiB downloaded, most of it from scanning candidates).
     */
    private final PartialPiece[] partialByIndex;
    /** Pieces of high-priority files, started before the others; null when there are none. */
    private Bitfield high;
    /** Pieces of low-priority files, started only when no other piece the peer has is left; null when none. */
    private Bitfield low;

    /**
     * @param pieceSize bytes in each piece (the last one may be short)
     * @param have      pieces already verified; the picker keeps and updates its own copy
     */
    public PiecePicker(IntUnaryOperator pieceSize, Bitfield have, Options options) {
        this(pieceSize, pieceSize, have, options);
    }

    /**
     * @param fetchLength bytes of each piece to request: the blocks past the one holding its last such byte are pad
     *                    bytes, never requested and counted as received from the start
     */
    public PiecePicker(IntUnaryOperator pieceSize, IntUnaryOperator fetchLength, Bitfield have, Options options) {
        this(pieceSize, fetchLength, have, options, new PiecePriorities(have.size()));
    }

    /**
     * @param priorities pieces to fetch before any other; the caller keeps it and changes it between picks (it
     *                   outlives a picker made afresh after a recheck)
     */
    public PiecePicker(IntUnaryOperator pieceSize, IntUnaryOperator fetchLength, Bitfield have, Options options,
                       PiecePriorities priorities) {
        this.priorities = priorities;
        this.pieceSize = pieceSize;
        this.fetchLength = fetchLength;
        this.have = have.copy();
        this.rarity = new RarityIndex(have.size(), have);
        this.partialByIndex = new PartialPiece[have.size()];
        this.options = options;
    }

    /**
     * Sets the pieces of high and of low priority (files' priorities as users give them): a new piece is chosen from
     * the high ones the peer has first, then from the normal ones, then from the low ones; the usual order (rarest
     * first, or index order when sequential) holds within each level. Started and prioritized pieces still come
     * first.
     */
    public void levels(Bitfield highPieces, Bitfield lowPieces) {
        this.high = highPieces.isEmpty() ? null : highPieces.copy();
        this.low = lowPieces.isEmpty() ? null : lowPieces.copy();
    }

    public int pieceCount() {
        return have.size();
    }

    /** Pieces verified so far (a copy). */
    public Bitfield have() {
        return have.copy();
    }

    public boolean isComplete() {
        return have.isComplete();
    }

    /** Peers known to have {@code piece}. */
    public int availability(int piece) {
        return rarity.availability(piece);
    }

    public void peerHas(int piece) {
        rarity.increment(piece);
    }

    public void peerHas(Bitfield pieces) {
        for (int i = pieces.nextSet(0); i >= 0; i = pieces.nextSet(i + 1)) {
            rarity.increment(i);
        }
    }

    /** A peer with {@code pieces} left the swarm. */
    public void peerLeft(Bitfield pieces) {
        for (int i = pieces.nextSet(0); i >= 0; i = pieces.nextSet(i + 1)) {
            rarity.decrement(i);
        }
    }

    /** Whether a peer with {@code pieces} has something we still need. */
    public boolean isInteresting(Bitfield pieces) {
        return pieces.hasAnyMissingFrom(have);
    }

    /** Pieces in progress: some blocks requested or received, not yet verified. */
    public int partialPieces() {
        return partial.size();
    }

    /** Whether every missing block has been requested at least once, so requests now go out in duplicate. */
    public boolean inEndgame() {
        if (!rarity.isEmpty()) {
            return false; // a piece is still to start
        }
        for (PartialPiece p : partial.values()) {
            if (p.firstOpen() >= 0) {
                return false;
            }
        }
        return !partial.isEmpty();
    }

    /**
     * Chooses up to {@code count} blocks to request from a peer that has {@code peerHas}, and counts them as
     * requested.
     *
     * @param alreadyAsked blocks already outstanding at this peer (never asked twice)
     */
    public List<BlockRequest> pick(Bitfield peerHas, int count, Predicate<BlockRequest> alreadyAsked,
                                   RandomGenerator random) {
        return pick(peerHas, count, alreadyAsked, random, NO_SUGGESTIONS);
    }

    /**
     * As {@link #pick(Bitfield, int, Predicate, RandomGenerator)}, taking the peer's suggestions (BEP 6's suggest
     * piece) as a hint: when a new piece is to be started, a suggested one is started instead of the one chosen only
     * if it is no more common (in the random phase: any suggested piece, since any piece will do). Started pieces
     * still come first, the partial-piece limit holds, sequential mode ignores suggestions, and a suggestion of a
     * piece the peer lacks, we have or is out of range counts for nothing.
     *
     * @param suggested piece indices, most recent first, as the peer sent them (not checked)
     */
    public List<BlockRequest> pick(Bitfield peerHas, int count, Predicate<BlockRequest> alreadyAsked,
                                   RandomGenerator random, int[] suggested) {
        var out = new ArrayList<BlockRequest>(count);
        if (!priorities.isEmpty()) {
            pickPrioritized(peerHas, count, out);
        }
        for (PartialPiece p : partial.values()) {
            if (out.size() == count) {
                return out;
            }
            if (peerHas.get(p.piece)) {
                p.takeOpen(out, count);
            }
        }
        while (out.size() < count && partial.size() < options.maxPartialPieces()) {
            int piece = choosePiece(peerHas, random, suggested);
            if (piece < 0) {
                break;
            }
            start(piece).takeOpen(out, count);
        }
        if (out.isEmpty() && inEndgame()) {
            pickEndgame(peerHas, count, alreadyAsked, out);
        }
        return out;
    }

    /** Open blocks of the prioritized pieces the peer has, starting those not yet started. */
    private void pickPrioritized(Bitfield peerHas, int count, List<BlockRequest> out) {
        for (PiecePriorities.Range r : priorities.live()) {
            int last = Math.min(r.last(), have.size() - 1);
            for (int piece = r.first(); piece <= last; piece++) {
                if (out.size() == count) {
                    return;
                }
                if (have.get(piece) || !peerHas.get(piece)) {
                    continue;
                }
                PartialPiece p = partialByIndex[piece];
                if (p == null) {
                    p = start(piece);
                }
                p.takeOpen(out, count);
            }
        }
    }

    private PartialPiece start(int piece) {
        var p = new PartialPiece(piece, pieceSize.applyAsInt(piece), fetchLength.applyAsInt(piece));
        partial.put(piece, p);
        partialByIndex[piece] = p;
        rarity.remove(piece);
        return p;
    }

    private void pickEndgame(Bitfield peerHas, int count, Predicate<BlockRequest> alreadyAsked,
                             List<BlockRequest> out) {
        // least-requested outstanding blocks first, so duplicates spread over the blocks still missing
        for (int round = 1; out.size() < count && round <= 4; round++) {
            for (PartialPiece p : partial.values()) {
                if (peerHas.get(p.piece)) {
                    p.takeDuplicates(out, count, round, alreadyAsked);
                }
            }
        }
    }

    /**
     * The piece to start next among those the peer has and we neither have nor have started: the rarest, ties broken
     * uniformly at random (any of them in the random phase; the lowest index in sequential mode); -1 if none. It runs
     * once per piece started: from the rarity index, without a scan over every piece (sequential mode excepted).
     */
    private int choosePiece(Bitfield peerHas, RandomGenerator random, int[] suggested) {
        if (high == null && low == null) {
            return chooseAmong(peerHas, random, suggested);
        }
        if (high != null) {
            int piece = chooseAmong(masked(peerHas, high, true), random, suggested);
            if (piece >= 0) {
                return piece;
            }
        }
        Bitfield normal = peerHas;
        if (high != null) {
            normal = masked(normal, high, false);
        }
        if (low != null) {
            normal = masked(normal, low, false);
        }
        int piece = chooseAmong(normal, random, suggested);
        return piece >= 0 || low == null ? piece : chooseAmong(masked(peerHas, low, true), random, suggested);
    }

    /** The pieces of {@code pieces} that are ({@code keep}) or are not in {@code level}. */
    private static Bitfield masked(Bitfield pieces, Bitfield level, boolean keep) {
        Bitfield out = pieces.copy();
        for (int i = out.nextSet(0); i >= 0; i = out.nextSet(i + 1)) {
            if (level.get(i) != keep) {
                out.clear(i);
            }
        }
        return out;
    }

    private int chooseAmong(Bitfield peerHas, RandomGenerator random, int[] suggested) {
        if (options.sequential()) {
            for (int i = peerHas.nextSetAndClearIn(0, have); i >= 0; i = peerHas.nextSetAndClearIn(i + 1, have)) {
                if (partialByIndex[i] == null) {
                    return i;
                }
            }
            return -1;
        }
        boolean randomPhase = have.count() + partial.size() < options.randomFirst();
        int chosen = randomPhase ? rarity.any(peerHas, random) : rarity.rarest(peerHas, random);
        if (chosen < 0) {
            return -1;
        }
        for (int s : suggested) {
            if (s >= 0 && s < have.size() && peerHas.get(s) && !have.get(s) && partialByIndex[s] == null
                    && (randomPhase || rarity.availability(s) <= rarity.availability(chosen))) {
                return s;
            }
        }
        return chosen;
    }

    /**
     * Counts a block as received. Returns false for a block we did not ask for or already have (the caller drops its
     * data).
     */
    public boolean received(BlockRequest block) {
        PartialPiece p = inProgress(block.piece());
        return p != null && p.receive(block);
    }

    /**
     * Whether a block just {@linkplain #received received} is also requested from other peers (end game), so that the
     * caller has copies to cancel. Outside end game every block is asked of one peer at a time, and the caller need
     * not look through every other peer's requests for each block that arrives.
     */
    public boolean requestedElsewhere(BlockRequest block) {
        PartialPiece p = inProgress(block.piece());
        return p != null && p.requestsOut(block) > 1;
    }

    /** Whether every block of {@code piece} has been received, so it can be verified. */
    public boolean isPieceReceived(int piece) {
        PartialPiece p = inProgress(piece);
        return p != null && p.received == p.blocks;
    }

    /** A request that will not be answered (choke, timeout, peer gone, cancelled): its block is open again. */
    public void requestDropped(BlockRequest block) {
        PartialPiece p = inProgress(block.piece());
        if (p != null) {
            p.drop(block);
        }
    }

    /** The piece's hash checked out. */
    public void verified(int piece) {
        forget(piece);
        have.set(piece);
        rarity.remove(piece);
    }

    /** The piece's hash failed: every block of it is wanted again. */
    public void failed(int piece) {
        forget(piece);
        if (piece >= 0 && piece < have.size() && !have.get(piece)) {
            rarity.add(piece);
        }
    }

    /** The piece in progress with this index, or null (also for an index out of range: peers send those). */
    private PartialPiece inProgress(int piece) {
        return piece >= 0 && piece < partialByIndex.length ? partialByIndex[piece] : null;
    }

    private void forget(int piece) {
        if (inProgress(piece) != null) {
            partial.remove(piece);
            partialByIndex[piece] = null;
        }
    }

    /** Block state of one piece in progress. */
    private static final class PartialPiece {
        private final int piece;
        private final int size;
        private final int blocks;
        private final int[] requests;
        private final boolean[] got;
        private int received;
        /** Blocks neither received nor requested, and no such block lies before {@code cursor}. */
        private int open;
        private int cursor;

        PartialPiece(int piece, int size, int fetch) {
            this.piece = piece;
            this.size = size;
            this.blocks = Blocks.count(size);
            this.requests = new int[blocks];
            this.got = new boolean[blocks];
            int fetched = Math.min(blocks, Blocks.count(fetch));
            java.util.Arrays.fill(got, fetched, blocks, true);
            this.received = blocks - fetched;
            this.open = fetched;
        }

        private boolean isOpen(int b) {
            return !got[b] && requests[b] == 0;
        }

        int firstOpen() {
            if (open == 0) {
                return -1;
            }
            while (!isOpen(cursor)) {
                cursor++;
            }
            return cursor;
        }

        /** Called for every piece in progress each time a peer wants blocks: O(1) once a piece is all requested. */
        void takeOpen(List<BlockRequest> out, int count) {
            for (int b = firstOpen(); b >= 0 && out.size() < count; b = firstOpen()) {
                requests[b]++;
                open--;
                out.add(Blocks.request(piece, size, b));
            }
        }

        void takeDuplicates(List<BlockRequest> out, int count, int maxRequests, Predicate<BlockRequest> asked) {
            for (int b = 0; b < blocks && out.size() < count; b++) {
                if (!got[b] && requests[b] == maxRequests) {
                    BlockRequest r = Blocks.request(piece, size, b);
                    if (!asked.test(r) && !out.contains(r)) {
                        requests[b]++;
                        out.add(r);
                    }
                }
            }
        }

        boolean receive(BlockRequest r) {
            int b = r.block();
            if (r.offset() % Blocks.SIZE != 0 || b >= blocks || r.length() != Blocks.length(size, b) || got[b]) {
                return false;
            }
            if (requests[b] == 0) {
                open--; // it came although its request had been dropped
            }
            got[b] = true;
            received++;
            return true;
        }

        /** Requests outstanding for this block, the one it arrived on included (0 for a block not of this piece). */
        int requestsOut(BlockRequest r) {
            int b = r.block();
            return b < blocks ? requests[b] : 0;
        }

        void drop(BlockRequest r) {
            int b = r.block();
            if (b < blocks && requests[b] > 0) {
                requests[b]--;
                if (isOpen(b)) {
                    open++;
                    cursor = Math.min(cursor, b);
                }
            }
        }
    }
}
