package dev.jtorr.application.torrent;

import dev.jtorr.domain.metainfo.FileSelection;
import dev.jtorr.domain.peer.RateMeter;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.FileSpan;
import dev.jtorr.domain.piece.PieceLayout;
import dev.jtorr.domain.swarm.TransferStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A torrent's download counters: bytes of the user's files verified (pad bytes do not count), payload received, its
 * rate, and pieces that failed their hash. Engine thread only.
 */
final class TransferCounters {
    /** Per piece, the bytes of wanted user files in it; null when that is every byte of every piece. */
    private final long[] userBytes;
    private final PieceLayout layout;
    private final long total;
    private final RateMeter downloadRate = new RateMeter();
    private long verified;
    private long downloaded;
    private int failedPieces;

    /** Counts the bytes of the wanted files only. */
    TransferCounters(PieceLayout layout, Bitfield have, FileSelection selection) {
        this.layout = layout;
        if (selection.isAll() && !layout.hasPadding()) {
            this.userBytes = null; // a thousand seeding torrents need no table each
            this.total = layout.streamLength();
        } else {
            this.userBytes = new long[layout.pieceCount()];
            long sum = 0;
            for (int p = 0; p < userBytes.length; p++) {
                for (FileSpan s : layout.spans(p)) {
                    if (!s.padding() && selection.isWanted(s.fileIndex())) {
                        userBytes[p] += s.length();
                    }
                }
                sum += userBytes[p];
            }
            this.total = sum;
        }
        recount(have);
    }

    /** The verified bytes again, from scratch (after a recheck). */
    void recount(Bitfield have) {
        verified = 0;
        for (int p = have.nextSet(0); p >= 0; p = have.nextSet(p + 1)) {
            verified += userBytes(p);
        }
    }

    void verified(int piece) {
        verified += userBytes(piece);
    }

    private long userBytes(int piece) {
        return userBytes == null ? layout.pieceSize(piece) : userBytes[piece];
    }

    void downloaded(int bytes, Instant now) {
        downloadRate.add(bytes, now);
        downloaded += bytes;
    }

    void failed() {
        failedPieces++;
    }

    long downloaded() {
        return downloaded;
    }

    /** Bytes of the user's files not verified yet. */
    long left() {
        return total - verified;
    }

    TransferStatus status(TransferStatus.Phase phase, Instant now, long uploadRate, long uploaded, int peers,
                          int banned) {
        long down = downloadRate.rate(now);
        long left = left();
        Optional<Duration> eta = left == 0 ? Optional.of(Duration.ZERO)
                : down > 0 ? Optional.of(Duration.ofSeconds(left / down)) : Optional.empty();
        return new TransferStatus(phase, verified, total, down, uploadRate, downloaded, uploaded, peers,
                failedPieces, banned, eta);
    }
}
