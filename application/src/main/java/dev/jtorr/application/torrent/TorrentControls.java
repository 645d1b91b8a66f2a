package dev.jtorr.application.torrent;

import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.torrent.TorrentLifecycle;
import java.util.List;

/** What a user does to a running torrent besides stopping it: pause, resume, check the data again. Engine thread. */
final class TorrentControls {
    private final TorrentSession torrent;

    TorrentControls(TorrentSession torrent) {
        this.torrent = torrent;
    }

    /** Lets every peer go and takes no new ones; what is verified stays. */
    void pause() {
        var state = torrent.lifecycle().state();
        if (torrent.stopped() || torrent.paused() || state == TorrentLifecycle.State.ERROR
                || state == TorrentLifecycle.State.CHECKING) {
            return;
        }
        torrent.lifecycle().pause();
        letPeersGo("paused");
        torrent.publishState();
    }

    void resume() {
        if (!torrent.stopped() && torrent.paused()) {
            torrent.lifecycle().resume();
            torrent.publishState();
            torrent.peers().dialDue(torrent.now());
        }
    }

    /**
     * Checks the data again from scratch: the peers are let go, the pieces on the disk and write threads finish, then
     * every wanted piece is hashed (on the disk thread: one check at a time, as libtorrent does) and the torrent goes
     * on from what is there.
     */
    void recheck() {
        var state = torrent.lifecycle().state();
        if (torrent.stopped() || state == TorrentLifecycle.State.CHECKING || state == TorrentLifecycle.State.ERROR) {
            return;
        }
        torrent.lifecycle().recheck();
        torrent.publishState();
        letPeersGo("checking the data again");
        // the data is in doubt (that is why it is checked): readers get a piece again once this check vouches for it
        torrent.verifiedPieces().reset(new Bitfield(torrent.have().size()));
        torrent.completion().discardPartial();
        torrent.checkAgain(this::rechecked);
    }

    private void rechecked(Bitfield found) {
        if (torrent.stopped()) {
            return;
        }
        torrent.completion().discardPartial();
        Bitfield have = torrent.have();
        for (int p = 0; p < have.size(); p++) {
            if (found.get(p)) {
                have.set(p);
            } else {
                have.clear(p);
            }
        }
        torrent.counters().recount(have);
        torrent.verifiedPieces().reset(have);
        torrent.picker(torrent.picker(have));
        torrent.resume().saveSoon();
        torrent.lifecycle().checked(torrent.complete());
        torrent.publishState();
        if (torrent.complete()) {
            torrent.sessionHandle().completed();
            if (!torrent.keepSeeding()) {
                torrent.stop();
                return;
            }
        }
        torrent.peers().dialDue(torrent.now());
    }

    private void letPeersGo(String reason) {
        for (Peer p : List.copyOf(torrent.peers().all())) {
            torrent.peers().disconnect(p, reason);
        }
    }
}
