package dev.jtorr.application.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.testing.RecordingPeerConnection;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A connection's reader hands messages to the session faster than the session thread runs: past a bound, the
 * reader must wait (so a flooding peer is held back by TCP) rather than queue work without limit. The session's
 * thread here runs only when the test says so, which makes the bound observable.
 */
class BackpressureTest {
    @Test
    void aReaderWaitsWhenItsConnectionHasTooMuchUnhandledAndGoesOnOnceTheSessionCatchesUp() throws Exception {
        var d = HeldDownload.of(new byte[1 << 20]);
        var schedulers = d.schedulers();
        var handle = d.handle();
        PeerConnection.Handler handler = d.handler();
        PeerConnection peer = d.peer();
        schedulers.runQueued();

        var handedOver = new AtomicInteger();
        var reader = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 40; i++) {
                handler.receivedAll(peer, List.of(PeerMessage.KEEP_ALIVE, new PeerMessage.Have(1)));
                handedOver.incrementAndGet();
            }
        });
        for (int i = 0; i < 400 && handedOver.get() < 16; i++) {
            Thread.sleep(5);
        }
        Thread.sleep(200);
        int held = handedOver.get();
        assertTrue(reader.isAlive(), "the reader waits");
        assertTrue(held >= 1 && held < 40, "a bounded number of batches went in before the reader had to wait: "
                + held);
        for (int round = 0; round < 400 && reader.isAlive(); round++) {
            schedulers.runQueued(); // the session catches up, batch by batch the reader goes on
            Thread.sleep(5);
        }
        reader.join(5_000);
        assertFalse(reader.isAlive(), "the reader went on once the session had handled its batches");
        assertEquals(40, handedOver.get());
        handle.close();
        schedulers.runQueued();
    }
    @Test
    void aBatchIsHandedBackOnlyOnceHandledAndItsBlocksAreCopiedNotKept() {
        byte[] data = new byte[1 << 20];
        new SplittableRandom(7).nextBytes(data);
        var d = HeldDownload.of(data);
        var schedulers = d.schedulers();
        var storage = d.storage();
        var handle = d.handle();
        PeerConnection.Handler handler = d.handler();
        var peer = d.peer();
        var all = new dev.jtorr.domain.piece.Bitfield(32);
        for (int p = 0; p < 32; p++) {
            all.set(p);
        }
        handler.receivedAll(peer, List.of(new PeerMessage.Bitfield(all.toWire()), PeerMessage.UNCHOKE));
        schedulers.runQueued();
        var requested = peer.sent().stream().filter(m -> m instanceof PeerMessage.Request)
                .map(m -> ((PeerMessage.Request) m).block()).findFirst()
                .orElseThrow();
        int piece = requested.piece();

        // both blocks of the piece arrive as views of one buffer, as the connection's reader hands them over
        byte[] readBuffer = java.util.Arrays.copyOfRange(data, piece * 32 * 1024, (piece + 1) * 32 * 1024);
        var released = new AtomicInteger();
        handler.receivedAll(peer, List.of(
                new PeerMessage.Piece(piece, 0, ByteBuffer.wrap(readBuffer, 0, 16384).slice().asReadOnlyBuffer()),
                new PeerMessage.Piece(piece, 16384,
                        ByteBuffer.wrap(readBuffer, 16384, 16384).slice().asReadOnlyBuffer())),
                released::incrementAndGet);
        assertEquals(0, released.get(), "not handed back before the session has handled it");
        schedulers.runLoops();
        assertEquals(1, released.get(), "handed back once handled");
        java.util.Arrays.fill(readBuffer, (byte) 0x55); // the reader reads the next bytes into it
        schedulers.runQueued(); // the piece is hashed and written
        assertTrue(storage.written(Path.of("leecher", "data.bin")).get(piece), "the piece verified from the copied blocks");
        assertArrayEquals(java.util.Arrays.copyOfRange(data, piece * 32 * 1024, (piece + 1) * 32 * 1024),
                java.util.Arrays.copyOfRange(storage.stream(Path.of("leecher", "data.bin")), piece * 32 * 1024,
                        (piece + 1) * 32 * 1024));

        handle.close();
        schedulers.runQueued();
    }

    @Test
    void blocksHandedOverInBatchesAreReplacedByNewRequestsOnceEachBatchIsDoneAndTheDownloadCompletes() {
        byte[] data = new byte[1 << 20];
        new SplittableRandom(11).nextBytes(data);
        var d = HeldDownload.of(data);
        d.peerHasAllAndUnchokes(32);
        int answered = 0;
        int blocks = 64;
        int inFlightAtStart = requests(d.peer()).size();
        assertTrue(inFlightAtStart > 4, "a pipeline of requests: " + inFlightAtStart);
        var complete = d.storage().written(Path.of("leecher", "data.bin"));
        for (int round = 0; round < 200 && complete.count() < 32; round++) {
            // every request not yet answered, answered in one batch, as a reader hands over what one read brought
            var sent = requests(d.peer());
            List<dev.jtorr.domain.piece.BlockRequest> open = sent.subList(answered, sent.size());
            assertFalse(open.isEmpty(), "requests in flight after round " + round);
            var batch = open.stream().<PeerMessage>map(r -> new PeerMessage.Piece(r.piece(), r.offset(),
                    ByteBuffer.wrap(data, r.piece() * 32 * 1024 + r.offset(), r.length()).slice().asReadOnlyBuffer()))
                    .toList();
            answered += open.size();
            d.handler().receivedAll(d.peer(), batch);
            d.schedulers().runLoops();
            int sentForBatch = requests(d.peer()).size() - answered;
            int left = blocks - answered;
            assertTrue(sentForBatch >= Math.min(open.size(), left)
                    && sentForBatch <= dev.jtorr.domain.peer.RequestPipeline.DEFAULT_MAX,
                    "each block of the batch replaced (the pipeline may grow, up to its cap) once the batch is "
                    + "handled: " + sentForBatch + " for " + open.size() + " in round " + round);
            d.schedulers().runQueued();
            complete = d.storage().written(Path.of("leecher", "data.bin"));
        }
        assertEquals(32, complete.count(), "every piece verified and written");
        assertArrayEquals(data, d.storage().stream(Path.of("leecher", "data.bin")));
        d.handle().close();
        d.schedulers().runQueued();
    }

    @Test
    void blocksArrivingOneAtATimeAreReplacedInBurstsAndTheDownloadCompletes() {
        byte[] data = new byte[4 << 20];
        new SplittableRandom(12).nextBytes(data);
        var d = HeldDownload.of(data);
        d.peerHasAllAndUnchokes(128);
        int answered = 0;
        int batchesFollowedBySends = 0;
        int batchesWithBlocksLeftToAsk = 0;
        while (answered < requests(d.peer()).size()) {
            var r = requests(d.peer()).get(answered++);
            int before = requests(d.peer()).size();
            if (before < 256) {
                batchesWithBlocksLeftToAsk++;
            }
            d.handler().receivedAll(d.peer(), List.of(new PeerMessage.Piece(r.piece(), r.offset(),
                    ByteBuffer.wrap(data, r.piece() * 32 * 1024 + r.offset(), r.length()).slice().asReadOnlyBuffer())));
            d.schedulers().runLoops();
            d.schedulers().runQueued();
            if (requests(d.peer()).size() > before) {
                batchesFollowedBySends++;
            }
            assertTrue(requests(d.peer()).size() == 256 || requests(d.peer()).size() - answered >= 14,
                    "never less than seven eighths of the minimum depth in flight while blocks are left to ask for: "
                    + (requests(d.peer()).size() - answered));
        }
        var complete = d.storage().written(Path.of("leecher", "data.bin"));
        assertEquals(256, answered, "every block asked for once");
        assertEquals(128, complete.count(), "every piece verified and written");
        assertTrue(batchesFollowedBySends < batchesWithBlocksLeftToAsk / 2, "new requests leave in bursts, not "
                + "after every block: " + batchesFollowedBySends + " of " + batchesWithBlocksLeftToAsk);
        d.handle().close();
        d.schedulers().runQueued();
    }

    private static List<dev.jtorr.domain.piece.BlockRequest> requests(RecordingPeerConnection peer) {
        return peer.sent().stream().filter(m -> m instanceof PeerMessage.Request)
                .map(m -> ((PeerMessage.Request) m).block()).toList();
    }
}
