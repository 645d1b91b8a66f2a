package dev.jtorr.adapters.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM or SIGINT for a command that runs until stopped: a shutdown hook tells it to stop, then holds the JVM's
 * exit (up to 30 s) until the command says it has stopped, so its torrents save their resume data first.
 */
final class StopSignal {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);

    private StopSignal() {
    }

    static StopSignal install() {
        var signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signal.stop.countDown();
            try {
                signal.done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jtorr-shutdown"));
        return signal;
    }

    /** Waits up to {@code millis} for a signal; true once one came. */
    boolean await(long millis) throws InterruptedException {
        return stop.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The command has stopped: the JVM may exit. */
    void stopped() {
        done.countDown();
    }
}
