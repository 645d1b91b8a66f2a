package dev.jtorr.adapters.fs;

import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.port.out.MetainfoStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** .torrent files on disk; writes go to a temporary file beside the target, forced, then renamed. */
final class FileMetainfoStore implements MetainfoStore {
    @Override
    public byte[] read(Path torrentFile, int maxBytes) {
        if (!Files.exists(torrentFile)) {
            throw new ContentException("no such file: " + torrentFile);
        }
        if (Files.isDirectory(torrentFile)) {
            throw new ContentException(torrentFile + " is a folder, not a .torrent file");
        }
        try {
            long size = Files.size(torrentFile);
            if (size > maxBytes) {
                throw new ContentException(torrentFile + " is too large for a .torrent file (" + size
                        + " bytes, the limit is " + maxBytes + ")");
            }
            return Files.readAllBytes(torrentFile);
        } catch (IOException e) {
            throw FileChannelContentReader.failure(torrentFile, e);
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void write(Path target, byte[] bytes, boolean overwrite) {
        Path absolute = target.toAbsolutePath().normalize();
        if (!overwrite && Files.exists(absolute)) {
            throw new ContentException(target + " already exists; refusing to replace it");
        }
        try {
            AtomicFiles.write(absolute, bytes);
        } catch (IOException e) {
            throw new ContentException("cannot write " + target + ": " + IoReasons.of(e), e);
        }
    }

    @Override
    public java.util.List<Path> list(Path folder, String suffix) {
        if (!Files.isDirectory(folder)) {
            return java.util.List.of();
        }
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix) && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new ContentException("cannot list " + folder + ": " + IoReasons.of(e), e);
        }
    }

    @Override
    public void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new ContentException("cannot delete " + path + ": " + IoReasons.of(e), e);
        }
    }
}
