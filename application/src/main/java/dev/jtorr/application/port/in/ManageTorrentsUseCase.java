package dev.jtorr.application.port.in;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The torrents of a long-running engine (the daemon), as remote clients drive them: list, add, change, pause,
 * resume, check again, remove; what each has (files, peers, trackers); the engine's totals and settings; and the
 * changes since a cursor, so that a client holding many torrents is sent only what changed. Every torrent and its
 * settings survive a restart. A torrent's id is its v1 info-hash in hex (the v2 one for a v2-only torrent).
 *
 * <p>Thread-safe: called from any number of request threads; nothing here blocks the engine's loop.
 */
public interface ManageTorrentsUseCase {
    /** Every torrent, in the order added. */
    List<TorrentView> torrents();

    /**
     * One torrent.
     *
     * @throws UnknownTorrentException when there is none with that id (so too every other method taking an id)
     */
    TorrentView torrent(String id);

    /**
     * Adds a torrent (a .torrent file's bytes or a magnet link) and starts it unless told to add it paused. A magnet
     * link's torrent waits for its metadata from peers meanwhile.
     *
     * @throws InvalidCommandException when the torrent cannot be read, or the folder is not one downloads may go to
     * @throws TorrentExistsException  when the torrent is in the engine already
     */
    TorrentView add(AddTorrentCommand command);

    /** Takes a torrent out; with {@code deleteData} its files and resume record go too. */
    void remove(String id, boolean deleteData);

    void pause(String id);

    void resume(String id);

    /** Hashes every wanted piece again, then goes on from what is there. */
    void recheck(String id);

    /**
     * Changes a torrent's settings (limits, wanted files, sequential order); what is verified is kept.
     *
     * @throws InvalidCommandException for a file number or a value out of range
     */
    TorrentView change(String id, TorrentChanges changes);

    /** A torrent's files (pad files left out), numbered from 0 in the torrent's order. */
    List<FileView> files(String id);

    /** The peers that exchanged payload with a torrent. */
    List<PeerView> peers(String id);

    /** A torrent's trackers, by tier. */
    List<TrackerView> trackers(String id);

    /** The engine's totals and settings. */
    SessionView session();

    /** Changes the engine's settings that may change while it runs. */
    SessionView changeSettings(SettingsChanges changes);

    /**
     * What changed after {@code cursor} (0 for everything): the torrents added or changed since, and the ids of those
     * removed since. Waits up to {@code wait} for a change when there is none yet.
     */
    Changes changesSince(long cursor, Duration wait) throws InterruptedException;

    /**
     * Opens file {@code index} (from 0, pad files not counted) of a torrent for reading while it downloads: the
     * pieces under what is read, and a read-ahead window after it, go before every other piece while it is open.
     * Opening changes nothing: a file that is not wanted is refused, not made wanted.
     *
     * @throws InvalidCommandException for a file number out of range, a file not wanted, a torrent without its
     *                                 metadata yet, or one paused or not running
     */
    FileStream openFile(String id, int index);

    /** A file of a torrent, read as its pieces are verified; never yields an unverified byte. Thread-safe. */
    interface FileStream extends AutoCloseable {
        /** The file's path inside the torrent, folders separated by '/'. */
        String path();

        long length();

        /**
         * Reads up to {@code length} bytes of the file at {@code position} into {@code into}, waiting up to
         * {@code wait} for the piece under {@code position} to be verified (it is asked for first meanwhile).
         *
         * @return bytes read, 0 when the wait ran out, -1 at the end of the file
         * @throws IllegalStateException when the stream is closed, or the torrent stopped
         */
        int read(long position, byte[] into, int offset, int length, Duration wait) throws InterruptedException;

        /** Lets the pieces of this file go back to their usual order. */
        @Override
        void close();
    }

    /**
     * A torrent's settings to change; an empty field stays as it is.
     *
     * @param downloadLimit bytes per second, 0 for unlimited
     * @param uploadLimit   bytes per second, 0 for unlimited
     * @param wantedFiles   the file numbers (from 0) to download; the others are skipped
     * @param sequential    download pieces in order (streaming)
     * @param priorities    files (numbers from 0) whose priority changes; those not named keep theirs
     */
    record TorrentChanges(Optional<Long> downloadLimit, Optional<Long> uploadLimit,
                          Optional<List<Integer>> wantedFiles, Optional<Boolean> sequential,
                          java.util.Map<Integer, dev.jtorr.domain.metainfo.FilePriority> priorities) {
        public TorrentChanges {
            downloadLimit.ifPresent(v -> nonNegative(v, "download limit"));
            uploadLimit.ifPresent(v -> nonNegative(v, "upload limit"));
            wantedFiles = wantedFiles.map(List::copyOf);
            priorities = java.util.Map.copyOf(priorities);
        }

        /** Changes that leave the files' priorities as they are. */
        public TorrentChanges(Optional<Long> downloadLimit, Optional<Long> uploadLimit,
                              Optional<List<Integer>> wantedFiles, Optional<Boolean> sequential) {
            this(downloadLimit, uploadLimit, wantedFiles, sequential, java.util.Map.of());
        }

        public boolean isEmpty() {
            return downloadLimit.isEmpty() && uploadLimit.isEmpty() && wantedFiles.isEmpty() && sequential.isEmpty()
                    && priorities.isEmpty();
        }
    }

