package dev.jtorr.application.port.out;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the content a torrent is made from. Implementations do large positional reads and never buffer a whole
 * file, so content of any size is read in bounded memory. Failures are {@link ContentException}s with a message a
 * user can act on.
 */
public interface ContentReader {
    /**
     * The regular files at {@code root} (a file, or a folder walked recursively), sorted by path components
     * compared as UTF-8 bytes, which is the order of a BEP 52 file tree. Symbolic links to files are followed;
     * links to folders are not.
     *
     * @throws ContentException if {@code root} is missing, unreadable, holds something that is neither file nor
     *                          folder, or holds no file at all
     */
    List<ContentFile> list(Path root);

    /** Opens {@code files} (as listed under {@code root}) for reading. */
    Source open(Path root, List<ContentFile> files);

    /** Open content. {@link #read} may be called from several threads at once. */
    interface Source extends AutoCloseable {
        /**
         * Fills {@code target} (position to limit) with bytes of file {@code fileIndex} from {@code offset}.
         *
         * @throws ContentException if the file is shorter than listed (changed under us) or cannot be read
         */
        void read(int fileIndex, long offset, ByteBuffer target);

        @Override
        void close();
    }
}
