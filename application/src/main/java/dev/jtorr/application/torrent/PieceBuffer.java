package dev.jtorr.application.torrent;

import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Blocks;
import java.nio.ByteBuffer;

/** The blocks of one piece in progress, held in memory until the piece verifies, with who sent each block. */
final class PieceBuffer {
    private final byte[] bytes;
    private final PeerId[] sources;

    PieceBuffer(int pieceSize) {
        this.bytes = new byte[pieceSize];
        this.sources = new PeerId[Blocks.count(pieceSize)];
    }

    void put(BlockRequest block, ByteBuffer data, PeerId from) {
        data.duplicate().get(bytes, block.offset(), block.length());
        sources[block.block()] = from;
    }

    /**
     * The whole piece. Not read-only on purpose: a heap buffer with an accessible array lets MessageDigest hash it
     * in place with the CPU's SHA instructions instead of copying it through a small temporary array.
     */
    ByteBuffer data() {
        return ByteBuffer.wrap(bytes);
    }

    int size() {
        return bytes.length;
    }

    /** Zeros from {@code offset} to the end: the blocks of pad bytes that no peer is asked for. */
    void zeroFrom(int offset) {
        if (offset < bytes.length) {
            java.util.Arrays.fill(bytes, offset, bytes.length, (byte) 0);
        }
    }

    /**
     * Forgets the sources, for reuse with another piece (every byte is overwritten before it is read again, the pad
     * bytes by {@link #zeroFrom}).
     */
    PieceBuffer reset() {
        java.util.Arrays.fill(sources, null);
        return this;
    }

    int blocks() {
        return sources.length;
    }

    PeerId source(int block) {
        return sources[block];
    }

    /** Block {@code block}'s bytes, read-only. */
    ByteBuffer block(int block) {
        int from = block * Blocks.SIZE;
        return ByteBuffer.wrap(bytes, from, Blocks.length(bytes.length, block)).slice().asReadOnlyBuffer();
    }
}
