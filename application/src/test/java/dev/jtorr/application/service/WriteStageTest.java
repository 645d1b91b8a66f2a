package dev.jtorr.application.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A piece is hashed on the session's disk thread and, once it verifies, written on its write thread, so the next
 * piece is hashed while this one waits for the disk. A piece counts (HAVE, resume data, progress) only once it is
 * written, and stopping waits for pieces still on their way to the disk.
 */
class WriteStageTest {
    private static final Path FILE = Path.of("leecher", "data.bin");

    private final byte[] data = new byte[64 * 1024];
    private final HeldDownload d;

    WriteStageTest() {
        new SplittableRandom(5).nextBytes(data);
        d = HeldDownload.of(data); // two pieces of 32 KiB
        // the peer has piece 0 (and so gets a HAVE for it once we have it: a seed would get none) and unchokes
        var has = new Bitfield(2);
        has.set(0);
        d.handler().receivedAll(d.peer(), List.of(new PeerMessage.Bitfield(has.toWire()), PeerMessage.UNCHOKE));
        d.schedulers().runQueued();
    }

    /** The peer sends both blocks of piece 0; the session thread takes them and hands the piece to the disk. */
    private void peerSendsPieceZero() {
        d.handler().receivedAll(d.peer(), List.of(block(0, 0), block(0, 16 * 1024)));
        d.schedulers().runLoops();
    }

    private PeerMessage.Piece block(int piece, int offset) {
        return new PeerMessage.Piece(piece, offset,
                ByteBuffer.wrap(data, piece * 32 * 1024 + offset, 16 * 1024).slice().asReadOnlyBuffer());
    }

    private boolean haveSent(int piece) {
        return d.peer().sent().contains(new PeerMessage.Have(piece));
    }

    @Test
    void aHashedPieceIsWrittenOnTheWriteThreadAndCountsOnlyOnceWritten() {
        peerSendsPieceZero();
        d.schedulers().runDisksOnly(); // hashed; the write waits on the write thread
        d.schedulers().runLoops();
        assertEquals(0, d.storage().writes(FILE), "nothing written by the disk thread itself");
        assertFalse(haveSent(0), "no HAVE for a piece not yet on the disk");

        d.schedulers().runWrites();
        assertEquals(1, d.storage().writes(FILE));
        assertFalse(haveSent(0), "the write thread touches no session state: the session learns it next");
        d.schedulers().runLoops();
        assertTrue(haveSent(0), "HAVE once written: " + d.peer().sent());
        assertTrue(d.storage().written(FILE).get(0));
        assertArrayEquals(Arrays.copyOf(data, 32 * 1024), Arrays.copyOf(d.storage().stream(FILE), 32 * 1024));
        d.handle().close();
        d.schedulers().runQueued();
    }

    @Test
    void aSeedGetsNoHaveForAPieceWeCompleteButAPeerThatLacksPiecesDoes() {
        var fromSeed = HeldDownload.of(data);
        fromSeed.peerHasAllAndUnchokes(2);
        fromSeed.handler().receivedAll(fromSeed.peer(), List.of(block(0, 0), block(0, 16 * 1024)));
        fromSeed.schedulers().runQueued();
        assertTrue(fromSeed.storage().written(FILE).get(0), "piece 0 verified and written");
        assertTrue(fromSeed.peer().sent().stream().noneMatch(m -> m instanceof PeerMessage.Have),
                "no HAVE to a seed: " + fromSeed.peer().sent());
        fromSeed.handle().close();
        fromSeed.schedulers().runQueued();

        peerSendsPieceZero(); // this class's peer has piece 0 only
        d.schedulers().runQueued();
        assertTrue(haveSent(0), "a HAVE even for a piece it has (a super-seed waits for it)");
        d.handle().close();
        d.schedulers().runQueued();
    }

    @Test
    void stoppingWhileAPieceWaitsToBeWrittenRecordsItInTheResumeData() {
        peerSendsPieceZero();
        d.schedulers().runDisksOnly(); // piece 0 verified, its write queued
        d.handle().close();
        // runs the disk threads' work before the write threads': stopping must still wait for the write
        d.schedulers().runQueued();
        assertEquals(1, d.storage().writes(FILE));
        Bitfield resume = d.storage().resume(FILE).orElseThrow();
        assertTrue(resume.get(0), "the piece written while stopping is in the resume data");
        assertFalse(resume.get(1));
    }
}
