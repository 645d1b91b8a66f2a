package dev.jtorr.application.daemon;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BInteger;
import dev.jtorr.domain.bencode.BList;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.metainfo.FilePriority;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A daemon's record of one torrent's settings, kept in its state folder as {@code torrents/<id>.entry} (bencoded)
 * beside {@code <id>.torrent} once the metadata is known.
 *
 * @param magnet      the link it was added by, if any (kept so that a restart fetches the metadata again)
 * @param wantedFiles file numbers from 0, pad files not counted; empty for all
 * @param addedAt     seconds since the epoch
 * @param priorities  files (numbers from 0) of a priority other than normal
 */
record DaemonEntry(String id, Optional<String> magnet, Path downloadDir, boolean paused, List<Integer> wantedFiles,
                   boolean sequential, long downloadLimit, long uploadLimit, long addedAt,
                   Map<Integer, FilePriority> priorities) {
    DaemonEntry {
        wantedFiles = List.copyOf(wantedFiles);
        priorities = Map.copyOf(priorities);
    }

    DaemonEntry withPaused(boolean value) {
        return new DaemonEntry(id, magnet, downloadDir, value, wantedFiles, sequential, downloadLimit, uploadLimit,
                addedAt, priorities);
    }

    DaemonEntry with(long down, long up, List<Integer> wanted, boolean inOrder, Map<Integer, FilePriority> levels) {
        return new DaemonEntry(id, magnet, downloadDir, paused, wanted, inOrder, down, up, addedAt, levels);
    }

    byte[] encode() {
        var d = BDictionary.builder()
                .put("id", BString.of(id))
                .put("download_dir", BString.of(downloadDir.toString()))
                .put("paused", new BInteger(paused ? 1 : 0))
                .put("wanted", new BList(wantedFiles.stream().<BValue>map(i -> new BInteger(i)).toList()))
                .put("sequential", new BInteger(sequential ? 1 : 0))
                .put("download_limit", new BInteger(downloadLimit))
                .put("upload_limit", new BInteger(uploadLimit))
                .put("added_at", new BInteger(addedAt));
        magnet.ifPresent(m -> d.put("magnet", BString.of(m)));
        if (!priorities.isEmpty()) {
            d.put("priorities", new BList(new java.util.TreeMap<>(priorities).entrySet().stream().<BValue>map(e ->
                    new BList(List.of(new BInteger(e.getKey()), new BInteger(e.getValue().ordinal())))).toList()));
        }
        return BencodeEncoder.encode(d.build());
    }

    /** @throws InvalidDataException when the bytes are no entry this daemon wrote */
    static DaemonEntry decode(byte[] bytes) {
        BDictionary d = BencodeDecoder.decode(bytes) instanceof BDictionary dict ? dict
                : fail("not a dictionary");
        List<Integer> wanted = new java.util.ArrayList<>();
        for (BValue v : d.getList("wanted").map(BList::values).orElse(List.of())) {
            wanted.add(v instanceof BInteger i ? Math.toIntExact(i.value()) : fail("a wanted file is no number"));
        }
        var levels = new java.util.HashMap<Integer, FilePriority>();
        for (BValue v : d.getList("priorities").map(BList::values).orElse(List.of())) {
            if (!(v instanceof BList pair) || pair.values().size() != 2
                    || !(pair.values().get(0) instanceof BInteger file)
                    || !(pair.values().get(1) instanceof BInteger level)
                    || level.value() < 0 || level.value() >= FilePriority.values().length) {
                return fail("a priority is no pair of file and level");
            }
            levels.put(Math.toIntExact(file.value()), FilePriority.values()[(int) level.value()]);
        }
        return new DaemonEntry(text(d, "id"), d.getString("magnet").map(BString::text),
                Path.of(text(d, "download_dir")), number(d, "paused") != 0, wanted, number(d, "sequential") != 0,
                number(d, "download_limit"), number(d, "upload_limit"), number(d, "added_at"), levels);
    }

    private static String text(BDictionary d, String key) {
        return d.getString(key).map(BString::text).orElseGet(() -> fail("no " + key));
    }

    private static long number(BDictionary d, String key) {
        return d.getInteger(key).map(BInteger::value).orElse(0L);
    }

    private static <T> T fail(String why) {
        throw new InvalidDataException("daemon entry: " + why);
    }
}
