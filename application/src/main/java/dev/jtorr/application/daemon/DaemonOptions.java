package dev.jtorr.application.daemon;

import dev.jtorr.application.engine.EngineOptions;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.SessionOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a daemon runs.
 *
 * @param stateDir     where its torrents, their settings and resume records live ({@code torrents/}, {@code resume/})
 * @param downloadDir  where torrents go unless told otherwise
 * @param allowedDirs  the folders downloads may go to (the download folder is always one): a folder named in a
 *                     request must lie inside one of them
 * @param engine       the engine's port, limits and discovery
 * @param torrent      each torrent's options (peers, trackers, connections, memory)
 */
public record DaemonOptions(Path stateDir, Path downloadDir, List<Path> allowedDirs, EngineOptions engine,
                            SessionOptions torrent) {
    public DaemonOptions {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(torrent, "torrent");
        downloadDir = downloadDir.toAbsolutePath().normalize();
        var allowed = new java.util.ArrayList<Path>();
        allowed.add(downloadDir);
        allowedDirs.forEach(d -> allowed.add(d.toAbsolutePath().normalize()));
        allowedDirs = List.copyOf(allowed);
        stateDir = stateDir.toAbsolutePath().normalize();
    }

    /**
     * {@code requested} made absolute (relative to the download folder) and checked to lie inside an allowed folder.
     *
     * @throws InvalidCommandException for a folder outside them
     */
    public Path confine(Path requested) {
        Path absolute = downloadDir.resolve(requested).normalize();
        for (Path allowed : allowedDirs) {
            if (absolute.startsWith(allowed)) {
                return absolute;
            }
        }
        throw new InvalidCommandException("download folder " + requested + " is outside the folders downloads may go "
                + "to (" + allowedDirs.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse("") + ")");
    }
}
