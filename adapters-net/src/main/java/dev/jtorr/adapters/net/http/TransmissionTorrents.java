package dev.jtorr.adapters.net.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtorr.application.port.in.ManageTorrentsUseCase;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.FileView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentChanges;
import dev.jtorr.domain.metainfo.FilePriority;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView;
import dev.jtorr.application.port.in.UnknownTorrentException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Transmission's torrent methods but {@code torrent-add}: {@code torrent-get}, {@code torrent-set} (speed limits,
 * wanted files) and the actions (start, stop, verify, remove), each on the torrents its {@code ids} names.
 */
final class TransmissionTorrents {
    private final ManageTorrentsUseCase torrents;
    private final TransmissionIds ids;
    private final TransmissionLimits limits;

    TransmissionTorrents(ManageTorrentsUseCase torrents, TransmissionIds ids, TransmissionLimits limits) {
        this.torrents = torrents;
        this.ids = ids;
        this.limits = limits;
    }

    Map<String, Object> get(ObjectNode args) {
        JsonNode fields = args.get("fields");
        if (fields == null || !fields.isArray()) {
            throw new ApiException(400, "no fields specified");
        }
        List<String> names = new ArrayList<>();
        fields.forEach(f -> names.add(f.asText()));
        List<TorrentView> all = torrents.torrents();
        TransmissionIds.Selection selected = ids.select(args.get("ids"), all);
        var positions = new HashMap<String, Integer>();
        for (int i = 0; i < all.size(); i++) {
            positions.put(all.get(i).id(), i);
        }
        var list = new ArrayList<Map<String, Object>>();
        for (TorrentView t : selected.torrents()) {
            list.add(TransmissionFields.of(new TransmissionTorrent(t, ids.number(t.id()), positions.get(t.id()),
                    torrents, limits), names));
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("torrents", list);
        if (args.path("ids").asText().equals("recently-active")) {
            out.put("removed", selected.removed());
        }
        return out;
    }

    Map<String, Object> set(ObjectNode args) {
        Optional<Long> downKb = TransmissionSession.kb(args, "downloadLimit");
        Optional<Boolean> downOn = TransmissionSession.bool(args, "downloadLimited");
        Optional<Long> upKb = TransmissionSession.kb(args, "uploadLimit");
        Optional<Boolean> upOn = TransmissionSession.bool(args, "uploadLimited");
        Set<Integer> filesWanted = numbers(args, "files-wanted");
        Set<Integer> filesUnwanted = numbers(args, "files-unwanted");
        Optional<Boolean> sequential = TransmissionSession.bool(args, "sequentialDownload");
        var priorities = new java.util.HashMap<Integer, FilePriority>();
        numbers(args, "priority-low").forEach(i -> priorities.put(i, FilePriority.LOW));
        numbers(args, "priority-normal").forEach(i -> priorities.put(i, FilePriority.NORMAL));
        numbers(args, "priority-high").forEach(i -> priorities.put(i, FilePriority.HIGH));
        for (TorrentView t : selected(args)) {
            var changes = new TorrentChanges(limits.apply(t.id() + "/down", t.downloadLimit(), downKb, downOn),
                    limits.apply(t.id() + "/up", t.uploadLimit(), upKb, upOn), wanted(t, filesWanted, filesUnwanted),
                    sequential, priorities);
            if (!changes.isEmpty()) {
                changing(() -> torrents.change(t.id(), changes));
            }
        }
        return Map.of();
    }

    /** Runs {@code action} on each torrent named; one removed meanwhile is passed over, as Transmission does. */
    Map<String, Object> each(ObjectNode args, Consumer<String> action) {
        for (TorrentView t : selected(args)) {
            changing(() -> action.accept(t.id()));
        }
        return Map.of();
    }

    private List<TorrentView> selected(ObjectNode args) {
        return ids.select(args.get("ids"), torrents.torrents()).torrents();
    }

    private static void changing(Runnable change) {
        try {
            change.run();
        } catch (UnknownTorrentException e) {
            // removed between the listing and the change: nothing left to change
        }
    }

    private Optional<List<Integer>> wanted(TorrentView t, Set<Integer> wanted, Set<Integer> unwanted) {
        if (wanted.isEmpty() && unwanted.isEmpty()) {
            return Optional.empty();
        }
        List<FileView> files = torrents.files(t.id());
        var out = new ArrayList<Integer>();
        for (FileView f : files) {
            if (wanted.contains(f.index()) || (f.wanted() && !unwanted.contains(f.index()))) {
                out.add(f.index());
            }
        }
        for (int i : wanted) {
            if (i >= files.size()) {
                throw new ApiException(400, "file number " + i + " is out of range (" + t.name() + " has "
                        + files.size() + " files)");
            }
        }
        if (out.isEmpty() && !files.isEmpty()) {
            throw new ApiException(400, "at least one file of " + t.name() + " must stay wanted");
        }
        return Optional.of(out);
    }

    private static Set<Integer> numbers(ObjectNode args, String name) {
        JsonNode n = args.get(name);
        var out = new LinkedHashSet<Integer>();
        if (n == null) {
            return out;
        }
        for (JsonNode i : n.isArray() ? n : List.of(n)) {
            if (!i.isIntegralNumber() || !i.canConvertToInt() || i.asInt() < 0) {
                throw new ApiException(400, name + " must be a list of file numbers");
            }
            out.add(i.asInt());
        }
        return out;
    }
}
