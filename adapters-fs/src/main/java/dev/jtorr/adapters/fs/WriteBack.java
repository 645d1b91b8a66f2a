package dev.jtorr.adapters.fs;

import dev.jtorr.application.port.out.StorageException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * When one torrent's written bytes reach the disk. Two things happen:
 * <ul>
 *   <li>a <em>durability point</em> ({@link #makeDurable}) makes every file written since the last one durable: with
 *       one {@code syncfs} of the file system when more than {@value #SYNC_FILES_ONE_BY_ONE} files were written and
 *       it is available, else with an {@code fdatasync} per written file. The resume record is saved only after one,
 *       so that it never vouches for bytes the disk could still lose.</li>
 *   <li>every {@code flushEvery} bytes written, the files written since the last such flush are flushed on a
 *       background thread, so that a durability point finds little left to write: by the same rule, the whole file
 *       system at once when they are many, else those still open one by one.</li>
 * </ul>
 * A failed flush or sync is remembered, since the kernel reports a lost write only once: every later durability
 * point fails with it.
 */
final class WriteBack {
    /** Up to this many written files are synced one by one: a {@code syncfs} also waits for other programs' writes. */
    static final int SYNC_FILES_ONE_BY_ONE = 16;

    /** Syncs one file of the torrent. */
    interface Files {
        /** Makes file {@code index} durable, opening it if need be. */
        void sync(int index) throws IOException;

        /** Makes file {@code index} durable if it is open now (a background flush opens nothing). */
        void syncIfOpen(int index) throws IOException;
    }

    private final Path fileSystem;
    private final FileTorrentStorage.Flush flush;
    private final long flushEvery;
    private final Files files;
    /** Files on another file system than {@link #fileSystem} (a parts file in the resume folder). */
    private final BitSet elsewhere;
    private final BitSet sinceDurable = new BitSet();
    private final BitSet sinceFlush = new BitSet();
    private long bytesSinceFlush;
    private Thread flushing;
    private IOException failure;
    private int flushesStarted;

    /**
     * @param fileSystem a folder on the torrent's file system that exists while there is data to sync
     * @param elsewhere  the files that may lie on another file system: always synced one by one
     */
    WriteBack(Path fileSystem, BitSet elsewhere, FileTorrentStorage.Flush flush, long flushEvery, Files files) {
        this.fileSystem = fileSystem;
        this.elsewhere = elsewhere;
        this.flush = flush;
        this.flushEvery = flushEvery;
        this.files = files;
    }

    /** File {@code index} was written {@code bytes}; may start a background flush. */
    synchronized void written(int index, long bytes) {
        sinceDurable.set(index);
        sinceFlush.set(index);
        bytesSinceFlush += bytes;
        if (bytesSinceFlush < flushEvery || (flushing != null && flushing.isAlive())) {
            return;
        }
        BitSet toFlush = (BitSet) sinceFlush.clone();
        sinceFlush.clear();
        bytesSinceFlush = 0;
        flushesStarted++;
        flushing = Thread.ofPlatform().daemon().name("jtorr-flush").start(() -> flushInBackground(toFlush));
    }

    /** Files {@code index} changed other than by a write (created or truncated): the next durability point covers it. */
    synchronized void changed(int index) {
        sinceDurable.set(index);
    }

    private void flushInBackground(BitSet toFlush) {
        try {
            // a sync per small file while others are being created holds every create up behind a journal commit
            if (toFlush.cardinality() > SYNC_FILES_ONE_BY_ONE && flush.syncFileSystem(fileSystem)) {
                toFlush.and(elsewhere);
            }
        } catch (IOException e) {
            remember(e);
            return;
        }
        for (int i = toFlush.nextSetBit(0); i >= 0; i = toFlush.nextSetBit(i + 1)) {
            try {
                files.syncIfOpen(i);
            } catch (ClosedChannelException e) {
                // closed since: the next durability point syncs it
            } catch (IOException e) {
                remember(e);
            }
        }
    }

    private synchronized void remember(IOException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** The failure of an earlier flush or sync, if any. */
    synchronized IOException failure() {
        return failure;
    }

    /** How many background flushes have started (for tests). */
    synchronized int flushesStarted() {
        return flushesStarted;
    }

    /**
     * A durability point: returns once every byte written before the call is durable.
     *
     * @throws StorageException when a flush or sync failed, now or before
     */
    void makeDurable() {
        awaitBackgroundFlush();
        BitSet toSync;
        synchronized (this) {
            if (failure != null) {
                throw failed(failure);
            }
            toSync = (BitSet) sinceDurable.clone();
            sinceDurable.clear();
        }
        if (toSync.isEmpty()) {
            return;
        }
        try {
            if (toSync.cardinality() > SYNC_FILES_ONE_BY_ONE && flush.syncFileSystem(fileSystem)) {
                toSync.and(elsewhere);
            }
            for (int i = toSync.nextSetBit(0); i >= 0; i = toSync.nextSetBit(i + 1)) {
                files.sync(i);
            }
        } catch (IOException e) {
            remember(e);
            throw failed(e);
        }
    }

    private void awaitBackgroundFlush() {
        Thread t;
        synchronized (this) {
            t = flushing;
        }
        if (t == null) {
            return;
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while flushing the files to the disk", e);
        }
    }

    static StorageException failed(IOException e) {
        return new StorageException("cannot flush the downloaded files to the disk: " + IoReasons.of(e), e);
    }
}
