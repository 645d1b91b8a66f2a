package dev.jtorr.application.engine;

import dev.jtorr.domain.dht.DhtSettings;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.util.Objects;

/**
 * What an engine's torrents share.
 *
 * @param bindAddress    local address of the one listening port, empty for every interface
 * @param port           the listening port; the next free one is used when it is taken, 0 for any
 * @param encryption     which incoming handshakes (plain text, MSE) are accepted
 * @param uploadLimit    bytes per second of payload upload over all torrents, 0 for unlimited
 * @param downloadLimit  bytes per second of payload requested over all torrents, 0 for unlimited
 * @param maxConnections peers connected at once over all torrents
 * @param uploadSlots    peers unchoked at once over all torrents; 0 for a number that follows the upload capacity
 * @param dht            whether the engine runs a DHT node, and where it bootstraps
 * @param lsd            whether the engine runs local service discovery (BEP 14)
 */
public record EngineOptions(String bindAddress, int port, EncryptionPolicy encryption, long uploadLimit,
                            long downloadLimit, int maxConnections, int uploadSlots, DhtSettings dht, boolean lsd) {
    public EngineOptions {
        Objects.requireNonNull(dht, "dht");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(encryption, "encryption");
        if (port < 0 || port > 65535) {
            throw new InvalidCommandException("port " + port + " is outside 0-65535");
        }
        if (uploadLimit < 0 || downloadLimit < 0) {
            throw new InvalidCommandException("a rate limit cannot be negative");
        }
        if (maxConnections < 1) {
            throw new InvalidCommandException("need at least one connection");
        }
        if (uploadSlots < 0) {
            throw new InvalidCommandException("upload slots cannot be negative (0 for automatic)");
        }
    }

    /** No local service discovery. */
    public EngineOptions(String bindAddress, int port, EncryptionPolicy encryption, long uploadLimit,
                         long downloadLimit, int maxConnections, int uploadSlots, DhtSettings dht) {
        this(bindAddress, port, encryption, uploadLimit, downloadLimit, maxConnections, uploadSlots, dht, false);
    }

    /** Upload slots that follow the upload capacity. */
    public EngineOptions(String bindAddress, int port, EncryptionPolicy encryption, long uploadLimit,
                         long downloadLimit, int maxConnections) {
        this(bindAddress, port, encryption, uploadLimit, downloadLimit, maxConnections, 0);
    }

    /** No DHT, no local service discovery. */
    public EngineOptions(String bindAddress, int port, EncryptionPolicy encryption, long uploadLimit,
                         long downloadLimit, int maxConnections, int uploadSlots) {
        this(bindAddress, port, encryption, uploadLimit, downloadLimit, maxConnections, uploadSlots,
                DhtSettings.OFF);
    }

    /** Any free port on every interface, encryption preferred, automatic upload slots, no limits but 500 connections. */
    public static EngineOptions defaults() {
        return new EngineOptions("", 0, EncryptionPolicy.PREFER, 0, 0, 500);
    }

    /**
     * The engine-wide settings of a command line that gives one set of options for all its torrents: its port and
     * encryption, and its limits as totals.
     */
    public static EngineOptions of(SessionOptions options) {
        return new EngineOptions(options.bindAddress(), options.port(), options.encryption(), options.uploadLimit(),
                options.downloadLimit(), options.maxConnections(), options.uploadSlots(), options.dht(), options.lsd());
    }
}
