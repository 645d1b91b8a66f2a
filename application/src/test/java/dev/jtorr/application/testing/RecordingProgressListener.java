package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.ProgressListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every progress report. */
public final class RecordingProgressListener implements ProgressListener {
    public final List<long[]> hashing = new CopyOnWriteArrayList<>();

    @Override
    public void hashing(long bytesDone, long bytesTotal) {
        hashing.add(new long[] {bytesDone, bytesTotal});
    }
}
