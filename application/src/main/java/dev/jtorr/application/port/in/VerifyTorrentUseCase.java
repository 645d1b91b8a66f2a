package dev.jtorr.application.port.in;

import java.nio.file.Path;
import java.util.List;

/** Checks data on disk against a torrent, piece by piece, and says which files are complete, damaged or missing. */
public interface VerifyTorrentUseCase {
    enum FileStatus { COMPLETE, DAMAGED, MISSING }

    /** One user file's verdict and how many of the pieces it touches failed. */
    record FileReport(String path, long length, FileStatus status, int badPieces, int pieces) {
    }

    /** The whole report; {@code badPieces} lists the pieces that failed or could not be read. */
    record Report(int pieceCount, List<Integer> badPieces, List<FileReport> files) {
        public boolean complete() {
            return badPieces.isEmpty();
        }
    }

    /**
     * @param content the file (single-file torrent) or folder (multi-file)
     */
    Report verify(Path torrent, Path content);
}
