package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.StorageException;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.HashRange;
import dev.jtorr.domain.piece.MerkleTree;
import dev.jtorr.domain.piece.PieceLayerTree;
import dev.jtorr.domain.piece.Sha;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Answers BEP 52 hash requests for a file's leaf layer (base layer 0, the hashes of its 16 KiB blocks) from the data of
 * verified pieces: no leaf hash is kept, the pieces under the request are read back and hashed on the disk thread, one
 * piece at a time, and the answer carries the uncles asked for, from those leaves up to the piece layer and from the
 * file's piece-layer tree above it. A request is rejected (the caller sends the reject) when it touches a piece we
 * have not verified, breaks BEP 52's shape rules, reaches past the padded tree, or asks for more proof layers than lie
 * below the root, and when {@link #MAX_IN_FLIGHT} answers are already being made: so memory stays within that many
 * pieces being read plus their leaf hashes (32 bytes a block), and hashing within that much work at a time. Engine
 * thread, but for the reading and hashing.
 */
final class LeafServing {
    /** Leaf-layer answers being made at once, for all peers of a torrent; more requests meanwhile are rejected. */
    static final int MAX_IN_FLIGHT = 2;
    private static final int H = MerkleTree.HASH_SIZE;
    private final TorrentSession torrent;
    private Map<Digest, FileEntry> files;
    private int inFlight;

    LeafServing(TorrentSession torrent) {
        this.torrent = torrent;
    }

    /**
     * Starts answering {@code r} to {@code peer}, or returns false when it is to be rejected.
     *
     * @param tree the file's piece-layer tree; null for a file of one piece or less
     */
    boolean answer(Peer peer, HashRange r, PieceLayerTree tree) {
        FileEntry file = file(r.piecesRoot());
        long pieceLength = torrent.layout().pieceLength();
        if (file == null || inFlight >= MAX_IN_FLIGHT) {
            return false;
        }
        boolean small = file.length() <= pieceLength;
        if (!small && tree == null) {
            return false;
        }
        int perPiece = (int) (pieceLength / MerkleTree.BLOCK_SIZE);
        long blocks = (file.length() + MerkleTree.BLOCK_SIZE - 1) / MerkleTree.BLOCK_SIZE;
        long width = small ? MerkleTree.nextPowerOfTwo(blocks) : (1L << tree.height()) * perPiece;
        int height = Long.numberOfTrailingZeros(width);
        if (r.length() < 1 || r.length() > HashRange.MAX_LENGTH || Integer.bitCount(r.length()) != 1
                || r.index() % r.length() != 0 || (long) r.index() + r.length() > width || r.proofLayers() >= height) {
            return false;
        }
        int unit = small ? (int) width : perPiece; // leaves under one hash we know: a piece, or a small file's root
        int from = r.index() / unit * unit;
        int to = (int) Math.max(from + unit, ((long) r.index() + r.length() + unit - 1) / unit * unit);
        int firstPiece = (int) (file.offset() / pieceLength);
        int filePieces = (int) ((file.length() + pieceLength - 1) / pieceLength);
        for (int k = from / perPiece; k < Math.min(filePieces, (to + perPiece - 1) / perPiece); k++) {
            if (!torrent.have().get(firstPiece + k)) {
                return false;
            }
        }
        inFlight++;
        torrent.disk().execute(() -> {
            PeerMessage answer;
            try {
                byte[] leaves = leaves(file, from, to, firstPiece, perPiece);
                answer = new PeerMessage.Hashes(r, hashes(r, leaves, from, unit, tree, perPiece));
            } catch (StorageException e) {
                answer = new PeerMessage.HashReject(r);
            }
            PeerMessage done = answer;
            torrent.loop().execute(() -> {
                inFlight--;
                peer.connection.send(done);
            });
        });
        return true;
    }

    /** The leaf hashes from leaf {@code from} to {@code to}, zeros past the file's end. Disk thread. */
    private byte[] leaves(FileEntry file, int from, int to, int firstPiece, int perPiece) {
        long pieceLength = torrent.layout().pieceLength();
        MessageDigest sha256 = Sha.sha256();
        byte[] out = new byte[(to - from) * H];
        for (int k = from / perPiece; k * pieceLength < file.length() && k * perPiece < to; k++) {
            int length = (int) Math.min(pieceLength, file.length() - k * pieceLength);
            ByteBuffer data = torrent.storage().readBlock(firstPiece + k, 0, length);
            for (int b = 0; b * MerkleTree.BLOCK_SIZE < length; b++) {
                int leaf = k * perPiece + b;
                if (leaf >= from && leaf < to) {
                    sha256.reset();
                    sha256.update(data.slice(data.position() + b * MerkleTree.BLOCK_SIZE,
                            Math.min(MerkleTree.BLOCK_SIZE, length - b * MerkleTree.BLOCK_SIZE)));
                    MerkleTree.digestInto(sha256, out, (leaf - from) * H);
                }
            }
        }
        return out;
    }

    /** The base-layer hashes of {@code r}, then one uncle per proof layer it carries (as PieceLayerTree answers). */
    private static byte[] hashes(HashRange r, byte[] leaves, int from, int unit, PieceLayerTree tree, int perPiece) {
        MessageDigest sha256 = Sha.sha256();
        int uncles = r.uncleCount();
        byte[] out = new byte[(r.length() + uncles) * H];
        System.arraycopy(leaves, (r.index() - from) * H, out, 0, r.length() * H);
        int first = Integer.numberOfTrailingZeros(r.length());
        int pieceLayer = Integer.numberOfTrailingZeros(perPiece);
        for (int u = 0; u < uncles; u++) {
            int h = first + u;
            int sibling = (r.index() >> h) ^ 1;
            byte[] node;
            if ((1 << h) < unit) { // inside the piece (or small file) we read
                int start = (sibling << h) - from;
                node = MerkleTree.root(Arrays.copyOfRange(leaves, start * H, (start + (1 << h)) * H), 1 << h, 1L << h,
                        new byte[H], sha256);
            } else {
                node = tree.node(h - pieceLayer, sibling);
            }
            System.arraycopy(node, 0, out, (r.length() + u) * H, H);
        }
        return out;
    }

    private FileEntry file(Digest root) {
        if (files == null) {
            files = new HashMap<>();
            for (FileEntry f : torrent.metainfo().info().files()) {
                f.piecesRoot().ifPresent(d -> files.put(d, f));
            }
        }
        return files.get(root);
    }
}
