package dev.jtorr.adapters.net.http;

import dev.jtorr.application.port.in.ManageTorrentsUseCase;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.FileView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.PeerView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TrackerView;
import dev.jtorr.application.port.in.UnknownTorrentException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One torrent as Transmission's {@code torrent-get} describes it: its view, its number and place, and its files,
 * peers and trackers fetched only when a field asked for needs them (a list of many torrents asks for none).
 */
final class TransmissionTorrent {
    final TorrentView view;
    final int number;
    final int position;
    final TransmissionLimits limits;
    private final ManageTorrentsUseCase torrents;
    private List<FileView> files;
    private List<PeerView> peers;
    private List<TrackerView> trackers;

    TransmissionTorrent(TorrentView view, int number, int position, ManageTorrentsUseCase torrents,
                        TransmissionLimits limits) {
        this.view = view;
        this.number = number;
        this.position = position;
        this.torrents = torrents;
        this.limits = limits;
    }

    List<FileView> files() {
        if (files == null) {
            files = orEmpty(() -> torrents.files(view.id()));
        }
        return files;
    }

    List<PeerView> peers() {
        if (peers == null) {
            peers = orEmpty(() -> torrents.peers(view.id()));
        }
        return peers;
    }

    List<TrackerView> trackers() {
        if (trackers == null) {
            trackers = orEmpty(() -> torrents.trackers(view.id()));
        }
        return trackers;
    }

    /** A torrent removed between the listing and this call has nothing more to show. */
    private static <T> List<T> orEmpty(java.util.function.Supplier<List<T>> read) {
        try {
            return read.get();
        } catch (UnknownTorrentException e) {
            return List.of();
        }
    }

    /** Transmission's status: 0 stopped, 1 check-wait, 2 check, 3 download-wait, 4 download, 5 seed-wait, 6 seed. */
    int status() {
        return switch (view.state()) {
            case "checking" -> 2;
            case "added" -> 3;
            case "downloading", "waiting_for_metadata" -> 4;
            case "seeding" -> 6;
            default -> 0;
        };
    }

    long left() {
        return Math.max(0, view.sizeBytes() - view.verifiedBytes());
    }

    long totalSize() {
        return files().isEmpty() ? view.sizeBytes() : files().stream().mapToLong(FileView::length).sum();
    }

    /** Uploaded over downloaded (over what is verified for a torrent that was seeded from the start), -1 for none. */
    double ratio() {
        long base = view.downloaded() > 0 ? view.downloaded() : view.verifiedBytes();
        return base == 0 ? -1 : (double) view.uploaded() / base;
    }

    /** A file's name as Transmission gives it: inside the torrent's folder for a torrent of several files. */
    String fileName(FileView f) {
        return files().size() == 1 && f.path().equals(view.name()) ? f.path() : view.name() + "/" + f.path();
    }

    String magnetLink() {
        return view.magnet().orElseGet(() -> "magnet:?xt=urn:" + (view.id().length() == 40 ? "btih:" : "btmh:1220")
                + view.id() + "&dn=" + URLEncoder.encode(view.name(), StandardCharsets.UTF_8));
    }
}