    /**
     * The engine's settings to change; an empty field stays as it is.
     *
     * @param downloadLimit total bytes per second, 0 for unlimited
     * @param uploadLimit   total bytes per second, 0 for unlimited
     */
    record SettingsChanges(Optional<Long> downloadLimit, Optional<Long> uploadLimit) {
        public SettingsChanges {
            downloadLimit.ifPresent(v -> nonNegative(v, "download limit"));
            uploadLimit.ifPresent(v -> nonNegative(v, "upload limit"));
        }
    }

    /**
     * One torrent as a client shows it.
     *
     * @param id            v1 info-hash in hex (v2 for a v2-only torrent), or the magnet link's hash before metadata
     * @param state         added, waiting_for_metadata, checking, downloading, seeding, paused, stopped or error
     * @param sizeBytes     bytes of the wanted files (0 until the metadata is known)
     * @param verifiedBytes bytes of wanted data in verified pieces
     * @param progress      verified share of the wanted bytes, 0 to 1
     * @param etaSeconds    time left at the current rate, when it can be guessed
     * @param addedAt       seconds since the epoch
     * @param error         why the torrent stopped, when it stopped on an error
     * @param magnet        the link the torrent was added by, if any
     */
    record TorrentView(String id, String name, String state, long sizeBytes, long verifiedBytes, double progress,
                       long downloadRate, long uploadRate, long downloaded, long uploaded, int peers,
                       Optional<Long> etaSeconds, long addedAt, String downloadDir, Optional<String> error,
                       boolean sequential, long downloadLimit, long uploadLimit, int pieceCount, long pieceLength,
                       Optional<String> magnet, long version) {
    }

    /**
     * One file of a torrent.
     *
     * @param index         its number from 0, pad files not counted
     * @param path          its path inside the torrent, folders separated by '/'
     * @param verifiedBytes bytes of it in verified pieces
     * @param wanted        whether it is downloaded
     * @param priority      how soon its pieces are fetched, among the wanted files
     */
    record FileView(int index, String path, long length, long verifiedBytes, boolean wanted,
                    dev.jtorr.domain.metainfo.FilePriority priority) {
    }

    /** A peer that exchanged payload; {@code encryption} "plaintext" or "rc4" of its connection. */
    record PeerView(String address, String client, String peerId, String encryption, long downloaded,
                    long uploaded) {
    }

    /**
     * A tracker of a torrent as last heard from.
     *
     * @param tier         from 0
     * @param lastAnnounce seconds since the epoch of the last announce, answered or failed
     * @param error        why the last announce failed, if it did
     * @param seeders      seeders in its last answer, -1 before one
     * @param leechers     leechers in its last answer, -1 before one
     * @param peers        peers its last answer gave
     * @param nextAnnounce seconds since the epoch of the next announce, when known
     */
    record TrackerView(String url, int tier, Optional<Long> lastAnnounce, Optional<String> error, int seeders,
                       int leechers, int peers, Optional<Long> nextAnnounce) {
    }

    /**
     * The engine's totals and settings.
     *
     * @param port          the peer port (TCP, and UDP for the DHT)
     * @param downloadDir   where torrents go unless told otherwise
     * @param downloadLimit total bytes per second, 0 for unlimited
     * @param uploadLimit   total bytes per second, 0 for unlimited
     */
    record SessionView(int torrents, int active, int paused, long downloadRate, long uploadRate, long downloaded,
                       long uploaded, int port, String downloadDir, long downloadLimit, long uploadLimit,
                       boolean dht, boolean lsd, String version) {
    }

    /**
     * What changed after a cursor.
     *
     * @param cursor  where the next call starts from
     * @param full    {@code changed} is every torrent: the client replaces what it holds (a first call, or a cursor
     *                from before a restart or too old to answer exactly)
     * @param changed torrents added or changed, the least recently changed first
     * @param removed ids of torrents removed
     */
    record Changes(long cursor, boolean full, List<TorrentView> changed, List<String> removed) {
        public Changes {
            changed = List.copyOf(changed);
            removed = List.copyOf(removed);
        }

        public boolean isEmpty() {
            return changed.isEmpty() && removed.isEmpty();
        }
    }

    private static void nonNegative(long value, String what) {
        if (value < 0) {
            throw new InvalidCommandException(what + " cannot be negative");
        }
    }
}
