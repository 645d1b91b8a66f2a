package dev.jtorr.adapters.net.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtorr.application.port.in.ManageTorrentsUseCase;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.SessionView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.SettingsChanges;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Transmission's session methods: {@code session-get} (the settings clients show, with Transmission's names and
 * units), {@code session-set} (the speed limits; the settings jtorr does not let change while it runs are ignored,
 * as Transmission ignores names it does not know) and {@code session-stats}.
 */
final class TransmissionSession {
    /** The RPC version answered: Transmission 2.80 to 2.94's, whose methods and fields this adapter serves. */
    static final int RPC_VERSION = 15;
    private final ManageTorrentsUseCase torrents;
    private final TransmissionLimits limits;
    private final String sessionId;
    private final Clock clock;
    private final Instant started;

    TransmissionSession(ManageTorrentsUseCase torrents, TransmissionLimits limits, String sessionId, Clock clock) {
        this.torrents = torrents;
        this.limits = limits;
        this.sessionId = sessionId;
        this.clock = clock;
        this.started = clock.instant();
    }

    Map<String, Object> get() {
        SessionView s = torrents.session();
        var m = new LinkedHashMap<String, Object>();
        m.put("version", "3.00 (jtorr " + s.version() + ")");
        m.put("rpc-version", RPC_VERSION);
        m.put("rpc-version-minimum", 1);
        m.put("session-id", sessionId);
        m.put("download-dir", s.downloadDir());
        m.put("download-dir-free-space", -1);
        m.put("speed-limit-down", limits.shownKb("session/down", s.downloadLimit()));
        m.put("speed-limit-down-enabled", s.downloadLimit() > 0);
        m.put("speed-limit-up", limits.shownKb("session/up", s.uploadLimit()));
        m.put("speed-limit-up-enabled", s.uploadLimit() > 0);
        m.put("alt-speed-enabled", false);
        m.put("alt-speed-down", 50);
        m.put("alt-speed-up", 50);
        m.put("alt-speed-time-enabled", false);
        m.put("alt-speed-time-begin", 540);
        m.put("alt-speed-time-end", 1020);
        m.put("alt-speed-time-day", 127);
        m.put("peer-port", s.port());
        m.put("peer-port-random-on-start", false);
        m.put("port-forwarding-enabled", false);
        m.put("dht-enabled", s.dht());
        m.put("lpd-enabled", s.lsd());
        m.put("pex-enabled", false);
        m.put("utp-enabled", false);
        m.put("encryption", "preferred");
        m.put("peer-limit-global", 200);
        m.put("peer-limit-per-torrent", 50);
        m.put("start-added-torrents", true);
        m.put("download-queue-enabled", false);
        m.put("download-queue-size", 5);
        m.put("seed-queue-enabled", false);
        m.put("seed-queue-size", 10);
        m.put("queue-stalled-enabled", false);
        m.put("seedRatioLimit", 2.0);
        m.put("seedRatioLimited", false);
        m.put("idle-seeding-limit", 30);
        m.put("idle-seeding-limit-enabled", false);
        m.put("incomplete-dir", s.downloadDir());
        m.put("incomplete-dir-enabled", false);
        m.put("rename-partial-files", false);
        m.put("blocklist-enabled", false);
        m.put("blocklist-size", 0);
        m.put("script-torrent-done-enabled", false);
        m.put("trash-original-torrent-files", false);
        m.put("cache-size-mb", 4);
        m.put("units", Map.of("speed-units", List.of("kB/s", "MB/s", "GB/s", "TB/s"), "speed-bytes", 1000,
                "size-units", List.of("kB", "MB", "GB", "TB"), "size-bytes", 1000,
                "memory-units", List.of("KiB", "MiB", "GiB", "TiB"), "memory-bytes", 1024));
        return m;
    }

    Map<String, Object> set(ObjectNode args) {
        SessionView s = torrents.session();
        Optional<Long> down = limits.apply("session/down", s.downloadLimit(), kb(args, "speed-limit-down"),
                bool(args, "speed-limit-down-enabled"));
        Optional<Long> up = limits.apply("session/up", s.uploadLimit(), kb(args, "speed-limit-up"),
                bool(args, "speed-limit-up-enabled"));
        if (down.isPresent() || up.isPresent()) {
            torrents.changeSettings(new SettingsChanges(down, up));
        }
        return Map.of();
    }

    Map<String, Object> stats() {
        SessionView s = torrents.session();
        long seconds = Duration.between(started, clock.instant()).toSeconds();
        Map<String, Object> totals = Map.of("uploadedBytes", s.uploaded(), "downloadedBytes", s.downloaded(),
                "filesAdded", s.torrents(), "sessionCount", 1, "secondsActive", seconds);
        var m = new LinkedHashMap<String, Object>();
        m.put("activeTorrentCount", s.active());
        m.put("pausedTorrentCount", s.paused());
        m.put("torrentCount", s.torrents());
        m.put("downloadSpeed", s.downloadRate());
        m.put("uploadSpeed", s.uploadRate());
        m.put("cumulative-stats", totals);
        m.put("current-stats", totals);
        return m;
    }

    /** A speed in kB/s; absent when not given. */
    static Optional<Long> kb(ObjectNode args, String name) {
        JsonNode n = args.get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > Long.MAX_VALUE / 1000) {
            throw new ApiException(400, name + " must be a whole number of kB/s");
        }
        return Optional.of(n.asLong());
    }

    /** A switch, given as true/false or (as some clients do) 1/0. */
    static Optional<Boolean> bool(ObjectNode args, String name) {
        JsonNode n = args.get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (n.isBoolean()) {
            return Optional.of(n.asBoolean());
        }
        if (n.isIntegralNumber()) {
            return Optional.of(n.asLong() != 0);
        }
        throw new ApiException(400, name + " must be true or false");
    }
}
