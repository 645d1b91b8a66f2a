package dev.jtorr.adapters.net.http;

import dev.jtorr.application.port.in.ManageTorrentsUseCase.FileView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.PeerView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TrackerView;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The torrent fields of Transmission's RPC (rpc-spec, "torrent-get") that jtorr can answer, each computed from a
 * {@link TransmissionTorrent}. What jtorr does not track (creation dates, comments, per-peer flags) is answered with
 * Transmission's value for "none", so that clients show an empty entry rather than fail; a field not listed here is
 * left out of the answer, as Transmission leaves out names it does not know.
 */
final class TransmissionFields {
    private static final Map<String, Function<TransmissionTorrent, Object>> FIELDS = table();

    private TransmissionFields() {
    }

    /** The fields named in {@code names} that exist, in that order. */
    static Map<String, Object> of(TransmissionTorrent t, Iterable<String> names) {
        var out = new LinkedHashMap<String, Object>();
        for (String name : names) {
            Function<TransmissionTorrent, Object> f = FIELDS.get(name);
            if (f != null) {
                out.put(name, f.apply(t));
            }
        }
        return out;
    }

    private static Map<String, Function<TransmissionTorrent, Object>> table() {
        var m = new LinkedHashMap<String, Function<TransmissionTorrent, Object>>();
        m.put("id", t -> t.number);
        m.put("hashString", t -> t.view.id());
        m.put("name", t -> t.view.name());
        m.put("status", TransmissionTorrent::status);
        m.put("error", t -> t.view.error().isPresent() ? 3 : 0); // 3: a local error
        m.put("errorString", t -> t.view.error().orElse(""));
        m.put("percentDone", t -> t.view.progress());
        m.put("metadataPercentComplete", t -> t.view.state().equals("waiting_for_metadata") ? 0.0 : 1.0);
        m.put("recheckProgress", t -> 0.0);
        m.put("totalSize", TransmissionTorrent::totalSize);
        m.put("sizeWhenDone", t -> t.view.sizeBytes());
        m.put("leftUntilDone", TransmissionTorrent::left);
        m.put("haveValid", t -> t.view.verifiedBytes());
        m.put("haveUnchecked", t -> 0);
        m.put("desiredAvailable", t -> t.view.peers() > 0 ? t.left() : 0);
        m.put("corruptEver", t -> 0);
        m.put("rateDownload", t -> t.view.downloadRate());
        m.put("rateUpload", t -> t.view.uploadRate());
        // -1: not available (done, or stopped), which clients show as "Done" once nothing is left; -2: unknown
        m.put("eta", t -> t.left() == 0 || t.status() == 0 ? -1L : t.view.etaSeconds().orElse(-2L));
        m.put("etaIdle", t -> -1);
        m.put("peersConnected", t -> t.view.peers());
        m.put("peersSendingToUs", t -> t.view.downloadRate() > 0 ? t.view.peers() : 0);
        m.put("peersGettingFromUs", t -> t.view.uploadRate() > 0 ? t.view.peers() : 0);
        m.put("webseedsSendingToUs", t -> 0);
        m.put("uploadedEver", t -> t.view.uploaded());
        m.put("downloadedEver", t -> t.view.downloaded());
        m.put("uploadRatio", TransmissionTorrent::ratio);
        m.put("downloadDir", t -> t.view.downloadDir());
        m.put("addedDate", t -> t.view.addedAt());
        m.put("activityDate", t -> 0);
        m.put("doneDate", t -> 0);
        m.put("startDate", t -> 0);
        m.put("dateCreated", t -> 0);
        m.put("secondsDownloading", t -> 0);
        m.put("secondsSeeding", t -> 0);
        m.put("isFinished", t -> t.view.progress() >= 1.0 && t.status() == 0 && t.view.error().isEmpty());
        m.put("isStalled", t -> false);
        m.put("isPrivate", t -> false);
        m.put("comment", t -> "");
        m.put("creator", t -> "");
        m.put("labels", t -> List.of());
        m.put("webseeds", t -> List.of());
        m.put("pieceCount", t -> t.view.pieceCount());
        m.put("pieceSize", t -> t.view.pieceLength());
        m.put("magnetLink", TransmissionTorrent::magnetLink);
        m.put("queuePosition", t -> t.position);
        m.put("bandwidthPriority", t -> 0);
        m.put("honorsSessionLimits", t -> true);
        m.put("peer-limit", t -> 50);
        m.put("seedRatioLimit", t -> 0.0);
        m.put("seedRatioMode", t -> 2); // 2: seeds without a ratio limit, as jtorr does
        m.put("seedIdleLimit", t -> 0);
        m.put("seedIdleMode", t -> 2);
        m.put("downloadLimit", t -> t.limits.shownKb(t.view.id() + "/down", t.view.downloadLimit()));
        m.put("downloadLimited", t -> t.view.downloadLimit() > 0);
        m.put("uploadLimit", t -> t.limits.shownKb(t.view.id() + "/up", t.view.uploadLimit()));
        m.put("uploadLimited", t -> t.view.uploadLimit() > 0);
        m.put("sequentialDownload", t -> t.view.sequential());
        m.put("files", TransmissionFields::files);
        m.put("fileStats", t -> t.files().stream().map(f -> Map.of("bytesCompleted", f.verifiedBytes(),
                "wanted", f.wanted(), "priority", priority(f))).toList());
        m.put("wanted", t -> t.files().stream().map(f -> f.wanted() ? 1 : 0).toList());
        m.put("priorities", t -> t.files().stream().map(TransmissionFields::priority).toList());
        m.put("peers", t -> t.peers().stream().map(TransmissionFields::peer).toList());
        m.put("trackers", TransmissionFields::trackers);
        m.put("trackerStats", TransmissionFields::trackerStats);
        return Map.copyOf(m);
    }

