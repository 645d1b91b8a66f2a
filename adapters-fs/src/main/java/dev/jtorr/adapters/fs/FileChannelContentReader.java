package dev.jtorr.adapters.fs;

import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.port.out.ContentFile;
import dev.jtorr.application.port.out.ContentReader;
import dev.jtorr.domain.metainfo.FileLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads content with positional {@link FileChannel} reads; keeps at most {@value #MAX_OPEN} files open. Small files
 * are read whole ahead of the readers ({@link ReadAhead#ofSmallFiles}).
 */
final class FileChannelContentReader implements ContentReader {
    static final int MAX_OPEN = 256;
    private static final Logger LOG = LoggerFactory.getLogger(FileChannelContentReader.class);

    @Override
    public List<ContentFile> list(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw new ContentException("no such file or folder: " + root);
        }
        if (!Files.exists(absolute)) {
            throw new ContentException("cannot read " + root + ": broken symbolic link");
        }
        Path name = absolute.getFileName();
        if (name == null) {
            throw new ContentException("cannot make a torrent of the file-system root " + root);
        }
        if (Files.isRegularFile(absolute)) {
            return List.of(file(absolute, List.of(name.toString()), root));
        }
        if (!Files.isDirectory(absolute)) {
            throw new ContentException("not a regular file or folder: " + root);
        }
        var out = new ArrayList<Listed>();
        try {
            Files.walkFileTree(absolute, new Walker(root, absolute, name.toString(), out));
        } catch (java.io.UncheckedIOException e) {
            throw failure(root, e.getCause());
        } catch (IOException e) {
            throw failure(root, e);
        }
        if (out.isEmpty()) {
            throw new ContentException("folder " + root + " holds no files");
        }
        out.sort(null);
        return out.stream().map(Listed::file).toList();
    }

    /** A file found by the walk, with its path components encoded as UTF-8 once, for sorting. */
    private record Listed(ContentFile file, byte[][] key) implements Comparable<Listed> {
        static Listed of(ContentFile file) {
            List<String> path = file.relativePath();
            var key = new byte[path.size()][];
            for (int i = 0; i < key.length; i++) {
                key[i] = path.get(i).getBytes(StandardCharsets.UTF_8);
            }
            return new Listed(file, key);
        }

        /** {@link FileLayout#compareFileTreeOrder}, on bytes encoded once rather than at every comparison. */
        @Override
        public int compareTo(Listed other) {
            for (int i = 0; i < Math.min(key.length, other.key.length); i++) {
                int c = Arrays.compareUnsigned(key[i], other.key[i]);
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(key.length, other.key.length);
        }
    }

    /**
     * Lists the files under a folder from the attributes the walk has already read (one {@code lstat} a file),
     * keeping the folder names on a stack rather than relativizing every path.
     */
    private static final class Walker extends SimpleFileVisitor<Path> {
        private final Path root;
        private final Path absolute;
        private final List<Listed> out;
        private final ArrayList<String> folders = new ArrayList<>();

        Walker(Path root, Path absolute, String name, List<Listed> out) {
            this.root = root;
            this.absolute = absolute;
            this.out = out;
            folders.add(name);
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(absolute)) {
                folders.add(dir.getFileName().toString());
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
                throw e;
            }
            if (!dir.equals(absolute)) {
                folders.remove(folders.size() - 1);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            throw failure(shown(file), e);
        }

        @Override
        public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
            BasicFileAttributes target = attrs;
            if (attrs.isSymbolicLink()) {
                try {
                    target = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    throw new ContentException("cannot read " + shown(p) + ": broken symbolic link");
                } catch (IOException e) {
                    throw failure(shown(p), e);
                }
                if (target.isDirectory()) {
                    LOG.warn("skipping {}: a symbolic link to a folder is not followed", shown(p));
                    return FileVisitResult.CONTINUE;
                }
            }
            if (!target.isRegularFile()) {
                throw new ContentException("not a regular file: " + shown(p));
            }
            var components = new ArrayList<String>(folders.size() + 1);
            components.addAll(folders);
            components.add(p.getFileName().toString());
            if (!Files.isReadable(p)) {
                throw denied(shown(p));
            }
            out.add(Listed.of(file(components, target, p)));
            return FileVisitResult.CONTINUE;
        }

        private Path shown(Path p) {
            return root.resolve(absolute.relativize(p));
        }
    }

    private static ContentFile file(Path p, List<String> components, Path shown) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            throw failure(shown, e);
        }
        if (!Files.isReadable(p)) {
            throw denied(shown);
        }
        return file(components, attrs, p);
    }

    private static ContentException denied(Path shown) {
        return new ContentException("cannot read " + shown + ": permission denied");
    }

    /**
     * Executable means the owner may execute it, as libtorrent decides; the permissions come with the attributes
     * already read where the file system keeps them.
     */
    private static ContentFile file(List<String> components, BasicFileAttributes attrs, Path p) {
        boolean executable = attrs instanceof PosixFileAttributes posix
                ? posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE)
                : Files.isExecutable(p);
        return new ContentFile(components, attrs.size(), executable);
    }

    static ContentException failure(Path path, IOException e) {
        return new ContentException("cannot read " + path + ": " + IoReasons.of(e), e);
    }

    @Override
    public Source open(Path root, List<ContentFile> files) {
        Path parent = root.toAbsolutePath().normalize().getParent();
        List<Path> paths = files.stream().map(f -> {
            Path p = parent;
            for (String c : f.relativePath()) {
                p = p.resolve(c);
            }
            return p;
        }).toList();
        long[] lengths = files.stream().mapToLong(ContentFile::length).toArray();
        return new ChannelSource(paths, ReadAhead.ofSmallFiles(paths, lengths));
    }

    private static final class ChannelSource implements Source {
        private final List<Path> paths;
        private final ReadAhead readAhead;
        private final ConcurrentHashMap<Integer, FileChannel> open = new ConcurrentHashMap<>();

        ChannelSource(List<Path> paths, ReadAhead readAhead) {
            this.paths = paths;
            this.readAhead = readAhead;
        }

        @Override
        public void read(int fileIndex, long offset, ByteBuffer target) {
            if (readAhead != null && readAhead.take(fileIndex, offset, target)) {
                return;
            }
            Path path = paths.get(fileIndex);
            FileChannel cached = open.get(fileIndex);
            try {
                if (cached != null) {
                    readFully(cached, path, offset, target);
                } else if (open.size() < MAX_OPEN) {
                    readFully(open.computeIfAbsent(fileIndex, i -> openChannel(path)), path, offset, target);
                } else {
                    try (FileChannel once = openChannel(path)) {
                        readFully(once, path, offset, target);
                    }
                }
            } catch (IOException e) {
                throw failure(path, e);
            }
        }

        private static FileChannel openChannel(Path path) {
            try {
                return FileChannel.open(path, StandardOpenOption.READ);
            } catch (IOException e) {
                throw failure(path, e);
            }
        }

        private static void readFully(FileChannel channel, Path path, long offset, ByteBuffer target)
                throws IOException {
            if (!PositionalIo.readFully(channel, offset, target)) {
                throw new ContentException(path + " is shorter than when it was listed (did it change?)");
            }
        }

        @Override
        public void close() {
            if (readAhead != null) {
                readAhead.close();
            }
            for (FileChannel channel : open.values()) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("closing a content file failed", e);
                }
            }
            open.clear();
        }
    }
}
