package dev.jtorr.application.port.out;

import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.tracker.AnnounceRefusedException;
import dev.jtorr.domain.tracker.AnnounceRequest;
import dev.jtorr.domain.tracker.Endpoint;
import dev.jtorr.domain.tracker.ScrapeStats;
import dev.jtorr.domain.tracker.SwarmRegistry;
import dev.jtorr.domain.tracker.TrackerStatistics;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The server side of the tracker protocols: HTTP (BEP 3, 7, 23, 48) and UDP (BEP 15) listeners that decode
 * requests, hand them to {@link Requests} and encode the answers. The adapter owns every protocol limit (request
 * sizes, connection counts, UDP connection ids); malformed input gets an error reply or is dropped, never reaches
 * the handler.
 */
public interface TrackerTransport {
    /**
     * Serves HTTP announce ({@code /announce}), scrape ({@code /scrape}) and a statistics page ({@code /}).
     *
     * @param bindAddress local address, empty for every interface
     * @param port        TCP port, 0 for any free one
     * @throws NetworkException when the port cannot be bound
     */
    Listening listenHttp(String bindAddress, int port, Requests requests);

    /** Serves UDP announce and scrape (BEP 15) on {@code port} (0 for any free one). */
    Listening listenUdp(String bindAddress, int port, Requests requests);

    /** What the tracker does with decoded requests. Called from many adapter threads at once: thread-safe. */
    interface Requests {
        /**
         * Registers an announce from {@code from} (the address the request came from; a client's claimed address
         * is ignored) and picks peers for it.
         *
         * @throws AnnounceRefusedException when the tracker refuses; its message is the failure reason
         */
        Answer announce(AnnounceRequest request, Endpoint from);

        Map<Digest, ScrapeStats> scrape(List<Digest> infoHashes);

        TrackerStatistics statistics();
    }

    /** An announce's answer: when to come back, and the peers and counts. */
    record Answer(Duration interval, Duration minInterval, SwarmRegistry.Selection selection) {
    }

    /** A bound listener. Closing it stops serving. */
    interface Listening extends AutoCloseable {
        int port();

        @Override
        void close();
    }
}
