package dev.jtorr.application.port.in;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A daemon to start: a long-running engine whose torrents persist in a state folder.
 *
 * @param stateDir     where its torrents, their settings and resume records live ({@code torrents/}, {@code resume/})
 * @param downloadDir  where torrents go unless told otherwise
 * @param allowedDirs  the folders downloads may go to (the download folder is always one): a folder named in a
 *                     request must lie inside one of them
 * @param options      the engine's port, total limits and discovery, and each torrent's peers, trackers,
 *                     connections and memory
 */
public record StartDaemonCommand(Path stateDir, Path downloadDir, List<Path> allowedDirs, SessionOptions options) {
    public StartDaemonCommand {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(options, "options");
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
