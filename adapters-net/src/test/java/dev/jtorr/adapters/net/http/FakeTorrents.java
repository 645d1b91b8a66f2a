package dev.jtorr.adapters.net.http;

import dev.jtorr.application.port.in.AddTorrentCommand;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ManageTorrentsUseCase;
import dev.jtorr.application.port.in.TorrentExistsException;
import dev.jtorr.application.port.in.UnknownTorrentException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The use case in memory: torrents are views set by the test, an added .torrent is any bytes starting with 'd' (its
 * id their SHA-1, its name what follows the 'd'), and every call that changes something is recorded as a line.
 */
final class FakeTorrents implements ManageTorrentsUseCase {
    final Map<String, TorrentView> torrents = new LinkedHashMap<>();
    final Map<String, List<FileView>> files = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    final List<AddTorrentCommand> added = new ArrayList<>();
    long downloadLimit;
    long uploadLimit;
    /** Every .torrent fails to parse, with a message quoting it. */
    boolean parseFails;

    static TorrentView view(String id, String name, String state) {
        return new TorrentView(id, name, state, 1000, 250, 0.25, 10, 20, 300, 600, 1, Optional.empty(), 1_700_000_000L,
                "/dl", Optional.empty(), false, 0, 0, 4, 256, Optional.empty(), 1);
    }

    TorrentView put(TorrentView t) {
        torrents.put(t.id(), t);
        return t;
    }

    @Override
    public synchronized List<TorrentView> torrents() {
        return List.copyOf(torrents.values());
    }

    @Override
    public synchronized TorrentView torrent(String id) {
        TorrentView t = torrents.get(id);
        if (t == null) {
            throw new UnknownTorrentException(id);
        }
        return t;
    }

    @Override
    public synchronized TorrentView add(AddTorrentCommand command) {
        added.add(command);
        String id;
        String name;
        if (command.magnet().isPresent()) {
            id = command.magnet().get().replaceFirst(".*btih:([0-9a-f]{40}).*", "$1");
            name = id;
        } else {
            byte[] bytes = command.torrent().orElseThrow();
            if (parseFails || bytes.length == 0 || bytes[0] != 'd') {
                // as a real parser might: the message quotes the input
                throw new InvalidCommandException("not a torrent: " + new String(bytes, 0, Math.min(40, bytes.length),
                        StandardCharsets.ISO_8859_1));
            }
            id = sha1(bytes);
            name = new String(bytes, 1, bytes.length - 1, StandardCharsets.ISO_8859_1);
        }
        if (torrents.containsKey(id)) {
            throw new TorrentExistsException(id, name);
        }
        return put(view(id, name, command.paused() ? "paused" : "downloading"));
    }

    @Override
    public synchronized void remove(String id, boolean deleteData) {
        torrent(id);
        torrents.remove(id);
        calls.add("remove " + id + " " + deleteData);
    }

    @Override
    public synchronized void pause(String id) {
        torrent(id);
        calls.add("pause " + id);
    }

    @Override
    public synchronized void resume(String id) {
        torrent(id);
        calls.add("resume " + id);
    }

    @Override
    public synchronized void recheck(String id) {
        torrent(id);
        calls.add("recheck " + id);
    }

    @Override
    public synchronized TorrentView change(String id, TorrentChanges changes) {
        TorrentView t = torrent(id);
        calls.add("change " + id + " down=" + changes.downloadLimit().map(String::valueOf).orElse("-") + " up="
                + changes.uploadLimit().map(String::valueOf).orElse("-") + " wanted="
                + changes.wantedFiles().map(String::valueOf).orElse("-")
                + (changes.priorities().isEmpty() ? "" : " priorities=" + new java.util.TreeMap<>(changes.priorities())));
        return put(new TorrentView(t.id(), t.name(), t.state(), t.sizeBytes(), t.verifiedBytes(), t.progress(),
                t.downloadRate(), t.uploadRate(), t.downloaded(), t.uploaded(), t.peers(), t.etaSeconds(), t.addedAt(),
                t.downloadDir(), t.error(), t.sequential(), changes.downloadLimit().orElse(t.downloadLimit()),
                changes.uploadLimit().orElse(t.uploadLimit()), t.pieceCount(), t.pieceLength(), t.magnet(),
                t.version() + 1));
    }

    @Override
    public synchronized List<FileView> files(String id) {
        torrent(id);
        return files.getOrDefault(id, List.of());
    }

    @Override
    public List<PeerView> peers(String id) {
        torrent(id);
        return List.of(new PeerView("127.0.0.1:6881", "jtorr 1", "-JT0001-", "rc4", 100, 0));
    }

    @Override
    public List<TrackerView> trackers(String id) {
        torrent(id);
        return List.of(new TrackerView("http://127.0.0.1:8000/announce", 0, Optional.of(1_700_000_000L),
                Optional.empty(), 3, 5, 8, Optional.of(1_700_001_800L)));
    }

    /** The session's download folder (torrent-add reads .torrent paths only from inside it). */
    volatile String downloadDir = "/dl";

    @Override
    public synchronized SessionView session() {
        return new SessionView(torrents.size(), 1, 0, 5000, 7000, 300, 600, 6881, downloadDir, downloadLimit, uploadLimit,
                false, true, "0.9");
    }

    @Override
    public synchronized SessionView changeSettings(SettingsChanges changes) {
        downloadLimit = changes.downloadLimit().orElse(downloadLimit);
        uploadLimit = changes.uploadLimit().orElse(uploadLimit);
        calls.add("settings down=" + changes.downloadLimit().map(String::valueOf).orElse("-") + " up="
                + changes.uploadLimit().map(String::valueOf).orElse("-"));
        return session();
    }

    @Override
    public Changes changesSince(long cursor, Duration wait) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileStream openFile(String id, int index) {
        throw new UnsupportedOperationException();
    }

    static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
