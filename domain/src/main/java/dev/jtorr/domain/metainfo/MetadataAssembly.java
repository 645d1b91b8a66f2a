package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.Sha;
import dev.jtorr.domain.wire.MetadataMessage;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The info dictionary of a magnet link, put together from BEP 9 pieces sent by peers and checked against the
 * link's info-hashes: SHA-1 for v1 ({@code btih}), SHA-256 for v2 ({@code btmh}), both when both are known. Keeps
 * which piece is wanted, asked for or held, and which peer sent each, so that a dictionary that fails its hash can
 * be blamed on its senders. A piece's memory is taken only when its data arrives, so a peer that claims a huge size
 * costs nothing until it sends. Single-threaded.
 */
public final class MetadataAssembly {
    /**
     * The largest info dictionary accepted: as large as libtorrent's limit, well above the few MiB of a torrent of
     * tens of thousands of files, and far below what would let a peer exhaust the heap.
     */
    public static final int MAX_SIZE = 30 * 1024 * 1024;

    /** What a complete set of pieces turned out to be. */
    public sealed interface Outcome {
        /** The pieces hash to the expected info-hashes: {@code info} is the info dictionary. */
        record Verified(byte[] info) implements Outcome {
        }

        /** The pieces do not match: they are all discarded; {@code senders} sent them. */
        record Mismatch(Set<Long> senders) implements Outcome {
        }
    }

    private final Optional<Digest> v1;
    private final Optional<Digest> v2;
    private final int size;
    private final byte[][] pieces;
    private final long[] senders;
    private final boolean[] asked;
    private int held;

    /**
     * @param size the {@code metadata_size} a peer announced
     * @throws InvalidDataException when the size is not positive or above {@link #MAX_SIZE}
     */
    public MetadataAssembly(InfoHashes expected, long size) {
        if (size <= 0 || size > MAX_SIZE) {
            throw new InvalidDataException("metadata size " + size + " is outside 1-" + MAX_SIZE + " bytes");
        }
        this.v1 = expected.v1();
        this.v2 = expected.v2();
        this.size = (int) size;
        int count = (this.size + MetadataMessage.PIECE - 1) / MetadataMessage.PIECE;
        this.pieces = new byte[count][];
        this.senders = new long[count];
        this.asked = new boolean[count];
    }

    public int size() {
        return size;
    }

    public int pieceCount() {
        return pieces.length;
    }

    /** The length piece {@code piece} must have. */
    public int pieceLength(int piece) {
        return piece == pieces.length - 1 ? size - piece * MetadataMessage.PIECE : MetadataMessage.PIECE;
    }

    /** A piece neither held nor asked for, now marked as asked for; empty when there is none. */
    public OptionalInt claim() {
        for (int p = 0; p < pieces.length; p++) {
            if (pieces[p] == null && !asked[p]) {
                asked[p] = true;
                return OptionalInt.of(p);
            }
        }
        return OptionalInt.empty();
    }

    /** The peer asked for {@code piece} rejected it or left: another peer may be asked. */
    public void release(int piece) {
        if (piece >= 0 && piece < pieces.length && pieces[piece] == null) {
            asked[piece] = false;
        }
    }

    /**
     * A piece from peer {@code sender}.
     *
     * @throws InvalidDataException when the piece lies past the end, the peer's total size differs from the one
     *                              assembled, or the piece has the wrong length (the peer is at fault)
     */
    public void put(MetadataMessage.Data data, long sender) {
        int p = data.piece();
        if (data.totalSize() != size) {
            throw new InvalidDataException("metadata of " + data.totalSize() + " bytes, expected " + size);
        }
        if (p >= pieces.length) {
            throw new InvalidDataException("metadata piece " + p + " past the end (" + pieces.length + " pieces)");
        }
        if (data.data().length != pieceLength(p)) {
            throw new InvalidDataException("metadata piece " + p + " of " + data.data().length + " bytes, expected "
                    + pieceLength(p));
        }
        if (pieces[p] == null) {
            pieces[p] = data.data().clone();
            senders[p] = sender;
            asked[p] = true;
            held++;
        }
    }

    public boolean isComplete() {
        return held == pieces.length;
    }

    /** Pieces held so far. */
    public int held() {
        return held;
    }

    /**
     * Checks the complete dictionary; on a mismatch every piece is discarded, to be fetched again.
     *
     * @throws IllegalStateException when pieces are missing
     */
    public Outcome verify() {
        if (!isComplete()) {
            throw new IllegalStateException(held + " of " + pieces.length + " metadata pieces held");
        }
        byte[] info = new byte[size];
        for (int p = 0; p < pieces.length; p++) {
            System.arraycopy(pieces[p], 0, info, p * MetadataMessage.PIECE, pieces[p].length);
        }
        boolean ok = v1.map(h -> matches(Sha.sha1(), info, h)).orElse(true)
                && v2.map(h -> matches(Sha.sha256(), info, h)).orElse(true);
        if (ok) {
            return new Outcome.Verified(info);
        }
        var blamed = new LinkedHashSet<Long>();
        for (int p = 0; p < pieces.length; p++) {
            blamed.add(senders[p]);
            pieces[p] = null;
            asked[p] = false;
        }
        held = 0;
        return new Outcome.Mismatch(Set.copyOf(blamed));
    }

    private static boolean matches(MessageDigest digest, byte[] info, Digest expected) {
        return MessageDigest.isEqual(digest.digest(info), expected.bytes());
    }
}
