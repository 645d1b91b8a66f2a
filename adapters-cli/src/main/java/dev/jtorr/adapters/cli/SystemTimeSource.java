package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.out.TimeSource;
import java.time.Instant;

/** The machine's clock. */
public final class SystemTimeSource implements TimeSource {
    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
