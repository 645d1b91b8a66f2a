package dev.jtorr.adapters.fs;

/**
 * Settings of the file-system adapters.
 *
 * @param directWrites write long aligned stretches of verified pieces with direct I/O ({@code O_DIRECT}) where the
 *                     file system allows it (see {@code DirectWrites}); false writes everything through the page
 *                     cache, e.g. on a rotating disk, where the kernel's write-back orders writes better than pieces
 *                     written as they verify
 */
public record FsConfig(boolean directWrites) {
    public static FsConfig defaults() {
        return new FsConfig(true);
    }
}
