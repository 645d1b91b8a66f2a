package dev.jtorr.application.port.out;

import dev.jtorr.domain.swarm.TransferStatus;
import dev.jtorr.domain.torrent.TorrentLifecycle;
import java.util.Optional;

/**
 * What happens to the torrents of an engine, in the order it happens: the one stream that progress lines, JSON
 * output and remote clients read. {@code torrent} is the torrent's id (its v1 info-hash in hex, or the truncated v2
 * one for a v2-only torrent), {@code name} its display name. Published on the engine's thread; a reader must return
 * quickly.
 */
public sealed interface EngineEvent {
    String torrent();

    String name();

    /** The torrent joined the engine, its data already checked. */
    record Added(String torrent, String name, TransferStatus status) implements EngineEvent {
    }

    /** Where the transfer stands; about once a second per torrent. */
    record Progress(String torrent, String name, TransferStatus status) implements EngineEvent {
    }

    /** The torrent moved to another state of its life. */
    record StateChanged(String torrent, String name, TorrentLifecycle.State state) implements EngineEvent {
    }

    /**
     * A magnet link's torrent is fetching its info dictionary (BEP 9): {@code held} of {@code pieces} metadata
     * pieces (0 of 0 until a peer says the size), from {@code sources} peers that offer it; about once a second.
     */
    record FetchingMetadata(String torrent, String name, int held, int pieces, int sources, int peers)
            implements EngineEvent {
    }

    /** Something the user may want to know: a peer banned, a piece failed, a tracker refused. */
    record Notice(String torrent, String name, String message) implements EngineEvent {
    }

    /** Every wanted byte is verified. */
    record Completed(String torrent, String name) implements EngineEvent {
    }

    /** The torrent left the engine: its connections are closed and its resume data saved. */
    record Stopped(String torrent, String name, TransferStatus status, Optional<String> failure)
            implements EngineEvent {
    }
}
