package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.TimeSource;
import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when told to, except that each nanoTime() read advances it by a fixed step. */
public final class FakeTimeSource implements TimeSource {
    private Instant now;
    private long nanos;
    private final long stepPerRead;

    public FakeTimeSource(Instant start, Duration stepPerRead) {
        this.now = start;
        this.stepPerRead = stepPerRead.toNanos();
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized long nanoTime() {
        nanos += stepPerRead;
        return nanos;
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
        nanos += d.toNanos();
    }
}
