package dev.jtorr.application.port.out;

/**
 * Where long-running use cases report progress; adapters display it. Called from the thread that runs the use
 * case, at most a few times a second, so implementations may print directly.
 */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    /** Hashing content: {@code bytesDone} of {@code bytesTotal}. */
    default void hashing(long bytesDone, long bytesTotal) {
    }
}
