package dev.jtorr.application.port.in;

/** Runs a BitTorrent tracker (HTTP and/or UDP) until its handle is closed. */
public interface ServeTrackerUseCase {
    /**
     * Binds the listeners and starts serving.
     *
     * @throws dev.jtorr.application.port.out.NetworkException when a port cannot be bound
     */
    TrackerHandle start(ServeTrackerCommand command);
}
