package dev.jtorr.application.port.in;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A torrent to add to a long-running engine: exactly one of a .torrent file's bytes or a magnet link.
 *
 * @param torrent     the .torrent file's bytes
 * @param magnet      a {@code magnet:?} link
 * @param downloadDir where its files go; empty for the engine's default (it must lie inside one of the folders
 *                    downloads may go to)
 * @param paused      add it without starting it
 * @param wantedFiles the file numbers (from 0) to download, empty for all
 * @param sequential  download pieces in order
 */
public record AddTorrentCommand(Optional<byte[]> torrent, Optional<String> magnet, Optional<Path> downloadDir,
                                boolean paused, List<Integer> wantedFiles, boolean sequential) {
    public AddTorrentCommand {
        if (torrent.isPresent() == magnet.isPresent()) {
            throw new InvalidCommandException("give either a .torrent file or a magnet link");
        }
        magnet.ifPresent(m -> {
            if (!m.startsWith("magnet:?")) {
                throw new InvalidCommandException("not a magnet link: it must start with magnet:?");
            }
        });
        wantedFiles = List.copyOf(wantedFiles);
    }

    public static AddTorrentCommand ofTorrent(byte[] bytes) {
        return new AddTorrentCommand(Optional.of(bytes), Optional.empty(), Optional.empty(), false, List.of(), false);
    }

    public static AddTorrentCommand ofMagnet(String link) {
        return new AddTorrentCommand(Optional.empty(), Optional.of(link), Optional.empty(), false, List.of(), false);
    }

    public AddTorrentCommand withDownloadDir(Path dir) {
        return new AddTorrentCommand(torrent, magnet, Optional.of(dir), paused, wantedFiles, sequential);
    }

    public AddTorrentCommand withPaused(boolean value) {
        return new AddTorrentCommand(torrent, magnet, downloadDir, value, wantedFiles, sequential);
    }
}
