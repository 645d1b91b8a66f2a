package dev.jtorr.application.port.in;

import dev.jtorr.domain.peer.PeerAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a magnet link into a .torrent file (BEP 9): its info dictionary is fetched from the link's peers ({@code
 * x.pe}, the given ones, its {@code tr} trackers), verified against the link's info-hashes, and saved with the
 * link's trackers. A file saved before for the same info-hash is used again without asking any peer.
 */
public interface ResolveMagnetUseCase {
    /**
     * @param torrent the .torrent file, saved now or before
     * @param peers   the link's {@code x.pe} peers, to download from too
     * @param fetched whether the metadata came from peers now (false: an earlier file was used)
     * @param select  the files the link's BEP 53 {@code so} selects, numbered from 1 as {@code jtorr info} lists
     *                them; empty for every file
     */
    record Resolved(Path torrent, List<PeerAddress> peers, boolean fetched, List<Integer> select) {
        public Resolved {
            peers = List.copyOf(peers);
            select = List.copyOf(select);
        }
    }

    /**
     * Waits until the metadata is there (a magnet link with peers to ask but none that answer waits on).
     *
     * @throws InvalidCommandException for a link that is not valid, is v2-only, names no way to find peers, or
     *                                 selects files ({@code so}) the torrent does not have
     */
    Resolved resolve(ResolveMagnetCommand command) throws InterruptedException;
}
