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
     * Linux (6.16+ on ext4) sizes the page-cache folios it allocates by the length of the write, and high-order
     * folios come from the page allocator's large free blocks; on virtual machines that hand free memory back to the
     * host (free page reporting) those cost a host page fault on first touch, so writing verified 1 MiB pieces whole
     * cost 2-3x the system time of smaller slices in bench/download.sh. Smaller slices cost a system call each
     * (65,536 per GiB at 16 KiB). Measured on the 2-core VM, 1 GiB from a libtorrent seeder, mean of 4-5 runs each,
     * three rounds (one with a 6 s pause before each run so freed memory was handed back first): 256 KiB 3.31 / 3.31 /
     * 3.43 s, 64 KiB 3.32 / 3.45 / 3.52 s, 16 KiB 3.51 / 3.68 / 3.74 s, 1 MiB 4.02 s.
     */
    static final int WRITE_SLICE = 256 * 1024;

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
