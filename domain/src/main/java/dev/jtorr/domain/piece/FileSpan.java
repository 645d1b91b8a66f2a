package dev.jtorr.domain.piece;

/**
 * A run of bytes of one piece inside one file.
 *
 * @param fileIndex   index of the file in the torrent's stream order (pad files included)
 * @param fileOffset  where the run starts inside that file
 * @param length      bytes in the run
 * @param padding     the file is a BEP 47 pad file: its bytes are zeros, never read nor written
 */
public record FileSpan(int fileIndex, long fileOffset, int length, boolean padding) {
}
