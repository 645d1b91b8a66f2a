package dev.jtorr.application.port.in;

/** @param target a path to a .torrent file, or a {@code magnet:?} link */
public record InspectTorrentCommand(String target) {
    public InspectTorrentCommand {
        if (target == null || target.isBlank()) {
            throw new InvalidCommandException("give a .torrent file or a magnet link");
        }
    }
}