    private static Object files(TransmissionTorrent t) {
        var out = new ArrayList<Map<String, Object>>();
        for (FileView f : t.files()) {
            out.add(Map.of("name", t.fileName(f), "length", f.length(), "bytesCompleted", f.verifiedBytes()));
        }
        return out;
    }

    private static Map<String, Object> peer(PeerView p) {
        String a = p.address();
        int colon = a.lastIndexOf(':');
        String host = colon < 0 ? a : a.substring(0, colon);
        int port = 0;
        try {
            port = colon < 0 ? 0 : Integer.parseInt(a.substring(colon + 1));
        } catch (NumberFormatException e) {
            host = a; // an address without a port
        }
        var m = new LinkedHashMap<String, Object>();
        m.put("address", host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host);
        m.put("port", port);
        m.put("clientName", p.client());
        m.put("isEncrypted", "rc4".equals(p.encryption()));
        m.put("flagStr", "rc4".equals(p.encryption()) ? "E" : "");
        m.put("progress", 0.0);
        m.put("rateToClient", 0);
        m.put("rateToPeer", 0);
        m.put("isDownloadingFrom", p.downloaded() > 0);
        m.put("isUploadingTo", p.uploaded() > 0);
        m.put("isIncoming", false);
        m.put("isUTP", false);
        m.put("clientIsChoked", false);
        m.put("clientIsInterested", false);
        m.put("peerIsChoked", false);
        m.put("peerIsInterested", false);
        return m;
    }

    private static Object trackers(TransmissionTorrent t) {
        var out = new ArrayList<Map<String, Object>>();
        List<TrackerView> all = t.trackers();
        for (int i = 0; i < all.size(); i++) {
            out.add(Map.of("announce", all.get(i).url(), "scrape", "", "tier", all.get(i).tier(), "id", i));
        }
        return out;
    }

    private static Object trackerStats(TransmissionTorrent t) {
        var out = new ArrayList<Map<String, Object>>();
        List<TrackerView> all = t.trackers();
        for (int i = 0; i < all.size(); i++) {
            var m = new LinkedHashMap<String, Object>();
            m.put("id", i);
            m.put("announce", all.get(i).url());
            m.put("host", host(all.get(i).url()));
            m.put("scrape", "");
            m.put("tier", all.get(i).tier());
            m.put("isBackup", false);
            TrackerView tv = all.get(i);
            boolean heard = tv.lastAnnounce().isPresent();
            m.put("announceState", heard ? 1 : 0); // 1: waiting for the next announce
            m.put("scrapeState", 0);
            m.put("hasAnnounced", heard);
            m.put("hasScraped", false);
            m.put("lastAnnounceResult", tv.error().orElse(heard ? "Success" : ""));
            m.put("lastAnnounceSucceeded", heard && tv.error().isEmpty());
            m.put("lastAnnounceTimedOut", false);
            m.put("lastAnnounceTime", tv.lastAnnounce().orElse(0L));
            m.put("lastAnnounceStartTime", tv.lastAnnounce().orElse(0L));
            m.put("lastAnnouncePeerCount", tv.peers());
            m.put("nextAnnounceTime", tv.nextAnnounce().orElse(0L));
            m.put("lastScrapeResult", "");
            m.put("lastScrapeSucceeded", false);
            m.put("lastScrapeTimedOut", false);
            m.put("lastScrapeTime", 0);
            m.put("lastScrapeStartTime", 0);
            m.put("nextScrapeTime", 0);
            m.put("seederCount", tv.seeders());
            m.put("leecherCount", tv.leechers());
            m.put("downloadCount", -1);
            out.add(m);
        }
        return out;
    }

    /** Transmission's numbers for a file's priority: -1 low, 0 normal, 1 high. */
    private static int priority(dev.jtorr.application.port.in.ManageTorrentsUseCase.FileView f) {
        return f.priority().ordinal() - 1;
    }

    private static String host(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
