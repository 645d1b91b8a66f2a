package dev.jtorr.adapters.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open files of every torrent of one engine, at most {@link #capacity()} of them at once, so that a torrent of
 * 100,000 files (or a thousand torrents) never runs out of file descriptors. A channel is leased for one read or
 * write and returned; opening one more than the pool holds closes the one idle longest. A leased channel is never
 * closed under its user: while every channel is leased the pool briefly holds more (one per thread using it).
 * Thread-safe.
 */
final class FilePool {
    /** What a channel is opened for: the same file may be open once each way. */
    enum Mode { READ, READ_WRITE, DIRECT }

    /** Opens the file of a key when the pool has no channel for it. */
    @FunctionalInterface
    interface Opener {
        FileChannel open() throws IOException;
    }

    private record Key(Object owner, int file, Mode mode) {
    }

    private static final class Entry {
        final FileChannel channel;
        int leases;

        Entry(FileChannel channel) {
            this.channel = channel;
        }
    }

    /** A channel lent to one user; closing it gives it back. */
    final class Lease implements AutoCloseable {
        private final Key key;
        private final Entry entry;

        private Lease(Key key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        FileChannel channel() {
            return entry.channel;
        }

        @Override
        public void close() {
            giveBack(key, entry);
        }
    }

    private final int capacity;
    /** Least recently used first. */
    private final LinkedHashMap<Key, Entry> open = new LinkedHashMap<>(64, 0.75f, true);
    private long opened;

    FilePool(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    /**
     * A pool sized by the process's descriptor limit: half of it, leaving the rest to sockets and the JVM, and at
     * most {@code max}.
     */
    static FilePool sizedForThisProcess(int max) {
        long limit = descriptorLimit();
        long half = limit > 0 ? (limit - 64) / 2 : max;
        return new FilePool((int) Math.max(16, Math.min(max, half)));
    }

    /** The soft limit on open files, from {@code /proc} (the management beans cost 50 ms of start-up), or -1. */
    static long descriptorLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] words = line.substring("Max open files".length()).trim().split("\\s+");
                    return words[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(words[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the caller's maximum
        }
        return -1;
    }

    int capacity() {
        return capacity;
    }

    /** The channel of {@code owner}'s file {@code file} opened for {@code mode}, opened with {@code opener} if need be. */
    Lease lease(Object owner, int file, Mode mode, Opener opener) throws IOException {
        Key key = new Key(owner, file, mode);
        synchronized (this) {
            Entry e = open.get(key);
            if (e != null) {
                e.leases++;
                return new Lease(key, e);
            }
        }
        // opened outside the lock: a slow open (a network file system) must not hold up every other torrent's reads
        FileChannel channel = opener.open();
        List<FileChannel> evicted;
        Lease lease;
        synchronized (this) {
            Entry e = open.get(key);
            if (e != null) { // opened meanwhile by another thread: use that one
                e.leases++;
                lease = new Lease(key, e);
                evicted = List.of(channel);
            } else {
                e = new Entry(channel);
                e.leases = 1;
                open.put(key, e);
                opened++;
                lease = new Lease(key, e);
                evicted = evictIdle();
            }
        }
        closeQuietly(evicted);
        return lease;
    }

    /** The channel of {@code owner}'s file {@code file} for {@code mode} if it is open now, else null. */
    synchronized Lease leaseIfOpen(Object owner, int file, Mode mode) {
        Key key = new Key(owner, file, mode);
        Entry e = open.get(key);
        if (e == null) {
            return null;
        }
        e.leases++;
        return new Lease(key, e);
    }

    /** Whether {@code owner}'s file {@code file} is open for {@code mode} (for tests). */
    synchronized boolean isOpen(Object owner, int file, Mode mode) {
        return open.containsKey(new Key(owner, file, mode));
    }

    /** Channels open now. */
    synchronized int size() {
        return open.size();
    }

    /** Channels opened since the pool was made (for tests). */
    synchronized long opened() {
        return opened;
    }

    /**
     * Closes every channel of {@code owner} (a torrent that stops). A channel still leased is closed too: its user's
     * operation then fails as on a closed channel.
     */
    void closeAll(Object owner) {
        var closing = new ArrayList<FileChannel>();
        synchronized (this) {
            for (Iterator<Map.Entry<Key, Entry>> it = open.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().owner() == owner) {
                    closing.add(e.getValue().channel);
                    it.remove();
                }
            }
        }
        closeQuietly(closing);
    }

    /** Closes {@code owner}'s channel of file {@code file} for {@code mode}, if open (its writes then failed). */
    void close(Object owner, int file, Mode mode) {
        Entry e;
        synchronized (this) {
            e = open.remove(new Key(owner, file, mode));
        }
        if (e != null) {
            closeQuietly(List.of(e.channel));
        }
    }

    private void giveBack(Key key, Entry entry) {
        List<FileChannel> evicted;
        synchronized (this) {
            entry.leases--;
            if (open.get(key) != entry) { // closed meanwhile (its owner stopped)
                return;
            }
            evicted = evictIdle();
        }
        closeQuietly(evicted);
    }

    /** Removes idle channels, least recently used first, while the pool holds more than its capacity. */
    private List<FileChannel> evictIdle() {
        if (open.size() <= capacity) {
            return List.of();
        }
        var out = new ArrayList<FileChannel>();
        for (Iterator<Entry> it = open.values().iterator(); it.hasNext() && open.size() > capacity; ) {
            Entry e = it.next();
            if (e.leases == 0) {
                out.add(e.channel);
                it.remove();
            }
        }
        return out;
    }

    private static void closeQuietly(List<FileChannel> channels) {
        for (FileChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // an error closing a channel only reading or already made durable: nothing to act on
            }
        }
    }
}
