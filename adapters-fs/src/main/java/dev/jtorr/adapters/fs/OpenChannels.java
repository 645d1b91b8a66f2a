package dev.jtorr.adapters.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Open file channels by file index, at most {@code max} of them: keeping one more closes the one used least
 * recently. Not thread-safe: its owner synchronises.
 */
final class OpenChannels {
    private final int max;
    private final Map<Integer, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);

    OpenChannels(int max) {
        this.max = max;
    }

    /** File {@code index}'s channel, or null when it is not open. */
    FileChannel get(int index) {
        return open.get(index);
    }

    /** Keeps {@code channel} as file {@code index}'s, closing the least recently used one when over the limit. */
    void put(int index, FileChannel channel) throws IOException {
        open.put(index, channel);
        if (open.size() > max) {
            var eldest = open.entrySet().iterator().next();
            open.remove(eldest.getKey());
            eldest.getValue().close();
        }
    }

    void closeAll() {
        for (FileChannel ch : open.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with it
            }
        }
        open.clear();
    }
}
