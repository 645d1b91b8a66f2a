package dev.jtorr.adapters.net.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Transmission's small torrent numbers, one per info-hash in the order this daemon run first saw it (never reused, so
 * a number a client holds keeps naming the same torrent), and the {@code ids} argument of the torrent methods: absent
 * for every torrent, one number or hash, a list of numbers and hashes, or {@code "recently-active"} (changed in the
 * last minute as this adapter saw it, with the numbers of those removed meanwhile). Thread-safe.
 */
final class TransmissionIds {
    static final Duration RECENT = Duration.ofSeconds(60);
    private final Clock clock;
    /** Guarded by this. */
    private final Map<String, Integer> numbers = new HashMap<>();
    private final Map<Integer, String> hashes = new HashMap<>();
    private final Map<String, Seen> seen = new HashMap<>();
    private final Map<String, Instant> removed = new HashMap<>();
    private int next = 1;

    private record Seen(long version, Instant changedAt) {
    }

    /** The torrents named, in the daemon's order; {@code removed} the numbers of recently removed ones. */
    record Selection(List<TorrentView> torrents, List<Integer> removed) {
    }

    TransmissionIds(Clock clock) {
        this.clock = clock;
    }

    /** The torrent's number, given now if it has none. */
    synchronized int number(String hash) {
        return numbers.computeIfAbsent(hash.toLowerCase(Locale.ROOT), h -> {
            hashes.put(next, h);
            return next++;
        });
    }

    /**
     * The torrents {@code ids} names among {@code all}; names of torrents not there are left out, as Transmission
     * does.
     *
     * @throws ApiException for an {@code ids} that is neither a number, a hash, a list of those nor
     *                      "recently-active"
     */
    synchronized Selection select(JsonNode ids, List<TorrentView> all) {
        all.forEach(t -> number(t.id()));
        Instant now = clock.instant();
        observe(all, now);
        if (ids == null || ids.isNull()) {
            return new Selection(all, List.of());
        }
        if (ids.isTextual() && ids.asText().equals("recently-active")) {
            Instant since = now.minus(RECENT);
            List<TorrentView> recent = all.stream().filter(t -> seen.get(key(t)).changedAt().isAfter(since)
                    || t.downloadRate() > 0 || t.uploadRate() > 0).toList();
            List<Integer> gone = removed.entrySet().stream().filter(e -> e.getValue().isAfter(since))
                    .map(e -> numbers.get(e.getKey())).sorted().toList();
            return new Selection(recent, gone);
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (JsonNode id : ids.isArray() ? ids : List.of(ids)) {
            if (id.isIntegralNumber() && id.canConvertToInt()) {
                Optional.ofNullable(hashes.get(id.asInt())).ifPresent(wanted::add);
            } else if (id.isTextual() && id.asText().matches("[0-9]{1,9}")) {
                Optional.ofNullable(hashes.get(Integer.parseInt(id.asText()))).ifPresent(wanted::add); // some scripts
            } else if (id.isTextual()) {
                wanted.add(id.asText().toLowerCase(Locale.ROOT)); // a hash, or a name of nothing: Transmission skips it
            } else {
                throw new ApiException(400, "ids must be torrent numbers, info-hashes or \"recently-active\"");
            }
        }
        return new Selection(all.stream().filter(t -> wanted.contains(key(t))).toList(), List.of());
    }

    private void observe(List<TorrentView> all, Instant now) {
        var present = new HashMap<String, TorrentView>();
        all.forEach(t -> present.put(key(t), t));
        for (String hash : new ArrayList<>(seen.keySet())) {
            if (!present.containsKey(hash)) {
                seen.remove(hash);
                removed.put(hash, now);
            }
        }
        removed.values().removeIf(at -> at.isBefore(now.minus(RECENT.multipliedBy(10))));
        for (TorrentView t : all) {
            removed.remove(key(t));
            Seen before = seen.get(key(t));
            if (before == null || before.version() != t.version()) {
                seen.put(key(t), new Seen(t.version(), now));
            }
        }
    }

    private static String key(TorrentView t) {
        return t.id().toLowerCase(Locale.ROOT);
    }
}
