package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BInteger;
import dev.jtorr.domain.bencode.BList;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.bencode.BencodeException;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.MerkleTree;
import dev.jtorr.domain.piece.Sha;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads .torrent files: v1 (BEP 3, single and multi-file), v2 (BEP 52) and hybrid, with BEP 47 pad files and
 * attributes, BEP 12 tiers, BEP 19 web seeds and BEP 27 private flags. Every rule broken gives a
 * {@link MetainfoException} (or a {@link dev.jtorr.domain.bencode.BencodeException} for bad bencode) naming the
 * field. Stateless and thread-safe.
 */
public final class MetainfoParser {
    private static final int SHA1_LENGTH = 20;
    private static final long MAX_PIECE_LENGTH = 1L << 30;
    /** Where a pad file without a path is placed (as libtorrent does): {@code .pad/LENGTH}. */
    private static final byte[] PAD_FOLDER = {'.', 'p', 'a', 'd'};

    private MetainfoParser() {
    }

    /**
     * Reads a .torrent file as libtorrent and Transmission do: dictionary keys out of order (old encoders) are
     * accepted, with the info-hash taken over the info dictionary's bytes exactly as they are, and bytes after the
     * top-level dictionary are ignored with a warning ({@link Metainfo#warnings()}).
     */
    public static Metainfo parse(byte[] torrent) {
        BencodeDecoder.TorrentFile file;
        try {
            file = BencodeDecoder.decodeTorrentFile(torrent, BencodeLimits.TORRENT_FILE);
        } catch (BencodeException e) {
            throw new MetainfoException("not a torrent: " + e.getMessage(), e);
        }
        if (!(file.value() instanceof BDictionary root)) {
            throw new MetainfoException("not a torrent: the top level is not a dictionary");
        }
        BencodeDecoder.Span span = file.info();
        if (span == null) {
            throw new MetainfoException("not a torrent: no 'info' dictionary");
        }
        BDictionary infoDict = root.getDictionary("info")
                .orElseThrow(() -> new MetainfoException("'info' is not a dictionary"));
        byte[] infoBytes = Arrays.copyOfRange(torrent, span.offset(), span.offset() + span.length());
        InfoDictionary info = parseInfo(infoDict, infoBytes);
        Map<Digest, byte[]> layers = info.version().hasV2() ? pieceLayers(root, info) : Map.of();
        var warnings = new ArrayList<String>();
        if (file.trailing() > 0) {
            warnings.add(file.trailing() + " bytes after the torrent's dictionary were ignored");
        }
        long missing = Metainfo.missingPieceLayers(info, layers);
        if (missing > 0) {
            warnings.add("the piece layers of " + missing + " file(s) are missing: their pieces can be checked only "
                    + "once peers supply the layers (the v2 wire), or through the v1 hashes of a hybrid");
        }
        if (!file.infoCanonical()) {
            warnings.add("the info dictionary is not canonical bencode (keys out of order); its info-hash is taken "
                    + "over its bytes as they are");
        }
        return new Metainfo(info, infoBytes, infoHashes(info.version(), infoBytes), trackers(root),
                webSeeds(root), text(root, "comment"), text(root, "created by"),
                creationDate(root), layers, warnings);
    }

    /** The hashes of exact info-dictionary bytes, for the versions the dictionary carries. */
    public static InfoHashes infoHashes(TorrentVersion version, byte[] infoBytes) {
        return new InfoHashes(
                version.hasV1() ? Optional.of(new Digest(Sha.sha1().digest(infoBytes))) : Optional.empty(),
                version.hasV2() ? Optional.of(new Digest(Sha.sha256().digest(infoBytes))) : Optional.empty());
    }

    /** Validates an info dictionary on its own (as BEP 9 metadata arrives without the rest of the file). */
    public static InfoDictionary parseInfo(BDictionary info) {
        return parseInfo(info, BencodeEncoder.encode(info));
    }

