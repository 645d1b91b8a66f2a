package dev.jtorr.adapters.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePoolTest {
    @TempDir
    Path dir;

    private final Object torrent = new Object();
    private final Object other = new Object();

    private FilePool.Opener file(int i) {
        return () -> FileChannel.open(dir.resolve("f" + i), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    @Test
    void closesTheChannelIdleLongestWhenOverCapacity() throws Exception {
        var pool = new FilePool(2);
        FileChannel first;
        try (var lease = pool.lease(torrent, 0, FilePool.Mode.READ_WRITE, file(0))) {
            first = lease.channel();
        }
        pool.lease(torrent, 1, FilePool.Mode.READ_WRITE, file(1)).close();
        pool.lease(torrent, 0, FilePool.Mode.READ_WRITE, file(0)).close(); // 0 used again: 1 is now the idlest
        pool.lease(torrent, 2, FilePool.Mode.READ_WRITE, file(2)).close();
        assertEquals(2, pool.size());
        assertTrue(pool.isOpen(torrent, 0, FilePool.Mode.READ_WRITE));
        assertFalse(pool.isOpen(torrent, 1, FilePool.Mode.READ_WRITE));
        assertTrue(first.isOpen());
        assertEquals(3, pool.opened());
    }

    @Test
    void neverClosesALeasedChannelAndShrinksBackWhenTheyAreReturned() throws Exception {
        var pool = new FilePool(2);
        var leases = new ArrayList<FilePool.Lease>();
        for (int i = 0; i < 4; i++) {
            leases.add(pool.lease(torrent, i, FilePool.Mode.READ_WRITE, file(i)));
        }
        assertEquals(4, pool.size(), "all in use: the pool holds more for a moment");
        for (var lease : leases) {
            lease.channel().write(ByteBuffer.wrap(new byte[] {1}), 0); // none was closed under its user
        }
        leases.forEach(FilePool.Lease::close);
        assertEquals(2, pool.size());
        assertEquals(2, leases.stream().filter(l -> l.channel().isOpen()).count());
    }

    @Test
    void aChannelInThePoolIsLentAgainNotReopened() throws Exception {
        var pool = new FilePool(4);
        FileChannel a;
        try (var lease = pool.lease(torrent, 7, FilePool.Mode.READ, file(7))) {
            a = lease.channel();
        }
        try (var lease = pool.lease(torrent, 7, FilePool.Mode.READ, () -> {
            throw new IOException("must not open again");
        })) {
            assertSame(a, lease.channel());
        }
        try (var lease = pool.leaseIfOpen(torrent, 7, FilePool.Mode.READ)) {
            assertSame(a, lease.channel());
        }
        assertNull(pool.leaseIfOpen(torrent, 7, FilePool.Mode.DIRECT), "each mode has its own channel");
        assertNull(pool.leaseIfOpen(other, 7, FilePool.Mode.READ), "and each owner");
    }

    @Test
    void closingOneOwnersFilesLeavesTheOthersOpen() throws Exception {
        var pool = new FilePool(8);
        var leased = pool.lease(torrent, 0, FilePool.Mode.READ_WRITE, file(0));
        pool.lease(torrent, 1, FilePool.Mode.READ_WRITE, file(1)).close();
        pool.lease(other, 0, FilePool.Mode.READ_WRITE, file(2)).close();
        pool.closeAll(torrent);
        assertEquals(1, pool.size());
        assertTrue(pool.isOpen(other, 0, FilePool.Mode.READ_WRITE));
        assertThrows(ClosedChannelException.class, () -> leased.channel().write(ByteBuffer.allocate(1), 0),
                "a stopped torrent's channel is closed even while leased");
        leased.close(); // returning it afterwards is harmless
        assertEquals(1, pool.size());
    }

    @Test
    void anOpenThatFailsLeavesNothingBehind() {
        var pool = new FilePool(2);
        assertThrows(IOException.class, () -> pool.lease(torrent, 0, FilePool.Mode.READ,
                () -> FileChannel.open(dir.resolve("missing"), StandardOpenOption.READ)));
        assertEquals(0, pool.size());
    }

    @Test
    void isSizedByTheDescriptorLimit() {
        long limit = FilePool.descriptorLimit();
        var pool = FilePool.sizedForThisProcess(512);
        assertTrue(pool.capacity() <= 512 && pool.capacity() >= 16);
        if (limit > 0 && limit < 1088) {
            assertEquals(Math.max(16, (limit - 64) / 2), pool.capacity());
        }
        assertTrue(Files.isReadable(Path.of("/proc/self/limits")) == (limit > 0));
    }
}
