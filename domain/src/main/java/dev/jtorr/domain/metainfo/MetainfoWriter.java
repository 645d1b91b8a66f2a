package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BList;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes canonical .torrent bytes from a {@link TorrentSpec}: the v1 part ({@code pieces}, {@code length} or
 * {@code files} with pad files) and/or the v2 part ({@code meta version}, {@code file tree}, {@code piece layers}).
 * The same spec always gives the same bytes. Stateless.
 */
public final class MetainfoWriter {
    private MetainfoWriter() {
    }

    public static byte[] write(TorrentSpec spec) {
        var root = BDictionary.builder();
        List<String> flat = spec.trackers().stream().flatMap(List::stream).toList();
        if (!flat.isEmpty()) {
            root.put("announce", flat.get(0));
        }
        if (flat.size() > 1) {
            root.put("announce-list", new BList(spec.trackers().stream()
                    .map(t -> (BValue) new BList(t.stream().map(u -> (BValue) BString.of(u)).toList())).toList()));
        }
        spec.comment().ifPresent(c -> root.put("comment", c));
        spec.createdBy().ifPresent(c -> root.put("created by", c));
        spec.creationDate().ifPresent(d -> root.put("creation date", d.getEpochSecond()));
        if (!spec.webSeeds().isEmpty()) {
            root.put("url-list", new BList(spec.webSeeds().stream().map(u -> (BValue) BString.of(u)).toList()));
        }
        if (spec.version().hasV2()) {
            var layers = BDictionary.builder();
            spec.pieceLayers().forEach((rootHash, layer) -> layers.put(new BString(rootHash.bytes()),
                    new BString(layer)));
            root.put("piece layers", layers.build());
        }
        root.put("info", info(spec));
        return BencodeEncoder.encode(root.build());
    }

    private static BDictionary info(TorrentSpec spec) {
        var info = BDictionary.builder();
        info.put("name", spec.name());
        info.put("piece length", spec.pieceLength());
        if (spec.isPrivate()) {
            info.put("private", 1);
        }
        spec.source().ifPresent(s -> info.put("source", s));
        if (spec.version().hasV1()) {
            info.put("pieces", spec.pieces());
            if (spec.singleFile()) {
                FileEntry only = spec.files().get(0);
                info.put("length", only.length());
                putAttr(info, only.attributes());
            } else {
                var files = new ArrayList<BValue>();
                for (FileEntry f : spec.files()) {
                    var d = BDictionary.builder().put("length", f.length());
                    d.put("path", new BList(f.torrentPath().subList(1, f.torrentPath().size()).stream()
                            .map(c -> (BValue) BString.of(c)).toList()));
                    putAttr(d, f.attributes());
                    files.add(d.build());
                }
                info.put("files", new BList(files));
            }
        }
        if (spec.version().hasV2()) {
            info.put("meta version", 2);
            info.put("file tree", fileTree(spec));
        }
        return info.build();
    }

    private static BDictionary fileTree(TorrentSpec spec) {
        // Mutable nested maps first; bencode dictionaries sort their keys themselves.
        var tree = new TreeMap<String, Object>();
        for (FileEntry f : spec.files()) {
            if (f.isPadding()) {
                continue;
            }
            List<String> rel = spec.singleFile() ? f.torrentPath() : f.torrentPath().subList(1, f.torrentPath().size());
            TreeMap<String, Object> node = tree;
            for (String c : rel.subList(0, rel.size() - 1)) {
                @SuppressWarnings("unchecked")
                TreeMap<String, Object> next = (TreeMap<String, Object>) node.computeIfAbsent(c, k -> new TreeMap<>());
                node = next;
            }
            var leaf = BDictionary.builder().put("length", f.length());
            f.piecesRoot().ifPresent(r -> leaf.put("pieces root", r.bytes()));
            putAttr(leaf, f.attributes());
            node.put(rel.get(rel.size() - 1), BDictionary.builder().put("", leaf.build()).build());
        }
        return toDictionary(tree);
    }

    private static BDictionary toDictionary(TreeMap<String, Object> node) {
        var d = BDictionary.builder();
        node.forEach((k, v) -> {
            @SuppressWarnings("unchecked")
            BValue value = v instanceof BDictionary leaf ? leaf : toDictionary((TreeMap<String, Object>) v);
            d.put(k, value);
        });
        return d.build();
    }

    private static void putAttr(BDictionary.Builder d, String attributes) {
        if (!attributes.isEmpty()) {
            d.put("attr", attributes);
        }
    }
}
