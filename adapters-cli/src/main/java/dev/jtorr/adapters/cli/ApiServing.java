package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.ManageTorrentsUseCase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Serves a daemon's torrents over HTTP: the API, its event stream and the web page (the net adapter's server). */
public interface ApiServing {
    /** A running API. */
    interface Served extends AutoCloseable {
        int port();

        @Override
        void close();
    }

    /**
     * Binds the API's port and serves {@code torrents}.
     *
     * @param hostNames names a request's Host header may give besides the bound address, localhost and IP addresses
     * @throws IOException when the port cannot be bound or the API key cannot be made in {@code stateDir}
     */
    Served serve(String bind, int port, Path stateDir, List<String> hostNames, ManageTorrentsUseCase torrents)
            throws IOException;
}
