package dev.jtorr.adapters.cli;

import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.dht.DhtSettings;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options that {@code download} and {@code seed} share: how to reach the swarm. */
public final class SwarmOptions {
    @Option(names = "--peer", paramLabel = "HOST:PORT", description = "A peer to connect to; repeatable.")
    List<String> peers = new ArrayList<>();

    @Option(names = "--tracker", paramLabel = "URL",
            description = "Also announce to this tracker (http, https or udp); repeatable.")
    List<String> trackers = new ArrayList<>();

    @Option(names = "--no-trackers", description = "Do not announce to the trackers the torrent names.")
    boolean noTrackers;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on for peers (default: ${DEFAULT-VALUE};"
            + " the next free one if taken; 0 for any).")
    int port = SessionOptions.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Local address to listen on (default: every "
            + "interface), e.g. 127.0.0.1.")
    String bind = "";

    @Option(names = "--max-peers", paramLabel = "N", description = "Peers connected at once (default: ${DEFAULT-VALUE}).")
    int maxPeers = 50;

    @Option(names = "--upload-slots", paramLabel = "N", converter = SlotsConverter.class,
            description = "Peers we upload to at once, the optimistic one included (default: auto, as many as add "
                    + "upload rate).")
    int uploadSlots = 0;

    @Option(names = "--upload-limit", paramLabel = "RATE", converter = Sizes.Converter.class,
            description = "Upload at most this many bytes per second (e.g. 512KiB); default unlimited.")
    Long uploadLimit;

    @Option(names = "--download-limit", paramLabel = "RATE", converter = Sizes.Converter.class,
            description = "Download at most this many bytes per second (e.g. 4MiB); default unlimited.")
    Long downloadLimit;

    @Option(names = "--encryption", paramLabel = "MODE", description = "Message Stream Encryption, as libtorrent, "
            + "qBittorrent and Transmission call it: prefer (default: dial with an encrypted handshake, in plain text "
            + "at once if the peer hangs up on it; accept both), require (an encrypted handshake and RC4 after it, "
            + "both ways), allow (dial in plain text, encrypted if the peer hangs up on it; accept both) or disable "
            + "(plain text only, both ways).")
    EncryptionPolicy encryption = EncryptionPolicy.PREFER;

    @Option(names = "--dht", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Find peers through the Mainline DHT and announce there, on the UDP port of the same number "
                    + "as the peer port (default: on; never for private torrents).")
    boolean dht = true;

    @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT", split = ",",
            description = "A DHT node to join the network through; repeatable, replaces the default list of "
                    + "well-known public nodes; 'none' for no bootstrap.")
    List<String> dhtBootstrap;

    @Option(names = "--dht-read-only", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Use the DHT as a read-only node (BEP 43): look up and announce, but answer no other node's "
                    + "queries, so that they leave this one out of their routing tables (default: off).")
    boolean dhtReadOnly;

    @Option(names = "--lsd", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Find peers on the local network by multicast announces (BEP 14 local service discovery, "
                    + "as libtorrent, qBittorrent and Transmission do), and announce there (default: on; never for "
                    + "private torrents).")
    boolean lsd = true;

    @Option(names = "--json", description = "Progress and result as JSON lines on stdout.")
    boolean json;

    SessionOptions toSessionOptions(boolean sequential) {
        var addresses = new ArrayList<PeerAddress>();
        for (String p : peers) {
            try {
                addresses.add(PeerAddress.parse(p));
            } catch (InvalidDataException e) {
                throw new InvalidCommandException(e.getMessage());
            }
        }
        return new SessionOptions(addresses, bind, port, maxPeers, uploadSlots, uploadLimit == null ? 0 : uploadLimit,
                downloadLimit == null ? 0 : downloadLimit,
                sequential, memoryBudget(1), trackers, !noTrackers, encryption, dhtSettings(), lsd);
    }

    /** The DHT as the options ask for it: the public bootstrap nodes unless others (or none) are given. */
    DhtSettings dhtSettings() {
        if (!dht) {
            return DhtSettings.OFF;
        }
        if (dhtBootstrap == null || dhtBootstrap.isEmpty()) {
            return new DhtSettings(true, DhtSettings.PUBLIC_BOOTSTRAP, dhtReadOnly);
        }
        var nodes = new ArrayList<PeerAddress>();
        for (String b : dhtBootstrap) {
            if (b.strip().equalsIgnoreCase("none")) {
                continue;
            }
            try {
                nodes.add(PeerAddress.parse(b));
            } catch (InvalidDataException e) {
                throw new InvalidCommandException("--dht-bootstrap: " + e.getMessage());
            }
        }
        return new DhtSettings(true, nodes, dhtReadOnly);
    }

    /**
     * Bytes of unverified pieces each of {@code sessions} sessions may hold: 64 MiB, or an eighth of the heap shared
     * between them when the heap is small (e.g. {@code JTORR_JAVA_OPTS=-Xmx128m}), never under 4 MiB. Blocks in
     * flight, connection buffers and the rest of the program need the other seven eighths.
     */
    static long memoryBudget(int sessions) {
        long share = Runtime.getRuntime().maxMemory() / 8 / Math.max(1, sessions);
        return Math.max(4L << 20, Math.min(64L << 20, share));
    }

    /** A number of slots, or {@code auto} (0). */
    static final class SlotsConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.strip().equalsIgnoreCase("auto")) {
                return 0;
            }
            int n;
            try {
                n = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected a number of slots or auto, found '" + value
                        + "'");
            }
            if (n < 1) {
                throw new CommandLine.TypeConversionException("need at least one upload slot (or auto)");
            }
            return n;
        }
    }
}
