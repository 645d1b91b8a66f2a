package dev.jtorr.application.port.in;

/** Starts a daemon: a long-running engine whose torrents remote clients manage. */
public interface StartDaemonUseCase {
    /**
     * Starts the engine (binding its peer port) and takes up every torrent in the state folder.
     *
     * @throws InvalidCommandException for options out of range
     * @throws dev.jtorr.application.port.out.NetworkException when the peer port cannot be bound
     */
    RunningDaemon start(StartDaemonCommand command);

    /** A running daemon: its torrents, its peer port, and how to stop it. */
    interface RunningDaemon extends ManageTorrentsUseCase, AutoCloseable {
        /** The peer port (TCP, and UDP for the DHT). */
        int port();

        /** Stops every torrent (each keeps its resume record) and the engine. */
        @Override
        void close() throws InterruptedException;
    }
}
