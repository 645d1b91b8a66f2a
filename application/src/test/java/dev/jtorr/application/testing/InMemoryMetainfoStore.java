package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.port.out.MetainfoStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** .torrent files held in memory. */
public final class InMemoryMetainfoStore implements MetainfoStore {
    private final Map<Path, byte[]> files = new ConcurrentHashMap<>();

    @Override
    public byte[] read(Path torrentFile, int maxBytes) {
        byte[] bytes = files.get(torrentFile);
        if (bytes == null) {
            throw new ContentException("no such file: " + torrentFile);
        }
        if (bytes.length > maxBytes) {
            throw new ContentException("file too large: " + torrentFile);
        }
        return bytes.clone();
    }

    @Override
    public boolean exists(Path path) {
        return files.containsKey(path);
    }

    @Override
    public void write(Path target, byte[] bytes, boolean overwrite) {
        if (!overwrite && files.containsKey(target)) {
            throw new ContentException(target + " already exists");
        }
        files.put(target, bytes.clone());
    }

    @Override
    public java.util.List<Path> list(Path folder, String suffix) {
        return files.keySet().stream().filter(p -> folder.equals(p.getParent())
                && p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }

    @Override
    public void delete(Path path) {
        files.remove(path);
    }

    public byte[] get(Path path) {
        return files.get(path).clone();
    }
}
