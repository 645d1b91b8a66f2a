package dev.jtorr.adapters.net.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.FileView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.PeerView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.SessionView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TrackerView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The API's JSON: every object spelled out field by field in snake_case, so the wire format is one place to read. */
final class ApiJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiJson() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * A JSON object from a request body.
     *
     * @throws ApiException 400 for anything else
     */
    static ObjectNode object(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ApiException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ApiException(400, "malformed JSON");
        }
        throw new ApiException(400, "the body must be a JSON object");
    }

    /** A torrent's fields, only those named in {@code fields} when that is not empty. */
    static Map<String, Object> torrent(TorrentView t, Set<String> fields) {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("state", t.state());
        m.put("size_bytes", t.sizeBytes());
        m.put("verified_bytes", t.verifiedBytes());
        m.put("progress", t.progress());
        m.put("download_rate", t.downloadRate());
        m.put("upload_rate", t.uploadRate());
        m.put("downloaded", t.downloaded());
        m.put("uploaded", t.uploaded());
        m.put("peers", t.peers());
        m.put("eta_seconds", t.etaSeconds().orElse(null));
        m.put("added_at", t.addedAt());
        m.put("download_dir", t.downloadDir());
        m.put("error", t.error().orElse(null));
        m.put("sequential", t.sequential());
        m.put("download_limit", t.downloadLimit());
        m.put("upload_limit", t.uploadLimit());
        m.put("piece_count", t.pieceCount());
        m.put("piece_length", t.pieceLength());
        m.put("magnet", t.magnet().orElse(null));
        m.put("version", t.version());
        if (!fields.isEmpty()) {
            m.keySet().retainAll(fields);
            m.putIfAbsent("id", t.id()); // a list without ids cannot be followed
        }
        return m;
    }

    /** The fields a torrent has, for checking a {@code fields} parameter. */
    static Set<String> torrentFields() {
        return torrent(new TorrentView("", "", "", 0, 0, 0, 0, 0, 0, 0, 0, java.util.Optional.empty(), 0, "",
                java.util.Optional.empty(), false, 0, 0, 0, 0, java.util.Optional.empty(), 0), Set.of()).keySet();
    }

    static Map<String, Object> file(FileView f) {
        var m = new LinkedHashMap<String, Object>();
        m.put("index", f.index());
        m.put("path", f.path());
        m.put("length", f.length());
        m.put("verified_bytes", f.verifiedBytes());
        m.put("wanted", f.wanted());
        m.put("priority", f.priority().name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }

    static Map<String, Object> peer(PeerView p) {
        var m = new LinkedHashMap<String, Object>();
        m.put("address", p.address());
        m.put("client", p.client());
        m.put("peer_id", p.peerId());
        m.put("encryption", p.encryption());
        m.put("downloaded", p.downloaded());
        m.put("uploaded", p.uploaded());
        return m;
    }

    static Map<String, Object> tracker(TrackerView t) {
        var m = new LinkedHashMap<String, Object>();
        m.put("url", t.url());
        m.put("tier", t.tier());
        m.put("last_announce", t.lastAnnounce().orElse(null));
        m.put("error", t.error().orElse(null));
        m.put("seeders", t.seeders());
        m.put("leechers", t.leechers());
        m.put("peers", t.peers());
        m.put("next_announce", t.nextAnnounce().orElse(null));
        return m;
    }

    static Map<String, Object> session(SessionView s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("torrents", s.torrents());
        m.put("active", s.active());
        m.put("paused", s.paused());
        m.put("download_rate", s.downloadRate());
        m.put("upload_rate", s.uploadRate());
        m.put("downloaded", s.downloaded());
        m.put("uploaded", s.uploaded());
        m.put("peer_port", s.port());
        m.put("download_dir", s.downloadDir());
        m.put("download_limit", s.downloadLimit());
        m.put("upload_limit", s.uploadLimit());
        m.put("dht", s.dht());
        m.put("lsd", s.lsd());
        m.put("version", s.version());
        return m;
    }
}
