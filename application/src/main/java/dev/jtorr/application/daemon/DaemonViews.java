package dev.jtorr.application.daemon;

import dev.jtorr.application.port.in.ManageTorrentsUseCase.FileView;
import dev.jtorr.application.port.in.ManageTorrentsUseCase.TorrentView;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.swarm.TransferStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a client sees of a daemon's torrent, made from its settings, its metadata and its handle's snapshots. */
final class DaemonViews {
    private DaemonViews() {
    }

    static TorrentView torrent(DaemonEntry entry, String name, Metainfo metainfo, TorrentHandle handle,
                               boolean fetching, String failure, long version) {
        TransferStatus s = handle == null ? null : handle.status();
        String state;
        Optional<String> error = Optional.ofNullable(failure).or(() -> handle == null ? Optional.empty()
                : handle.failure());
        if (error.isPresent()) {
            state = "error";
        } else if (handle != null) {
            state = handle.state().name().toLowerCase(Locale.ROOT);
        } else if (fetching) {
            state = "waiting_for_metadata";
        } else {
            state = entry.paused() ? "paused" : "stopped";
        }
        long size = s != null ? s.totalBytes() : metainfo != null ? wantedBytes(metainfo, entry.wantedFiles()) : 0;
        long verified = s != null ? s.verifiedBytes() : 0;
        double progress = size == 0 ? (metainfo != null && s != null ? 1.0 : 0.0) : (double) verified / size;
        Optional<Long> eta = s == null || state.equals("paused") ? Optional.empty()
                : s.eta().map(java.time.Duration::toSeconds);
        return new TorrentView(entry.id(), name, state, size, verified, progress, s == null ? 0 : s.downloadRate(),
                s == null ? 0 : s.uploadRate(), s == null ? 0 : s.downloaded(), s == null ? 0 : s.uploaded(),
                s == null ? 0 : s.peers(), eta, entry.addedAt(), entry.downloadDir().toString(), error,
                entry.sequential(), entry.downloadLimit(), entry.uploadLimit(),
                metainfo == null ? 0 : metainfo.info().pieceCount(),
                metainfo == null ? 0 : metainfo.info().pieceLength(), entry.magnet(), version);
    }

    static TorrentView withVersion(TorrentView t, long version) {
        return new TorrentView(t.id(), t.name(), t.state(), t.sizeBytes(), t.verifiedBytes(), t.progress(),
                t.downloadRate(), t.uploadRate(), t.downloaded(), t.uploaded(), t.peers(), t.etaSeconds(),
                t.addedAt(), t.downloadDir(), t.error(), t.sequential(), t.downloadLimit(), t.uploadLimit(),
                t.pieceCount(), t.pieceLength(), t.magnet(), version);
    }

    private static long wantedBytes(Metainfo metainfo, List<Integer> wanted) {
        List<FileEntry> files = metainfo.info().userFiles();
        if (wanted.isEmpty()) {
            return metainfo.info().totalLength();
        }
        return wanted.stream().mapToLong(i -> files.get(i).length()).sum();
    }

    /** Each user file with the bytes of it that lie in verified pieces. */
    static List<FileView> files(Metainfo metainfo, List<Integer> wanted,
                                java.util.Map<Integer, dev.jtorr.domain.metainfo.FilePriority> priorities,
                                Bitfield verified) {
        long pieceLength = metainfo.info().pieceLength();
        var wantedSet = new HashSet<>(wanted);
        var out = new ArrayList<FileView>();
        int index = 0;
        for (FileEntry f : metainfo.info().files()) {
            if (f.isPadding()) {
                continue;
            }
            long have = 0;
            if (f.length() > 0 && verified.size() > 0) {
                long end = f.offset() + f.length();
                for (int p = (int) (f.offset() / pieceLength); p <= (end - 1) / pieceLength; p++) {
                    if (verified.get(p)) {
                        long from = Math.max(f.offset(), p * pieceLength);
                        long to = Math.min(end, (p + 1) * pieceLength);
                        have += to - from;
                    }
                }
            }
            out.add(new FileView(index, String.join("/", f.path()), f.length(), have,
                    wanted.isEmpty() || wantedSet.contains(index),
                    priorities.getOrDefault(index, dev.jtorr.domain.metainfo.FilePriority.NORMAL)));
            index++;
        }
        return out;
    }
}
