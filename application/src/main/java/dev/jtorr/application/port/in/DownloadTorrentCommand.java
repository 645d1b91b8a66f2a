package dev.jtorr.application.port.in;

import java.nio.file.Path;

/**
 * What to download and where.
 *
 * @param torrent   the .torrent file
 * @param output    the folder that receives the torrent's file or folder
 * @param seed      keep seeding once complete (otherwise stop)
 * @param options   how to reach the swarm
 */
public record DownloadTorrentCommand(Path torrent, Path output, boolean seed, SessionOptions options) {
}
