package dev.jtorr.adapters.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A disk that keeps only what was synced. On a {@link #crash}, every file's bytes go back to what they were when it
 * was last synced (zeros where it never was), while its size and modification time stay as they are: the worst
 * case, where the file system's metadata reached the disk and the data did not, so that a record checked against
 * sizes and times alone would be fooled.
 */
final class LosingDisk implements FileTorrentStorage.Flush {
    private final Map<Path, byte[]> durable = new ConcurrentHashMap<>();
    private final Path root;
    private final boolean canSyncFileSystem;
    final AtomicInteger fileSyncs = new AtomicInteger();
    final AtomicInteger fileSystemSyncs = new AtomicInteger();

    /** @param root the folder whose files this disk holds */
    LosingDisk(Path root, boolean canSyncFileSystem) {
        this.root = root;
        this.canSyncFileSystem = canSyncFileSystem;
    }

    @Override
    public void force(Path file, FileChannel channel) throws IOException {
        fileSyncs.incrementAndGet();
        durable.put(file, Files.readAllBytes(file));
    }

    @Override
    public boolean syncFileSystem(Path anyPath) throws IOException {
        if (!canSyncFileSystem) {
            return false;
        }
        fileSystemSyncs.incrementAndGet();
        for (Path f : files()) {
            durable.put(f, Files.readAllBytes(f));
        }
        return true;
    }

    /** The power fails: unsynced bytes are lost, sizes and modification times kept. */
    void crash() throws IOException {
        for (Path f : files()) {
            long size = Files.size(f);
            FileTime modified = Files.getLastModifiedTime(f);
            Files.write(f, Arrays.copyOf(durable.getOrDefault(f, new byte[0]), Math.toIntExact(size)));
            Files.setLastModifiedTime(f, modified);
        }
    }

    private List<Path> files() throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
