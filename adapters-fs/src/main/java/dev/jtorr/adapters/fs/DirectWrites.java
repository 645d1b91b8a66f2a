package dev.jtorr.adapters.fs;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes verified data past the page cache where it can: the block-aligned middle of every stretch of at least
 * {@value #MIN_LENGTH} bytes goes to the disk with direct I/O ({@code O_DIRECT}) from one aligned staging buffer;
 * the unaligned ends (a file that starts or ends inside a block) and short stretches go through the page cache.
 * A block is therefore only ever written one way: the aligned middles of two stretches never share a block, and
 * the ends they leave are written buffered by both.
 *
 * <p>Why: a buffered write of a verified piece costs the kernel a copy into new page-cache pages plus, on ext4, the
 * per-page work of delayed allocation (0.7 of the 4.2 CPU seconds of a 1 GiB download, and on virtual machines
 * that hand free memory back to the host, a host page fault per new page), and the dirty pages must then be
 * written back and made durable ({@code finish()} syncs them) all the same. A direct write hands the disk the
 * bytes with no page-cache work. Together with the session's write thread (which waits for the disk while the next
 * piece is hashed), 1 GiB from libtorrent seeders, medians of 6 alternated runs against the code before: four
 * seeders 3.81 -> 3.22 s, CPU 4.25 -> 3.45 s; one seeder 3.76 -> 3.47 s, CPU 4.11 -> 3.32 s (libtorrent 3.77 and
 * 3.98 s). Direct writes of small stretches are slow on this class of disk (1 GiB written in 16 KiB direct writes
 * took 9 s, in 256 KiB ones 1.6 s, in 1 MiB ones 1.2 s; buffered 1.0 s plus 0.8 s of sync), hence the minimum.
 *
 * <p>Where direct I/O cannot be used (a file system without it, an unusual block size, a direct write that fails),
 * this storage falls back to buffered writes for good: the failed stretch is written again buffered, so a real
 * error (a full disk) is still reported by the buffered write. {@link Opener#OFF} ({@code --no-direct-io}) writes
 * everything buffered from the start. Data written directly is read back through the page
 * cache as usual: the kernel keeps the two coherent.
 */
final class DirectWrites {
    private static final Logger LOG = LoggerFactory.getLogger(DirectWrites.class);
    /** The shortest aligned middle written directly. */
    static final int MIN_LENGTH = 256 * 1024;
    /** The staging buffer: pieces are copied into it and written this much at a time. */
    static final int STAGING = 1 << 20;

    /** Opens a file for direct writes; tests substitute one that fails. */
    @FunctionalInterface
    interface Opener {
        Opener DIRECT = path -> FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        /** Direct writes turned off ({@link FsConfig#directWrites()}). */
        Opener OFF = path -> {
            throw new IOException("direct writes turned off");
        };

        FileChannel open(Path path) throws IOException;
    }

    private final Opener opener;
    /** The engine's pool: direct channels count against its bound like every other. */
    private final FilePool pool;
    private ByteBuffer staging;
    /** The alignment direct writes need: 0 until known; -1 once direct writes are off for this storage. */
    private int alignment;
    private long directBytes;

    DirectWrites(Opener opener, FilePool pool) {
        this.opener = opener;
        this.pool = pool;
        this.alignment = opener == Opener.OFF ? -1 : 0;
    }

    /**
     * Writes {@code data} (position to limit, which it does not change) at {@code position} of file {@code index};
     * {@code buffered} is the file's ordinary channel, used for what is not written directly.
     */
    synchronized void write(int index, Path path, FileChannel buffered, long position, ByteBuffer data)
            throws IOException {
        int length = data.remaining();
        int align = alignment(path);
        long from = align > 0 ? roundUp(position, align) : position;
        long to = align > 0 ? roundDown(position + length, align) : position;
        if (align <= 0 || to - from < MIN_LENGTH) {
            PositionalIo.writeFully(buffered, position, data.duplicate());
            return;
        }
        int head = (int) (from - position);
        int middle = (int) (to - from);
        PositionalIo.writeFully(buffered, position, data.slice(data.position(), head));
        ByteBuffer aligned = data.slice(data.position() + head, middle);
        try {
            writeDirect(index, path, from, aligned);
        } catch (IOException e) {
            off(path, e.toString());
            closeAll();
            PositionalIo.writeFully(buffered, from, aligned.duplicate());
        }
        PositionalIo.writeFully(buffered, to, data.slice(data.position() + head + middle, length - head - middle));
    }

    /** Bytes written directly so far (for tests and benchmarks). */
    synchronized long directBytes() {
        return directBytes;
    }

    private void writeDirect(int index, Path path, long position, ByteBuffer data) throws IOException {
        try (FilePool.Lease lease = lease(index, path)) {
            writeDirect(lease.channel(), position, data);
        }
    }

    private void writeDirect(FileChannel ch, long position, ByteBuffer data) throws IOException {
        if (staging == null) {
            staging = ByteBuffer.allocateDirect(STAGING + alignment).alignedSlice(alignment);
        }
        ByteBuffer src = data.duplicate();
        long at = position;
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), staging.capacity());
            staging.clear();
            staging.put(src.slice(src.position(), n)).flip();
            src.position(src.position() + n);
            while (staging.hasRemaining()) {
                at += ch.write(staging, at);
            }
            directBytes += n;
        }
    }

    private int alignment(Path path) {
        if (alignment == 0) {
            try {
                long size = Files.getFileStore(path).getBlockSize();
                if (size >= 512 && size <= 65536 && Long.bitCount(size) == 1) {
                    alignment = (int) size;
                } else {
                    off(path, "block size " + size);
                }
            } catch (IOException | UnsupportedOperationException e) {
                off(path, e.toString());
            }
        }
        return alignment;
    }

    private FilePool.Lease lease(int index, Path path) throws IOException {
        return pool.lease(this, index, FilePool.Mode.DIRECT, () -> {
            try {
                return opener.open(path);
            } catch (UnsupportedOperationException e) {
                throw new IOException("direct I/O unsupported: " + e.getMessage(), e);
            }
        });
    }

    private void off(Path path, String why) {
        LOG.debug("writing {} through the page cache: no direct I/O ({})", path, why);
        alignment = -1;
    }

    void closeAll() {
        pool.closeAll(this);
    }

    private static long roundUp(long value, int align) {
        return (value + align - 1) & -(long) align;
    }

    private static long roundDown(long value, int align) {
        return value & -(long) align;
    }
}
