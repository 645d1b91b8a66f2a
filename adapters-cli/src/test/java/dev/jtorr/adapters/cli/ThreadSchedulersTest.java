package dev.jtorr.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.port.out.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session's thread: one task at a time, in order, from any thread; timers in deadline order; cancel; stop. */
class ThreadSchedulersTest {
    private final Scheduler scheduler = new ThreadSchedulers().create("test-loop");

    @AfterEach
    void stop() {
        scheduler.shutdown();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out");
    }

    @Test
    void tasksFromManyThreadsRunOnceEachOneAtATimeAndInEachSendersOrder() throws Exception {
        int senders = 4;
        int each = 20_000;
        var done = new CountDownLatch(senders * each);
        var running = new AtomicInteger();
        var overlapped = new AtomicInteger();
        int[] lastSeen = new int[senders]; // touched only on the loop thread
        var outOfOrder = new AtomicInteger();
        var threads = new ArrayList<Thread>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 1; i <= each; i++) {
                    int n = i;
                    scheduler.execute(() -> {
                        if (running.incrementAndGet() != 1) {
                            overlapped.incrementAndGet();
                        }
                        if (lastSeen[sender] != n - 1) {
                            outOfOrder.incrementAndGet();
                        }
                        lastSeen[sender] = n;
                        running.decrementAndGet();
                        done.countDown();
                    });
                }
            }));
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        await(done);
        assertEquals(0, overlapped.get(), "tasks never run at the same time");
        assertEquals(0, outOfOrder.get(), "each sender's tasks run in the order it sent them");
    }

    @Test
    void timersRunInDeadlineOrderOnTheLoopThreadAndACancelledOneNever() throws Exception {
        var order = Collections.synchronizedList(new ArrayList<String>());
        var threads = Collections.synchronizedList(new ArrayList<String>());
        var done = new CountDownLatch(1);
        scheduler.after(Duration.ofMillis(120), () -> {
            order.add("late");
            threads.add(Thread.currentThread().getName());
            done.countDown();
        });
        var cancelled = scheduler.after(Duration.ofMillis(60), () -> order.add("cancelled"));
        scheduler.after(Duration.ofMillis(30), () -> {
            order.add("early");
            threads.add(Thread.currentThread().getName());
        });
        scheduler.execute(() -> order.add("now"));
        cancelled.cancel();
        await(done);
        assertEquals(List.of("now", "early", "late"), order);
        assertEquals(List.of("test-loop", "test-loop"), threads);
    }

    @Test
    void aTimerAddedFromAnotherThreadWakesASleepingLoop() throws Exception {
        var done = new CountDownLatch(1);
        var ran = new AtomicInteger();
        scheduler.execute(ran::incrementAndGet);
        Thread.sleep(50); // the loop is asleep with nothing to do
        long start = System.nanoTime();
        Thread.ofPlatform().start(() -> scheduler.after(Duration.ofMillis(10), done::countDown));
        await(done);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertEquals(1, ran.get());
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheLoop() throws Exception {
        var done = new CountDownLatch(1);
        scheduler.execute(() -> {
            throw new IllegalStateException("a bug in a task (logged on purpose by this test)");
        });
        scheduler.execute(done::countDown);
        await(done);
    }

    @Test
    void shutdownDropsPendingWorkAndEndsTheThread() throws Exception {
        var inTask = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var loopThread = new AtomicReference<Thread>();
        var ranAfterStop = new AtomicInteger();
        scheduler.execute(() -> {
            loopThread.set(Thread.currentThread());
            inTask.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await(inTask);
        scheduler.execute(ranAfterStop::incrementAndGet); // queued behind the running task
        scheduler.after(Duration.ZERO, ranAfterStop::incrementAndGet);
        scheduler.shutdown();
        release.countDown();
        loopThread.get().join(10_000);
        assertFalse(loopThread.get().isAlive(), "the thread ended");
        scheduler.execute(ranAfterStop::incrementAndGet); // after the stop: dropped quietly
        assertEquals(0, ranAfterStop.get(), "nothing pending ran after shutdown");
    }
}