    /** Validates an info dictionary whose exact bytes are {@code infoBytes}. */
    private static InfoDictionary parseInfo(BDictionary info, byte[] infoBytes) {
        String name = requireText(info, "name", "info.name");
        long pieceLength = requireInt(info, "piece length", "info.piece length");
        if (pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
            throw new MetainfoException("info.piece length " + pieceLength + " is out of range (1 B to 1 GiB)");
        }
        Optional<BInteger> metaVersion = info.getInteger("meta version");
        boolean v2 = metaVersion.isPresent();
        if (v2 && metaVersion.get().value() != 2) {
            throw new MetainfoException("unsupported info.meta version " + metaVersion.get().value());
        }
        boolean v1 = info.containsKey("pieces");
        if (!v1 && !v2) {
            throw new MetainfoException("not a torrent: info has neither 'pieces' (v1) nor 'meta version' (v2)");
        }
        if (v2 && (Long.bitCount(pieceLength) != 1 || pieceLength < MerkleTree.BLOCK_SIZE)) {
            throw new MetainfoException("info.piece length " + pieceLength
                    + " must be a power of two of at least 16 KiB in a v2 torrent");
        }
        TorrentVersion version = v1 && v2 ? TorrentVersion.HYBRID : v1 ? TorrentVersion.V1 : TorrentVersion.V2;
        // hashing megabytes of info only for the rare name that cannot be used as it is
        String safeName = FileNames.name(requireBytes(info, "name", "info.name"),
                () -> new Digest((version.hasV1() ? Sha.sha1() : Sha.sha256()).digest(infoBytes)).hex());
        boolean isPrivate = info.getInteger("private").map(i -> i.value() == 1).orElse(false);
        Optional<String> source = text(info, "source");

        List<FileEntry> v1Files = v1 ? v1Files(info, name, safeName) : null;
        List<FileEntry> v2Files = v2 ? v2Files(info, name, safeName) : null;
        boolean singleFile = v1 ? !info.containsKey("files") : isSingleFileTree(info, name);
        List<FileEntry> files;
        if (version == TorrentVersion.HYBRID) {
            files = mergeHybrid(v1Files, v2Files, pieceLength);
        } else if (v2) {
            files = FileLayout.place(v2Files, pieceLength, version);
        } else {
            files = v1Files;
        }
        files = UniquePaths.of(files);
        long stream = FileLayout.streamLength(files);
        if (stream == 0) {
            throw new MetainfoException("the torrent holds no data (total length 0)");
        }
        long pieceCount = Math.ceilDiv(stream, pieceLength);
        if (pieceCount > Integer.MAX_VALUE) {
            throw new MetainfoException(stream + " bytes in pieces of " + pieceLength + " make too many pieces");
        }
        byte[] pieces = new byte[0];
        if (v1) {
            pieces = requireBytes(info, "pieces", "info.pieces");
            if (pieces.length % SHA1_LENGTH != 0) {
                throw new MetainfoException("info.pieces is " + pieces.length
                        + " bytes, not a multiple of 20");
            }
            long expected = pieceCount;
            if (pieces.length / SHA1_LENGTH != expected) {
                throw new MetainfoException("info.pieces holds " + pieces.length / SHA1_LENGTH
                        + " hashes but " + stream + " bytes in pieces of " + pieceLength + " make " + expected);
            }
        }
        return new InfoDictionary(safeName, pieceLength, version, isPrivate, source, singleFile, files, pieces);
    }

