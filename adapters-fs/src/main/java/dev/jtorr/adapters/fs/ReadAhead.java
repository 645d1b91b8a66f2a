package dev.jtorr.adapters.fs;

import dev.jtorr.application.port.out.ContentException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads small files whole, in file order, on threads of its own, ahead of whoever hashes them, so that hashing many
 * small files does not wait for each one's open, read and close in turn. At most {@code capBytes} of files read ahead
 * are held at once; a file's bytes are let go once every byte of it has been taken. A file nobody has read ahead yet
 * is left to the caller ({@link #take} returns false) rather than waited for, so a slow or stopped read-ahead never
 * holds hashing up. Thread-safe.
 */
final class ReadAhead implements AutoCloseable {
    /** A slot's mark for a file the caller reads itself: not read ahead, or read ahead and wholly taken. */
    private static final Object DIRECT = new Object();

    private final List<Path> paths;
    private final long[] lengths;
    private final long maxFile;
    private final long capBytes;
    private final AtomicReferenceArray<Object> slots;
    private final AtomicInteger cursor = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private final List<Thread> threads = new ArrayList<>();
    private long held; // guarded by lock
    private long peak; // guarded by lock
    private volatile boolean closed;

    /** One file read ahead: its bytes or why they could not be read, once {@link #ready} has counted down. */
    private static final class Entry {
        final CountDownLatch ready = new CountDownLatch(1);
        final AtomicLong taken = new AtomicLong();
        volatile byte[] data;
        volatile ContentException error;
    }

    /**
     * Starts {@code threadCount} threads reading ahead the files of at most {@code maxFile} bytes (and more than
     * none), holding at most {@code capBytes} at once.
     */
    ReadAhead(List<Path> paths, long[] lengths, long maxFile, long capBytes, int threadCount) {
        if (maxFile > capBytes) {
            throw new IllegalArgumentException("a file read ahead must fit under the cap");
        }
        this.paths = paths;
        this.lengths = lengths;
        this.maxFile = maxFile;
        this.capBytes = capBytes;
        this.slots = new AtomicReferenceArray<>(paths.size());
        for (int t = 0; t < threadCount; t++) {
            threads.add(Thread.ofPlatform().name("jtorr-read-ahead-" + t).daemon().start(this::run));
        }
    }

    /** Files of at most this many bytes are read ahead. */
    static final long SMALL_FILE = 1024 * 1024;
    /** At most this many bytes are held read ahead at once. */
    static final long CAP = 32 * 1024 * 1024;
    /** Reading ahead is mostly waiting for the disk, so more threads than cores keep several reads queued. */
    static final int THREADS = 4;

    /**
     * A read-ahead of the small files among {@code paths} whose length is not 0 ({@value #SMALL_FILE} bytes or less,
     * {@value #CAP} bytes held at most), or null when fewer than two would be read ahead.
     */
    static ReadAhead ofSmallFiles(List<Path> paths, long[] lengths) {
        return worthIt(lengths, SMALL_FILE) ? new ReadAhead(paths, lengths, SMALL_FILE, CAP, THREADS) : null;
    }

    /** Whether any of {@code lengths} would be read ahead with files of at most {@code maxFile} bytes. */
    static boolean worthIt(long[] lengths, long maxFile) {
        int small = 0;
        for (long length : lengths) {
            if (length > 0 && length <= maxFile && ++small > 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * Fills {@code target} (position to limit) with the bytes of file {@code file} from {@code offset}, if that
     * file is read ahead, waiting for its read if that is under way.
     *
     * @return false if the caller must read the bytes itself
     * @throws ContentException if reading the file ahead failed (the message names the file)
     */
    boolean take(int file, long offset, ByteBuffer target) {
        long length = lengths[file];
        if (length == 0 || length > maxFile || closed) {
            return false;
        }
        Object slot = slots.get(file);
        if (slot == null) {
            if (slots.compareAndSet(file, null, DIRECT)) {
                return false;
            }
            slot = slots.get(file);
        }
        if (!(slot instanceof Entry entry)) {
            return false;
        }
        try {
            entry.ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContentException("interrupted while reading " + paths.get(file));
        }
        if (entry.error != null) {
            throw new ContentException(entry.error.getMessage(), entry.error);
        }
        byte[] data = entry.data;
        int n = target.remaining();
        if (data == null) {
            return false;
        }
        if (offset + n > data.length) {
            throw new ContentException(paths.get(file) + " is shorter than when it was listed (did it change?)");
        }
        target.put(data, (int) offset, n);
        if (entry.taken.addAndGet(n) >= data.length && slots.compareAndSet(file, entry, DIRECT)) {
            entry.data = null;
            release(data.length);
        }
        return true;
    }

    /** Whether file {@code file} is being or was read ahead, and is not yet wholly taken (for tests). */
    boolean isReadAhead(int file) {
        return slots.get(file) instanceof Entry;
    }

    /** Bytes read ahead and not yet wholly taken. */
    long held() {
        lock.lock();
        try {
            return held;
        } finally {
            lock.unlock();
        }
    }

    /** The most bytes ever {@link #held} at once. */
    long peak() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }

    /** Stops reading ahead, waits for the reads under way and lets every byte go. */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            freed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        for (int i = 0; i < slots.length(); i++) {
            if (slots.getAndSet(i, DIRECT) instanceof Entry entry && entry.data != null) {
                entry.data = null;
                release(lengths[i]);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        for (int i = cursor.getAndIncrement(); i < slots.length() && !closed; i = cursor.getAndIncrement()) {
            long length = lengths[i];
            if (length == 0 || length > maxFile || slots.get(i) != null || !reserve(length)) {
                continue;
            }
            var entry = new Entry();
            if (slots.compareAndSet(i, null, entry)) {
                load(i, entry);
            } else {
                release(length);
            }
        }
    }

    private void load(int file, Entry entry) {
        Path path = paths.get(file);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            byte[] data = new byte[(int) lengths[file]];
            if (!PositionalIo.readFully(channel, 0, ByteBuffer.wrap(data))) {
                entry.error = new ContentException(path + " is shorter than when it was listed (did it change?)");
            } else {
                entry.data = data;
            }
        } catch (IOException e) {
            entry.error = FileChannelContentReader.failure(path, e);
        } catch (RuntimeException | Error e) {
            entry.error = new ContentException("cannot read " + path + ": " + e, e);
        } finally {
            if (entry.data == null) {
                release(lengths[file]);
            }
            entry.ready.countDown();
        }
    }

    /** Waits until {@code length} more bytes fit under the cap and counts them; false once closed. */
    private boolean reserve(long length) {
        lock.lock();
        try {
            while (held + length > capBytes) {
                if (closed) {
                    return false;
                }
                freed.awaitUninterruptibly();
            }
            if (closed) {
                return false;
            }
            held += length;
            peak = Math.max(peak, held);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void release(long length) {
        lock.lock();
        try {
            held -= length;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
