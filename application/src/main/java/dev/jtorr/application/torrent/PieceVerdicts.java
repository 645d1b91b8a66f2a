package dev.jtorr.application.torrent;

import dev.jtorr.domain.peer.PeerId;

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
        torrent.counters().verified(piece);
        torrent.resume().dirty();
        if (torrent.stopped()) {
            return; // recorded: the resume data saved when stopping includes it
        }
        torrent.bans().pieceVerified(piece, buffer).forEach(this::ban);
        torrent.completion().recycle(buffer);
        torrent.talk().announce(piece);
        if (torrent.complete()) {
            torrent.completed();
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

    private void ban(PeerId peer) {
        torrent.notice("banned peer " + peer.client() + " (" + peer + ") for sending data that failed the hash "
                + "check");
        torrent.peers().ban(peer);
    }
}
