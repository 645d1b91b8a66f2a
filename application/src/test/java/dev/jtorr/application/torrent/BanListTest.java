package dev.jtorr.application.torrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Blocks;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Who is banned for a piece that failed its hash. */
class BanListTest {
    private static final int PIECE = 4 * Blocks.SIZE;
    private final SplittableRandom random = new SplittableRandom(1);
    private final PeerId liar = PeerId.generate(random);
    private final PeerId honest = PeerId.generate(random);

    private static void put(PieceBuffer buffer, int block, PeerId from) {
        buffer.put(Blocks.request(0, PIECE, block), ByteBuffer.allocate(Blocks.SIZE), from);
    }

    @Test
    void theOnlyPeerOfAPieceIsBannedThoughItsBlocksOfPadBytesCameFromNoPeer() {
        var buffer = new PieceBuffer(PIECE);
        put(buffer, 0, liar);
        put(buffer, 1, liar); // blocks 2 and 3: pad bytes, never requested
        assertEquals(List.of(liar), new BanList().pieceFailed(0, buffer));
    }

    @Test
    void withTwoPeersNeitherIsBannedUntilThePieceVerifies() {
        var buffer = new PieceBuffer(PIECE);
        put(buffer, 0, liar);
        put(buffer, 1, honest);
        var bans = new BanList();
        assertEquals(List.of(), bans.pieceFailed(0, buffer));
        var good = new PieceBuffer(PIECE);
        good.put(Blocks.request(0, PIECE, 0), ByteBuffer.wrap(new byte[Blocks.SIZE]).put(0, (byte) 1), honest);
        put(good, 1, honest);
        assertEquals(List.of(liar), bans.pieceVerified(0, good), "the block that differs is the liar's");
    }
}
