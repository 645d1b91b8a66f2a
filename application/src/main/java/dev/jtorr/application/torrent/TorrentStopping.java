package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.application.port.out.StorageException;
import dev.jtorr.domain.swarm.TransferStatus;
import dev.jtorr.domain.torrent.TorrentLifecycle;

/**
 * How a torrent stops: when told to, on a failure, when a task of it throws, or through its handle (perhaps deleting
 * its data). The peers go first; the pieces still on the disk and write threads are recorded before the resume data
 * is saved (or the data deleted); then the peer sources stop and the engine, and whoever waits, hear of it. Engine
 * thread.
 */
final class TorrentStopping {
    private final TorrentSession torrent;
    private boolean stopped;
    private boolean finished;
    private boolean deleteData;

    TorrentStopping(TorrentSession torrent) {
        this.torrent = torrent;
    }

    boolean stopped() {
        return stopped;
    }

    /** A task threw: stop with the reason rather than go on with state the task left half-updated. */
    void crashed(Throwable e) {
        String reason = e instanceof OutOfMemoryError
                ? "out of memory (" + e.getMessage() + "); give Java more heap, e.g. JTORR_JAVA_OPTS=-Xmx2g"
                : "internal error: " + e;
        if (!stopped) {
            try {
                fail(reason);
                return;
            } catch (RuntimeException | Error again) {
                // stopping failed too: fall through to the last resort
            }
        }
        if (!finished) {
            // report it and release whoever waits for the torrent
            finished = true;
            torrent.sessionHandle().failed(reason);
            torrent.sessionHandle().stopped(torrent.status());
            torrent.host().stopped(torrent);
        }
    }

    void fail(String reason) {
        torrent.sessionHandle().failed(reason);
        if (!stopped) {
            torrent.lifecycle().fail(reason);
        }
        stop();
    }

    void failUnlessStopped(String reason) {
        if (!stopped) {
            fail(reason);
        }
    }

    /** The handle's close, from any thread. */
    void closeFromOutside(boolean delete) {
        torrent.loop().execute(() -> {
            deleteData |= delete && !stopped;
            stop();
        });
    }

    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        torrent.verifiedPieces().stopped(); // readers let go before the storage closes
        if (torrent.lifecycle().state() != TorrentLifecycle.State.ERROR) {
            torrent.lifecycle().stop();
        }
        torrent.publishState();
        torrent.quiet();
        // pieces still on the disk or write thread are recorded (their results are queued ahead: the disk thread
        // hands pieces to the write thread in order) before resume data is saved
        torrent.disk().execute(() -> torrent.writes().execute(() -> torrent.loop().execute(this::finishStop)));
    }

    private void finishStop() {
        try {
            if (!deleteData) {
                torrent.resume().saveIfChanged();
            }
        } catch (StorageException e) {
            torrent.notice("could not save resume data: " + e.getMessage());
        }
        torrent.storage().close();
        if (deleteData) {
            torrent.disk().execute(() -> {
                String failed = null;
                try {
                    torrent.storage().delete();
                } catch (StorageException e) {
                    failed = e.getMessage();
                }
                String reason = failed;
                torrent.loop().execute(() -> {
                    if (reason != null) {
                        torrent.sessionHandle().failed("could not delete the data: " + reason);
                    }
                    finishStopping();
                });
            });
            return;
        }
        finishStopping();
    }

    /** The last steps of stopping: the peer sources, then the engine and whoever waits hear of it. */
    private void finishStopping() {
        TransferStatus s = torrent.status();
        SessionHandle handle = torrent.sessionHandle();
        handle.peers(torrent.peers().exchangedStats());
        handle.verified(torrent.have());
        torrent.publish(new EngineEvent.Progress(torrent.id(), torrent.name(), s));
        torrent.sources().stop(() -> {
            finished = true;
            handle.update(torrent.lifecycle().state(), s);
            torrent.publish(new EngineEvent.Stopped(torrent.id(), torrent.name(), s, handle.failure()));
            // out of the engine first: whoever waits for the stop may add the torrent again at once
            torrent.host().stopped(torrent);
            handle.stopped(s);
        });
    }
}
