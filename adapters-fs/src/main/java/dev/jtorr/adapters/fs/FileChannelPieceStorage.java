package dev.jtorr.adapters.fs;

import dev.jtorr.application.port.out.PieceStorage;
import dev.jtorr.application.port.out.StorageException;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.metainfo.FileEntry;
import dev.jtorr.domain.metainfo.FileSelection;
import dev.jtorr.domain.metainfo.Metainfo;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Torrent files on a local file system, opened with {@link java.nio.channels.FileChannel}s. Every path is built
 * from checked name components and must stay below the content location; with {@code create}, no existing folder
 * on the way may be a symbolic link, so a prepared download folder cannot redirect writes elsewhere.
 */
final class FileChannelPieceStorage implements PieceStorage {
    /** The most files open at once, for all torrents together (fewer when the descriptor limit is low). */
    static final int MAX_OPEN_FILES = 512;

    private final long flushEvery;
    private final FileTorrentStorage.Flush flush;
    private final DirectWrites.Opener directOpener;
    private FilePool pool;

    FileChannelPieceStorage() {
        this(FileTorrentStorage.FLUSH_EVERY_BYTES);
    }

    @Inject
    FileChannelPieceStorage(FsConfig config) {
        this(FileTorrentStorage.FLUSH_EVERY_BYTES, FileTorrentStorage.Flush.DATA,
                config.directWrites() ? DirectWrites.Opener.DIRECT : DirectWrites.Opener.OFF);
    }

    /** With a background flush every {@code flushEvery} bytes written (see {@link FileTorrentStorage}). */
    FileChannelPieceStorage(long flushEvery) {
        this(flushEvery, FileTorrentStorage.Flush.DATA);
    }

    FileChannelPieceStorage(long flushEvery, FileTorrentStorage.Flush flush) {
        this(flushEvery, flush, DirectWrites.Opener.DIRECT);
    }

    /** With {@code directOpener} opening files for direct writes (see {@link DirectWrites}). */
    FileChannelPieceStorage(long flushEvery, FileTorrentStorage.Flush flush, DirectWrites.Opener directOpener) {
        this(flushEvery, flush, directOpener, null);
    }

    /** With {@code pool} holding the open files (null: one sized for this process when first needed). */
    FileChannelPieceStorage(long flushEvery, FileTorrentStorage.Flush flush, DirectWrites.Opener directOpener,
                            FilePool pool) {
        this.flushEvery = flushEvery;
        this.flush = flush;
        this.directOpener = directOpener;
        this.pool = pool;
    }

    /** The pool shared by every torrent this storage opens, made on first use (it reads the descriptor limit). */
    synchronized FilePool pool() {
        if (pool == null) {
            pool = FilePool.sizedForThisProcess(MAX_OPEN_FILES);
        }
        return pool;
    }

    @Override
    public TorrentStorage open(Metainfo metainfo, Path content, boolean create, Optional<Path> resumeFolder,
                               FileSelection selection) {
        Path root = content.toAbsolutePath().normalize();
        List<FileEntry> files = metainfo.info().files();
        Path[] paths = new Path[files.size()];
        List<String> folderOfPrevious = null;
        Path folder = null;
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            if (f.isPadding() || f.isSymlink()) {
                continue;
            }
            if (metainfo.info().singleFile()) {
                paths[i] = root;
                continue;
            }
            // the files of a folder come together: the folder is resolved and checked once for them all
            List<String> path = f.path();
            String name = path.get(path.size() - 1);
            if (folder != null && plainName(name) && path.subList(0, path.size() - 1).equals(folderOfPrevious)) {
                paths[i] = folder.resolve(name);
            } else {
                paths[i] = resolve(root, f);
                folder = paths[i].getParent();
                folderOfPrevious = path.subList(0, path.size() - 1);
            }
        }
        if (create) {
            checkWritable(root, paths);
        } else if (!Files.exists(root)) {
            throw new StorageException(content + " does not exist");
        }
        Optional<Path> records = resumeFolder.flatMap(FileChannelPieceStorage::usable);
        Path resume = records.map(f -> resumeFile(f, metainfo, ".resume")).orElse(null);
        if (!selection.isAll()) {
            if (!create) {
                throw new IllegalArgumentException("a selection of files is for downloads");
            }
            // the bytes that wanted pieces hold of unwanted files go to one sparse file beside the resume record
            Path parts = records.map(f -> resumeFile(f, metainfo, ".parts")).orElseThrow(() -> new StorageException(
                    "cannot keep the bytes that selected files share pieces with: "
                            + resumeFolder.map(Path::toString).orElse("no folder") + " cannot be written"));
            for (int i = 0; i < files.size(); i++) {
                if (paths[i] != null && !selection.isWanted(i)) {
                    paths[i] = parts;
                }
            }
        }
        var links = metainfo.info().singleFile() ? SymbolicLinks.of(root, List.of()) : SymbolicLinks.of(root, files);
        return new FileTorrentStorage(metainfo, root, paths, selection, links, resume, create, flushEvery, flush,
                directOpener, pool());
    }

    /** A name that resolves to an entry of its folder: no separator, not empty, not {@code .} or {@code ..}. */
    private static boolean plainName(String name) {
        return !name.isEmpty() && name.indexOf('/') < 0 && name.indexOf('\0') < 0 && !name.equals(".")
                && !name.equals("..");
    }

    private static Path resolve(Path root, FileEntry f) {
        Path p = root;
        for (String component : f.path().subList(1, f.path().size())) {
            p = p.resolve(component);
        }
        p = p.normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new StorageException("file name escapes the download folder: " + f.pathString());
        }
        return p;
    }

    private static void checkWritable(Path root, Path[] paths) {
        var checked = new java.util.HashSet<Path>(); // folders shared by many files are looked at once
        for (Path p : paths) {
            if (p == null) {
                continue;
            }
            // folders below the download folder (which itself the user may well have linked elsewhere)
            Path top = root.getParent() == null ? root : root.getParent();
            for (Path dir = p.getParent(); dir != null && dir.startsWith(top) && !dir.equals(top)
                    && checked.add(dir); dir = dir.getParent()) {
                if (Files.isSymbolicLink(dir)) {
                    throw new StorageException("refusing to write through the symbolic link " + dir);
                }
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue; // the usual case of a new download, told without an exception per file
            }
            if (Files.isSymbolicLink(p)) {
                throw new StorageException("refusing to write through the symbolic link " + p);
            }
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new StorageException(p + " exists and is not a regular file");
            }
        }
        Path top = root.getParent();
        if (top != null) {
            try {
                Files.createDirectories(top);
            } catch (IOException e) {
                throw new StorageException("cannot create the download folder " + top + ": " + IoReasons.of(e), e);
            }
            if (!Files.isWritable(top)) {
                throw new StorageException("cannot write to the download folder " + top);
            }
        }
    }

    /** A resume folder that exists (made if need be) and can be written, if it can. */
    private static Optional<Path> usable(Path folder) {
        try {
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder); // on an existing folder it fails and recovers inside: an exception each
            }
            return Files.isWritable(folder) ? Optional.of(folder) : Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // no record: the data is checked in full next time, which is all it costs
        }
    }

    /** Resume records (and parts files) are named by info-hash, so one folder holds those of many torrents. */
    private static Path resumeFile(Path folder, Metainfo metainfo, String suffix) {
        String id = metainfo.infoHashes().v1().or(() -> metainfo.infoHashes().v2()).orElseThrow().hex();
        return folder.resolve(id + suffix);
    }
}
