package dev.jtorr.adapters.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Positional reads until a buffer is full, and positional writes in slices of a measured size rather than one call
 * per buffer (the size does not change what is written).
 */
final class PositionalIo {
    /**
     * Linux (6.16+ on ext4) sizes the page-cache folios it allocates by the length of the write: a 1 MiB write takes
     * high-order folios, which come from the page allocator's large free blocks, while 16 KiB writes take small ones
     * from the per-CPU lists of recently freed, warm pages. On virtual machines that hand free memory back to the
     * host (free page reporting), the large blocks cost a host page fault on first touch: writing verified 1 MiB
     * pieces whole cost 2-3x the system time of 16 KiB slices in bench/download.sh (8, 32, 64 and 256 KiB measured
     * too). libtorrent also writes 16 KiB at a time.
     */
    static final int WRITE_SLICE = 16 * 1024;

    private PositionalIo() {
    }

    /**
     * Fills {@code target} from its position to its limit with the bytes at {@code position} and on, advancing its
     * position.
     *
     * @return false when the file ends first (the bytes before the end are in {@code target})
     */
    static boolean readFully(FileChannel channel, long position, ByteBuffer target) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int n = channel.read(target, at);
            if (n < 0) {
                return false;
            }
            at += n;
        }
        return true;
    }

    /** Writes {@code data} from its position to its limit at {@code position} and on, advancing its position. */
    static void writeFully(FileChannel channel, long position, ByteBuffer data) throws IOException {
        long at = position;
        while (data.hasRemaining()) {
            int n = channel.write(data.slice(data.position(), Math.min(WRITE_SLICE, data.remaining())), at);
            data.position(data.position() + n);
            at += n;
        }
    }
}
