package dev.jtorr.application.port.in;

import java.nio.file.Path;

/**
 * A magnet link to resolve.
 *
 * @param link     the {@code magnet:?} link
 * @param torrents the folder that keeps resolved .torrent files, each {@code <name>.torrent}
 * @param options  how to reach the swarm (its peers are asked too)
 */
public record ResolveMagnetCommand(String link, Path torrents, SessionOptions options) {
}