    private static List<FileEntry> v1Files(BDictionary info, String name, String safeName) {
        Optional<BValue> filesValue = info.get("files");
        if (filesValue.isEmpty()) {
            long length = requireInt(info, "length", "info.length");
            if (length < 0) {
                throw new MetainfoException("info.length is negative");
            }
            return List.of(new FileEntry(List.of(safeName), List.of(name), length, 0, attr(info), Optional.empty()));
        }
        if (info.containsKey("length")) {
            throw new MetainfoException("info has both 'length' and 'files'");
        }
        if (!(filesValue.get() instanceof BList list) || list.values().isEmpty()) {
            throw new MetainfoException("info.files must be a non-empty list");
        }
        var out = new ArrayList<FileEntry>(list.values().size());
        long offset = 0;
        for (BValue v : list.values()) {
            if (!(v instanceof BDictionary file)) {
                throw new MetainfoException("info.files holds something that is not a dictionary");
            }
            String attributes = attr(file);
            Optional<List<String>> link = symlink(file, safeName);
            long length = link.isPresent() ? 0 : requireInt(file, "length", "info.files[].length");
            if (length < 0 || offset + length < offset) {
                throw new MetainfoException("info.files[].length " + length + " is out of range");
            }
            Optional<BList> pathList = file.getList("path");
            var torrentPath = new ArrayList<String>();
            var raw = new ArrayList<byte[]>();
            torrentPath.add(name);
            for (BValue c : pathList.map(BList::values).orElse(List.of())) {
                if (!(c instanceof BString s)) {
                    throw new MetainfoException("info.files[].path holds a non-string");
                }
                torrentPath.add(s.text());
                raw.add(s.bytes());
            }
            if (raw.isEmpty() && attributes.indexOf('p') >= 0) {
                raw.add(PAD_FOLDER); // a pad file needs no path; it is never written
                raw.add(Long.toString(length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } else if (raw.isEmpty()) {
                throw new MetainfoException("info.files[].path is missing or empty");
            }
            var safe = new ArrayList<String>(FileNames.path(raw));
            safe.add(0, safeName);
            out.add(new FileEntry(safe, torrentPath, length, offset, attributes, Optional.empty(), link));
            offset += length;
        }
        return out;
    }

    private static boolean isSingleFileTree(BDictionary info, String name) {
        BDictionary tree = info.getDictionary("file tree").orElseThrow();
        return tree.entries().size() == 1
                && tree.getDictionary(name).map(n -> n.containsKey("")).orElse(false);
    }

    private static List<FileEntry> v2Files(BDictionary info, String name, String safeName) {
        BDictionary tree = info.getDictionary("file tree")
                .orElseThrow(() -> new MetainfoException("info.file tree is missing in a v2 torrent"));
        var out = new ArrayList<FileEntry>();
        if (isSingleFileTree(info, name)) {
            BDictionary leaf = tree.getDictionary(name).orElseThrow().getDictionary("")
                    .orElseThrow(() -> new MetainfoException("info.file tree: file '" + name + "' is malformed"));
            out.add(v2File(leaf, List.of(safeName), List.of(name)));
        } else {
            walk(tree, new ArrayList<>(List.of(name)), new ArrayList<>(List.of(safeName)), out);
        }
        if (out.isEmpty()) {
            throw new MetainfoException("info.file tree holds no files");
        }
        return out;
    }

    /** {@code prefix} as the torrent spells it, {@code safe} as stored (a dropped element leaves no trace). */
    private static void walk(BDictionary node, List<String> prefix, List<String> safe, List<FileEntry> out) {
        for (var e : node.entries().entrySet()) {
            String component = e.getKey().text();
            prefix.add(component);
            Optional<String> element = FileNames.element(e.getKey().bytes());
            element.ifPresent(safe::add);
            if (!(e.getValue() instanceof BDictionary child)) {
                throw new MetainfoException("info.file tree entry '" + String.join("/", prefix)
                        + "' is not a dictionary");
            }
            Optional<BDictionary> leaf = child.getDictionary("");
            if (leaf.isPresent()) {
                if (child.entries().size() != 1) {
                    throw new MetainfoException("info.file tree entry '" + String.join("/", prefix)
                            + "' is both a file and a folder");
                }
                var path = new ArrayList<String>(safe);
                if (path.size() == 1) {
                    path.add("_"); // every element below the torrent's folder was dropped
                }
                out.add(v2File(leaf.get(), path, List.copyOf(prefix)));
            } else if (child.entries().isEmpty()) {
                throw new MetainfoException("info.file tree folder '" + String.join("/", prefix) + "' is empty");
            } else {
                walk(child, prefix, safe, out);
            }
            prefix.remove(prefix.size() - 1);
            if (element.isPresent()) {
                safe.remove(safe.size() - 1);
            }
        }
    }

    private static FileEntry v2File(BDictionary leaf, List<String> safe, List<String> torrentPath) {
        String where = "info.file tree '" + String.join("/", torrentPath) + "'";
        Optional<List<String>> link = symlink(leaf, safe.get(0));
        if (link.isPresent()) {
            return new FileEntry(safe, torrentPath, 0, 0, attr(leaf), Optional.empty(), link);
        }
        long length = requireInt(leaf, "length", where + ".length");
        if (length < 0) {
            throw new MetainfoException(where + ".length is negative");
        }
        Optional<Digest> root = leaf.getString("pieces root").map(s -> new Digest(s.bytes()));
        if (length > 0 && root.map(Digest::length).orElse(0) != MerkleTree.HASH_SIZE) {
            throw new MetainfoException(where + " needs a 32-byte 'pieces root'");
        }
        if (length > 0 && Arrays.equals(root.get().bytes(), new byte[MerkleTree.HASH_SIZE])) {
            throw new MetainfoException(where + " has an all-zero 'pieces root'");
        }
        if (attr(leaf).indexOf('p') >= 0) {
            throw new MetainfoException(where + " is a pad file, which BEP 47 allows only in a v1 file list");
        }
        return new FileEntry(safe, torrentPath, length, 0, attr(leaf), length > 0 ? root : Optional.empty());
    }

    /** Checks that the v1 and v2 halves of a hybrid describe the same files, aligned as BEP 52 requires. */
    private static List<FileEntry> mergeHybrid(List<FileEntry> v1, List<FileEntry> v2, long pieceLength) {
        var out = new ArrayList<FileEntry>(v1.size());
        int j = 0;
        for (FileEntry f : v1) {
            if (f.isPadding()) {
                out.add(f);
                continue;
            }
            if (j >= v2.size()) {
                throw new MetainfoException("hybrid torrent: v1 file '" + f.pathString() + "' is not in the v2 file tree");
            }
            FileEntry g = v2.get(j++);
            if (!f.torrentPath().equals(g.torrentPath()) || f.length() != g.length()) {
                throw new MetainfoException("hybrid torrent: v1 file '" + f.pathString() + "' (" + f.length()
                        + " bytes) does not match v2 file '" + g.pathString() + "' (" + g.length() + " bytes)");
            }
            if (f.length() > 0 && f.offset() % pieceLength != 0) {
                throw new MetainfoException("hybrid torrent: file '" + f.pathString()
                        + "' does not start on a piece boundary (missing pad file)");
            }
            out.add(f.withPiecesRoot(g.piecesRoot()));
        }
        if (j != v2.size()) {
            throw new MetainfoException("hybrid torrent: v2 file '" + v2.get(j).pathString() + "' is not in the v1 file list");
        }
        return out;
    }

    private static Map<Digest, byte[]> pieceLayers(BDictionary root, InfoDictionary info) {
        BDictionary layers = root.getDictionary("piece layers").orElse(BDictionary.builder().build());
        MessageDigest sha256 = Sha.sha256();
        long leavesPerPiece = info.pieceLength() / MerkleTree.BLOCK_SIZE;
        var out = new HashMap<Digest, byte[]>();
        for (FileEntry f : info.files()) {
            if (f.length() <= info.pieceLength() || f.piecesRoot().isEmpty()) {
                continue;
            }
            Digest fileRoot = f.piecesRoot().get();
            byte[] layer = layers.entries().get(new BString(fileRoot.bytes())) instanceof BString s ? s.bytes() : null;
            if (layer == null) {
                continue; // peers can supply it (BEP 52 hash requests); see the warning in parse()
            }
            long count = Math.ceilDiv(f.length(), info.pieceLength());
            if (layer.length != count * MerkleTree.HASH_SIZE) {
                throw new MetainfoException("piece layers: file '" + f.pathString() + "' needs " + count
                        + " hashes, found " + layer.length + " bytes");
            }
            byte[] computed = MerkleTree.rootFromPieceLayer(layer, (int) count, leavesPerPiece, sha256);
            if (!Arrays.equals(computed, fileRoot.bytes())) {
                throw new MetainfoException("piece layers: hashes of file '" + f.pathString()
                        + "' do not match its pieces root");
            }
            out.put(fileRoot, layer);
        }
        return out;
    }

    /** Informational only: a date outside Instant's range is ignored rather than failing the torrent. */
    private static Optional<Instant> creationDate(BDictionary root) {
        return root.getInteger("creation date").map(BInteger::value)
                .filter(s -> s >= Instant.MIN.getEpochSecond() && s <= Instant.MAX.getEpochSecond())
                .map(Instant::ofEpochSecond);
    }

    private static List<List<String>> trackers(BDictionary root) {
        var tiers = new ArrayList<List<String>>();
        root.getList("announce-list").ifPresent(list -> {
            for (BValue tier : list.values()) {
                if (tier instanceof BList urls) {
                    List<String> t = urls.values().stream().filter(BString.class::isInstance)
                            .map(u -> ((BString) u).text().strip()).filter(u -> !u.isEmpty()).toList();
                    if (!t.isEmpty()) {
                        tiers.add(t);
                    }
                }
            }
        });
        if (tiers.isEmpty()) {
            text(root, "announce").map(String::strip).filter(u -> !u.isEmpty()).ifPresent(u -> tiers.add(List.of(u)));
        }
        return tiers;
    }

    private static List<String> webSeeds(BDictionary root) {
        Optional<BValue> v = root.get("url-list");
        if (v.isEmpty()) {
            return List.of();
        }
        if (v.get() instanceof BString s) {
            return s.length() == 0 ? List.of() : List.of(s.text());
        }
        if (v.get() instanceof BList l) {
            return l.values().stream().filter(BString.class::isInstance).map(x -> ((BString) x).text())
                    .filter(x -> !x.isEmpty()).toList();
        }
        return List.of();
    }

    /**
     * A BEP 47 symbolic link's target below the torrent's folder {@code root}, sanitised like any path (so it cannot
     * leave the folder); empty when the entry is no link. A link without a target points nowhere: an empty list.
     */
    private static Optional<List<String>> symlink(BDictionary entry, String root) {
        if (attr(entry).indexOf('l') < 0) {
            return Optional.empty();
        }
        var raw = new ArrayList<byte[]>();
        for (BValue c : entry.getList("symlink path").map(BList::values).orElse(List.of())) {
            if (c instanceof BString s) {
                raw.add(s.bytes());
            }
        }
        if (raw.isEmpty()) {
            return Optional.of(List.of());
        }
        var target = new ArrayList<String>(FileNames.path(raw));
        target.add(0, root);
        return Optional.of(target);
    }

    private static String attr(BDictionary d) {
        return d.getString("attr").map(BString::text).orElse("");
    }

    private static Optional<String> text(BDictionary d, String key) {
        return d.getString(key).map(BString::text);
    }

    private static String requireText(BDictionary d, String key, String field) {
        return text(d, key).orElseThrow(() -> new MetainfoException(field + " is missing or not a string"));
    }

    private static byte[] requireBytes(BDictionary d, String key, String field) {
        return d.getString(key).map(BString::bytes)
                .orElseThrow(() -> new MetainfoException(field + " is missing or not a string"));
    }

    private static long requireInt(BDictionary d, String key, String field) {
        return d.getInteger(key).map(BInteger::value)
                .orElseThrow(() -> new MetainfoException(field + " is missing or not an integer"));
    }
}
