package dev.jtorr.application.port.out;

import java.nio.file.Path;

/** Reads and writes .torrent files. Thread-safe. Failures are {@link ContentException}s. */
public interface MetainfoStore {
    /** The bytes of a .torrent file, refusing files larger than {@code maxBytes}. */
    byte[] read(Path torrentFile, int maxBytes);

    /** Whether something already exists at {@code path}. */
    boolean exists(Path path);

    /**
     * Writes {@code bytes} to {@code target} atomically (a temporary file beside it, forced, then renamed), creating
     * missing parent folders. Refuses to replace an existing file unless {@code overwrite}.
     */
    void write(Path target, byte[] bytes, boolean overwrite);

    /** The .torrent files directly in {@code folder}, sorted by name; empty when the folder does not exist. */
    default java.util.List<Path> list(Path folder) {
        return list(folder, ".torrent");
    }

    /** The regular files directly in {@code folder} whose names end in {@code suffix}, sorted by name. */
    java.util.List<Path> list(Path folder, String suffix);

    /** Deletes the file at {@code path} if there is one. */
    void delete(Path path);
}
