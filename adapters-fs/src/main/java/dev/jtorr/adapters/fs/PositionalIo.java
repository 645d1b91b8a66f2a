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
     * (65,536 per GiB at 16 KiB). How much the large folios cost depends on how much free memory the host has taken
     * back: an earlier round (one libtorrent seeder running) measured 256 KiB 3.31 s and 16 KiB 3.51 s; with the whole
     * benchmark's seeders running, 1 GiB from one libtorrent seeder, medians of 6 alternated runs, three rounds:
     * 256 KiB 5.68 / 5.48 s, 64 KiB 4.55 / 4.05 s, 32 KiB 3.95 s, 16 KiB 4.29 / 4.16 / 3.62 s, 8 KiB 4.66 s, 4 KiB
     * 4.89 s (libtorrent 3.86 / 3.89 / 3.65 s). One block per write it is.
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
