package dev.jtorr.application.port.in;

import java.nio.file.Path;

/**
 * What to seed.
 *
 * @param torrent   the .torrent file
 * @param content   the file (single-file torrent) or folder (multi-file) holding the data
 * @param skipCheck trust the data without hashing it first
 * @param options   how to reach the swarm
 */
public record SeedTorrentCommand(Path torrent, Path content, boolean skipCheck, SessionOptions options) {
}
