package dev.jtorr.application.torrent;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.piece.Sha;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.InfoDictionary;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.HashRange;
import dev.jtorr.domain.piece.PieceLayerTree;
import dev.jtorr.domain.wire.PeerMessage;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The piece layers of a v2-only torrent that came by magnet link (BEP 52): its info dictionary holds only each file's
 * pieces root, and its pieces cannot be checked without the piece hashes. Each file of more than one piece is asked
 * for in runs of up to 512 piece hashes, each with the proof up to the file's root, so that every run is checked on
 * its own before it is kept. A peer that rejects a run is not asked for it again; one whose hashes do not prove out
 * is reported (the caller drops it). At most {@link #PER_PEER} requests are out at a peer. Engine thread.
 */
final class PieceLayerFetching {
    static final int PER_PEER = 4;

    private record Run(FileEntry file, int pieces, HashRange range) {
    }

    private final long pieceLength;
    private final Deque<Run> open = new ArrayDeque<>();
    private final Map<HashRange, Run> runs = new HashMap<>();
    private final Map<Run, Peer> asked = new HashMap<>();
    private final Map<Peer, Set<Run>> refused = new HashMap<>();
    private final Map<Digest, byte[]> layers = new LinkedHashMap<>();
    private final MessageDigest sha256 = Sha.sha256();
    private int missing;
    private int total;

    PieceLayerFetching(InfoDictionary info) {
        this.pieceLength = info.pieceLength();
        for (FileEntry f : info.files()) {
            if (f.isPadding() || f.length() <= pieceLength || f.piecesRoot().isEmpty()) {
                continue; // a file of one piece or less is checked against its pieces root
            }
            int pieces = (int) ((f.length() + pieceLength - 1) / pieceLength);
            layers.put(f.piecesRoot().get(), new byte[pieces * 32]);
            for (int n = 0; n < PieceLayerTree.runs(pieces); n++) {
                var run = new Run(f, pieces, PieceLayerTree.request(f.piecesRoot().get(), pieces, pieceLength, n));
                open.add(run);
                runs.put(run.range(), run);
                missing++;
                total++;
            }
        }
    }

    /** Whether {@code info} needs piece layers before its pieces can be checked: a v2-only torrent with a large file. */
    static boolean needed(InfoDictionary info) {
        return !info.version().hasV1() && !new PieceLayerFetching(info).done();
    }

    boolean done() {
        return missing == 0;
    }

    /** Runs still missing, and in all. */
    int[] progress() {
        return new int[] {total - missing, total};
    }

    /** Every file's verified piece layer: pieces root to its piece hashes; complete once {@link #done()}. */
    Map<Digest, byte[]> layers() {
        return layers;
    }

    /** Sends {@code peer} requests for runs nobody is asked for, up to {@link #PER_PEER} out at it. */
    void ask(Peer peer) {
        int out = (int) asked.values().stream().filter(p -> p == peer).count();
        Set<Run> no = refused.getOrDefault(peer, Set.of());
        for (int tries = open.size(); tries > 0 && out < PER_PEER; tries--) {
            Run run = open.poll();
            if (no.contains(run)) {
                open.add(run);
                continue;
            }
            asked.put(run, peer);
            out++;
            peer.connection.send(new PeerMessage.HashRequest(run.range()));
        }
    }

    /**
     * A hash message from {@code peer}.
     *
     * @throws InvalidDataException for hashes that do not prove out to the file's root, or hashes and rejects of
     *                              requests we did not make to this peer
     */
    void received(Peer peer, PeerMessage.Hashing message) {
        switch (message) {
            case PeerMessage.HashRequest r -> peer.connection.send(new PeerMessage.HashReject(r.range()));
            case PeerMessage.Hashes h -> {
                Run run = askedOf(peer, h.range());
                byte[] hashes = PieceLayerTree.verify(h.range(), h.hashes(), run.pieces(), pieceLength, sha256);
                System.arraycopy(hashes, 0, layers.get(run.file().piecesRoot().get()), h.range().index() * 32,
                        hashes.length);
                asked.remove(run);
                runs.remove(run.range());
                missing--;
            }
            case PeerMessage.HashReject r -> {
                Run run = askedOf(peer, r.range());
                asked.remove(run);
                refused.computeIfAbsent(peer, p -> new HashSet<>()).add(run);
                open.add(run);
            }
        }
    }

    private Run askedOf(Peer peer, HashRange range) {
        Run run = runs.get(range);
        if (run == null || asked.get(run) != peer) {
            throw new InvalidDataException("an answer to a hash request we did not make: " + range);
        }
        return run;
    }

    /** {@code peer} is gone: what it was asked for is open again. */
    void left(Peer peer) {
        asked.entrySet().removeIf(e -> {
            if (e.getValue() == peer) {
                open.add(e.getKey());
                return true;
            }
            return false;
        });
        refused.remove(peer);
    }
}
