package dev.jtorr.application.torrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BacklogTest {
    @Test
    void aReaderWaitsOnceItsBatchesAreUnhandledAndGoesOnWhenOneIsHandled() throws Exception {
        var backlog = new Backlog(3);
        var entered = new AtomicInteger();
        var reader = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 5; i++) {
                if (backlog.enter(() -> false, 10)) {
                    entered.incrementAndGet();
                }
            }
        });
        for (int i = 0; i < 200 && entered.get() < 3; i++) {
            Thread.sleep(5);
        }
        Thread.sleep(100);
        assertEquals(3, entered.get(), "the fourth batch waits while three are unhandled");
        assertTrue(reader.isAlive());
        backlog.leave();
        backlog.leave();
        reader.join(5_000);
        assertFalse(reader.isAlive(), "two handled batches let the last two in");
        assertEquals(5, entered.get());
    }

    @Test
    void aWaitingReaderGivesUpWhenTheSessionStops() throws Exception {
        var backlog = new Backlog(1);
        assertTrue(backlog.enter(() -> false, 10));
        var stopping = new AtomicBoolean();
        var gaveUp = new CountDownLatch(1);
        var reader = Thread.ofPlatform().start(() -> {
            if (!backlog.enter(stopping::get, 10)) {
                gaveUp.countDown();
            }
        });
        Thread.sleep(50);
        assertEquals(1, gaveUp.getCount(), "still waiting");
        stopping.set(true);
        assertTrue(gaveUp.await(5, TimeUnit.SECONDS), "the reader is released, its batch dropped");
        reader.join(5_000);
    }
}
