package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.swarm.TransferStatus;

/**
 * What a torrent does with each piece's hash verdict: a verified piece is ours (peers hear of it, and the last one
 * completes the torrent); a failed one is fetched again and counts against the peers that sent it, banning those
 * whose blocks were the bad ones. Engine thread.
 */
final class PieceVerdicts implements PieceCompletion.Verdicts {
    private final TorrentSession torrent;

    PieceVerdicts(TorrentSession torrent) {
        this.torrent = torrent;
    }

    @Override
    public void verified(int piece, PieceBuffer buffer) {
        torrent.picker().verified(piece);
        torrent.have().set(piece);
        torrent.verifiedPieces().verified(piece);
        torrent.counters().verified(piece);
        torrent.resume().dirty();
        if (torrent.stopped()) {
            return; // recorded: the resume data saved when stopping includes it
        }
        torrent.bans().pieceVerified(piece, buffer).forEach(this::ban);
        torrent.completion().recycle(buffer);
        torrent.talk().announce(piece);
        if (torrent.complete()) {
            completed();
        } else {
            torrent.requests().moreFromAll();
        }
    }

    @Override
    public void failed(int piece, PieceBuffer buffer) {
        torrent.picker().failed(piece);
        if (torrent.stopped()) {
            return;
        }
        torrent.counters().failed();
        torrent.notice("piece " + piece + " failed its hash check; downloading it again");
        torrent.bans().pieceFailed(piece, buffer).forEach(this::ban);
        torrent.talk().blocks().failed(piece, buffer);
        torrent.completion().recycle(buffer);
        torrent.requests().moreFromAll();
    }

    @Override
    public void notWritten(int piece, String error) {
        torrent.picker().failed(piece);
        if (!torrent.stopped()) {
            torrent.fail("cannot write piece " + piece + ": " + error);
        }
    }

    /** The last wanted piece verified and is written: the files are made whole and durable, and the world told. */
    private void completed() {
        torrent.lifecycle().completed();
        torrent.storage().finish();
        torrent.resume().saveNow();
        TransferStatus s = torrent.status();
        torrent.sessionHandle().update(torrent.lifecycle().state(), s);
        torrent.publish(new EngineEvent.Progress(torrent.id(), torrent.name(), s));
        torrent.publishState();
        torrent.publish(new EngineEvent.Completed(torrent.id(), torrent.name()));
        torrent.sessionHandle().completed();
        if (!torrent.completeAtStart()) {
            torrent.announcer().completed();
        }
        if (!torrent.keepSeeding()) {
            torrent.stop();
            return;
        }
        torrent.talk().completed();
    }

    private void ban(PeerId peer) {
        torrent.notice("banned peer " + peer.client() + " (" + peer + ") for sending data that failed the hash "
                + "check");
        torrent.peers().ban(peer);
    }
}
