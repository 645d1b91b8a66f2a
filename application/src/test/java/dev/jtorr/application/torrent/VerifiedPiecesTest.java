package dev.jtorr.application.torrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.piece.Bitfield;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The verified pieces as readers on other threads see them: waits, reads, a recheck, a stop. */
class VerifiedPiecesTest {
    private final TorrentStorage storage = mock(TorrentStorage.class);

    @Test
    void aWaitingReaderWakesWhenItsPieceIsVerified() throws Exception {
        var pieces = new VerifiedPieces(storage, new Bitfield(4));
        var waiting = new CountDownLatch(1);
        var result = new CompletableFuture<Boolean>();
        Thread.ofVirtual().start(() -> {
            try {
                waiting.countDown();
                result.complete(pieces.await(2, Duration.ofMinutes(5)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        waiting.await();
        pieces.verified(1);
        assertFalse(result.isDone(), "another piece is no answer");
        pieces.verified(2);
        assertTrue(result.get(1, TimeUnit.MINUTES));
    }

    @Test
    void aWaitThatRunsOutSaysNo() throws Exception {
        var pieces = new VerifiedPieces(storage, new Bitfield(4));
        assertFalse(pieces.await(0, Duration.ZERO));
        assertFalse(pieces.await(0, Duration.ofMillis(5)));
    }

    @Test
    void onlyVerifiedPiecesAreReadFromStorage() {
        Bitfield have = new Bitfield(4);
        have.set(1);
        var pieces = new VerifiedPieces(storage, have);
        when(storage.readBlock(1, 10, 3)).thenReturn(ByteBuffer.wrap(new byte[] {1, 2, 3}));

        assertEquals(Optional.of(ByteBuffer.wrap(new byte[] {1, 2, 3})), pieces.read(1, 10, 3));
        assertEquals(Optional.empty(), pieces.read(2, 0, 3));
        verify(storage, never()).readBlock(2, 0, 3);
    }

    @Test
    void aRecheckTakesBackWhatItDidNotFind() {
        Bitfield have = new Bitfield(4);
        have.set(1);
        have.set(3);
        var pieces = new VerifiedPieces(storage, have);
        Bitfield found = new Bitfield(4);
        found.set(3);
        pieces.reset(found);
        assertFalse(pieces.has(1));
        assertTrue(pieces.has(3));
        assertEquals(Optional.empty(), pieces.read(1, 0, 1));
    }

    @Test
    void aStoppedTorrentEndsEveryWaitAndReadsNothing() throws Exception {
        var pieces = new VerifiedPieces(storage, Bitfield.full(4));
        var waiting = new VerifiedPieces(storage, new Bitfield(4));
        var result = new CompletableFuture<Boolean>();
        var started = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                started.countDown();
                result.complete(waiting.await(0, Duration.ofMinutes(5)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        started.await();
        waiting.stopped();
        var failure = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> result.get(1, TimeUnit.MINUTES));
        assertTrue(failure.getCause() instanceof IllegalStateException, failure.toString());

        pieces.stopped();
        assertThrows(IllegalStateException.class, () -> pieces.read(0, 0, 1));
        verify(storage, never()).readBlock(0, 0, 1);
    }

    @Test
    void aPieceOutsideTheTorrentIsRefused() {
        var pieces = new VerifiedPieces(storage, new Bitfield(4));
        assertThrows(IllegalArgumentException.class, () -> pieces.has(4));
        assertThrows(IllegalArgumentException.class, () -> pieces.await(-1, Duration.ZERO));
    }
}
