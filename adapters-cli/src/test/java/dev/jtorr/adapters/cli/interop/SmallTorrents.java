package dev.jtorr.adapters.cli.interop;

import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BList;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeEncoder;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Small v1 .torrent files made in memory (16 KiB pieces), for tests that need many of them quickly. */
final class SmallTorrents {
    static final int PIECE = 16 * 1024;

    private SmallTorrents() {
    }

    /** A single-file torrent named {@code name} for {@code content}. */
    static byte[] single(String name, byte[] content) {
        return torrent(BDictionary.builder().put("name", name).put("length", content.length)
                .put("piece length", PIECE).put("pieces", pieces(content)).build());
    }

    /** A multi-file torrent: a folder {@code name} holding {@code files} (path to content), in the map's order. */
    static byte[] folder(String name, Map<String, byte[]> files) {
        var all = new ByteArrayOutputStream();
        var list = new ArrayList<BValue>();
        for (var f : files.entrySet()) {
            all.writeBytes(f.getValue());
            List<BValue> path = Arrays.stream(f.getKey().split("/")).<BValue>map(BString::of).toList();
            list.add(BDictionary.builder().put("length", f.getValue().length).put("path", new BList(path)).build());
        }
        return torrent(BDictionary.builder().put("name", name).put("files", new BList(list))
                .put("piece length", PIECE).put("pieces", pieces(all.toByteArray())).build());
    }

    private static byte[] torrent(BDictionary info) {
        return BencodeEncoder.encode(BDictionary.builder().put("info", info).build());
    }

    private static byte[] pieces(byte[] content) {
        try {
            var out = new ByteArrayOutputStream();
            for (int off = 0; off < content.length; off += PIECE) {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                sha1.update(content, off, Math.min(PIECE, content.length - off));
                out.writeBytes(sha1.digest());
            }
            return out.toByteArray();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
