package dev.jtorr.adapters.cli;

import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.MagnetLink;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.piece.Digest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders torrents and magnet links for people (aligned text, a file tree) and for scripts (JSON maps). */
final class TorrentDescription {
    private TorrentDescription() {
    }

    static Map<String, Object> json(Metainfo m) {
        var info = m.info();
        var out = new LinkedHashMap<String, Object>();
        out.put("name", info.name());
        out.put("version", info.version().name().toLowerCase(java.util.Locale.ROOT));
        out.put("total_size", info.totalLength());
        out.put("piece_length", info.pieceLength());
        out.put("piece_count", info.pieceCount());
        out.put("private", info.isPrivate());
        out.put("info_hash_v1", m.infoHashes().v1().map(Digest::hex).orElse(null));
        out.put("info_hash_v2", m.infoHashes().v2().map(Digest::hex).orElse(null));
        out.put("info_hash_v2_truncated", m.infoHashes().v2Truncated().map(Digest::hex).orElse(null));
        out.put("trackers", m.trackers());
        out.put("web_seeds", m.webSeeds());
        out.put("comment", m.comment().orElse(null));
        out.put("created_by", m.createdBy().orElse(null));
        out.put("creation_date", m.creationDate().map(Object::toString).orElse(null));
        out.put("source", info.source().orElse(null));
        var files = new ArrayList<Map<String, Object>>();
        int number = 0;
        for (FileEntry f : info.userFiles()) {
            var file = new LinkedHashMap<String, Object>();
            file.put("number", ++number);
            file.put("path", f.pathString());
            file.put("length", f.length());
            file.put("offset", f.offset());
            file.put("attributes", f.attributes());
            file.put("pieces_root", f.piecesRoot().map(Digest::hex).orElse(null));
            if (f.isRenamed()) {
                file.put("torrent_path", String.join("/", f.torrentPath()));
            }
            files.add(file);
        }
        out.put("files", files);
        out.put("magnet", m.magnetLink().format());
        out.put("warnings", m.warnings());
        return out;
    }

    static Map<String, Object> json(MagnetLink link) {
        var out = new LinkedHashMap<String, Object>();
        out.put("magnet", link.format());
        out.put("name", link.displayName().orElse(null));
        out.put("info_hash_v1", link.v1().map(Digest::hex).orElse(null));
        out.put("info_hash_v2", link.v2().map(Digest::hex).orElse(null));
        out.put("trackers", link.trackers());
        out.put("web_seeds", link.webSeeds());
        out.put("peers", link.peers());
        out.put("select_only", link.selectOnly());
        return out;
    }

    static void print(Metainfo m, PrintWriter out) {
        var info = m.info();
        List<FileEntry> files = info.userFiles();
        row(out, "name", info.name());
        row(out, "version", switch (info.version()) {
            case V1 -> "v1";
            case V2 -> "v2";
            case HYBRID -> "hybrid (v1 + v2)";
        });
        row(out, "size", Sizes.format(info.totalLength()) + " (" + info.totalLength() + " bytes) in "
                + files.size() + (files.size() == 1 ? " file" : " files"));
        row(out, "pieces", info.pieceCount() + " x " + Sizes.format(info.pieceLength()));
        row(out, "private", info.isPrivate() ? "yes" : "no");
        m.infoHashes().v1().ifPresent(h -> row(out, "info-hash v1", h.hex()));
        m.infoHashes().v2().ifPresent(h -> row(out, "info-hash v2", h.hex()));
        m.creationDate().ifPresent(d -> row(out, "created", d.toString()));
        m.createdBy().ifPresent(c -> row(out, "created by", c));
        m.comment().ifPresent(c -> row(out, "comment", c));
        info.source().ifPresent(s -> row(out, "source", s));
        for (int t = 0; t < m.trackers().size(); t++) {
            row(out, t == 0 ? "trackers" : "", "tier " + (t + 1) + ": " + String.join(" ", m.trackers().get(t)));
        }
        for (int i = 0; i < m.webSeeds().size(); i++) {
            row(out, i == 0 ? "web seeds" : "", m.webSeeds().get(i));
        }
        row(out, "magnet", m.magnetLink().format());
        m.warnings().forEach(w -> row(out, "warning", w));
        out.println("files:");
        printTree(files, out);
        for (FileEntry f : files) {
            if (f.isRenamed()) {
                out.println("renamed: " + String.join("/", f.torrentPath()) + " -> " + f.pathString());
            }
        }
    }

    static void print(MagnetLink link, PrintWriter out) {
        link.displayName().ifPresent(n -> row(out, "name", n));
        link.v1().ifPresent(h -> row(out, "info-hash v1", h.hex()));
        link.v2().ifPresent(h -> row(out, "info-hash v2", h.hex()));
        for (int i = 0; i < link.trackers().size(); i++) {
            row(out, i == 0 ? "trackers" : "", link.trackers().get(i));
        }
        for (int i = 0; i < link.webSeeds().size(); i++) {
            row(out, i == 0 ? "web seeds" : "", link.webSeeds().get(i));
        }
        for (int i = 0; i < link.peers().size(); i++) {
            row(out, i == 0 ? "peers" : "", link.peers().get(i));
        }
        if (!link.selectOnly().isEmpty()) {
            row(out, "select only", String.join(",", link.selectOnly()));
        }
        row(out, "magnet", link.format());
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf("%-14s %s%n", label.isEmpty() ? "" : label + ":", value);
    }

    /**
     * Prints paths as an indented tree: folders once, then their files with sizes, each numbered as
     * {@code download --select} takes them.
     */
    private static void printTree(List<FileEntry> files, PrintWriter out) {
        List<String> previous = List.of();
        int number = 0;
        for (FileEntry f : files) {
            number++;
            List<String> dirs = f.path().subList(0, f.path().size() - 1);
            int common = 0;
            while (common < dirs.size() && common < previous.size() && dirs.get(common).equals(previous.get(common))) {
                common++;
            }
            for (int d = common; d < dirs.size(); d++) {
                out.println("  " + "  ".repeat(d) + dirs.get(d) + "/");
            }
            out.println("  " + "  ".repeat(dirs.size()) + "[" + number + "] " + f.path().get(f.path().size() - 1)
                    + "  (" + Sizes.format(f.length()) + (f.isExecutable() ? ", executable" : "") + ")");
            previous = dirs;
        }
    }
}
