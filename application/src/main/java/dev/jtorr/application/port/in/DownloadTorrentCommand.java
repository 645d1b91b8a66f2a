package dev.jtorr.application.port.in;

import java.nio.file.Path;

/**
 * What to download and where.
 *
 * @param torrent   the .torrent file
 * @param output    the folder that receives the torrent's file or folder
 * @param seed      keep seeding once complete (otherwise stop)
 * @param options   how to reach the swarm
 * @param select    the files to download, numbered from 1 as {@code jtorr info} lists them; empty for all
 */
public record DownloadTorrentCommand(Path torrent, Path output, boolean seed, SessionOptions options,
                                     java.util.List<Integer> select) {
    public DownloadTorrentCommand {
        select = java.util.List.copyOf(select);
    }

    /** Every file. */
    public DownloadTorrentCommand(Path torrent, Path output, boolean seed, SessionOptions options) {
        this(torrent, output, seed, options, java.util.List.of());
    }
}
