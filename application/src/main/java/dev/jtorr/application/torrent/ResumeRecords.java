package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.piece.Bitfield;
import java.util.function.Consumer;

/**
 * Keeps a torrent's record of verified pieces on disk, so that a restart (even after kill -9) loses nothing verified,
 * and watches its files for changes made behind its back. The file work runs on the disk thread, so a slow disk never
 * stalls the peers; {@link #tick} and {@link #dirty} are called on the engine's thread.
 */
final class ResumeRecords {
    private static final int SAVE_EVERY_TICKS = 30;
    private static final int CHANGE_CHECK_TICKS = 5;

    private final TorrentStorage storage;
    private final Bitfield have;
    private final Scheduler loop;
    private final Scheduler disk;
    private boolean dirty;

    /** @param have the pieces verified and written, read here (the torrent sets a piece once it is written) */
    ResumeRecords(TorrentStorage storage, Bitfield have, Scheduler loop, Scheduler disk) {
        this.storage = storage;
        this.have = have;
        this.loop = loop;
        this.disk = disk;
    }

    /** A piece was verified and written since the record was last saved. */
    void dirty() {
        dirty = true;
    }

    /** Every few ticks: saves the record if pieces were added, checks the files; {@code changed} if they were. */
    void tick(int ticks, Consumer<String> changed) {
        if (ticks % CHANGE_CHECK_TICKS == 0) {
            disk.execute(() -> {
                if (storage.changedOnDisk()) {
                    // a seed's data must stay as checked: serving changed files would hand out data failing the hash
                    loop.execute(() -> changed.accept("the data changed on disk while seeding (a file's size or "
                            + "modification time differs from when it was checked); run jtorr seed again to check it"));
                }
            });
        }
        if (dirty && ticks % SAVE_EVERY_TICKS == 0) {
            saveSoon();
        }
    }

    /** Saves the record soon, on the disk thread (a copy of the pieces now, so the thread reads nothing shared). */
    void saveSoon() {
        Bitfield verified = have.copy();
        disk.execute(() -> storage.saveResume(verified));
        dirty = false;
    }

    /** Saves the record now, on the caller's thread (completion). */
    void saveNow() {
        storage.saveResume(have);
        dirty = false;
    }

    /**
     * Saves the record if pieces were verified since it was last saved (stopping): a seed's record is as it was
     * written after its check, and writing it again (a synced write per torrent) would only slow a stop of many.
     */
    void saveIfChanged() {
        if (dirty) {
            saveNow();
        }
    }
}
