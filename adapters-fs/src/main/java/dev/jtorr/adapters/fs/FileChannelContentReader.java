package dev.jtorr.adapters.fs;

import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.port.out.ContentFile;
import dev.jtorr.application.port.out.ContentReader;
import dev.jtorr.domain.metainfo.FileLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads content with positional {@link FileChannel} reads; keeps at most {@value #MAX_OPEN} files open. */
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
        var out = new ArrayList<ContentFile>();
        try (Stream<Path> walk = Files.walk(absolute)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(absolute) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Path shown = root.resolve(absolute.relativize(p));
                if (Files.isSymbolicLink(p) && Files.isDirectory(p)) {
                    LOG.warn("skipping {}: a symbolic link to a folder is not followed", shown);
                    continue;
                }
                if (!Files.exists(p)) {
                    throw new ContentException("cannot read " + shown + ": broken symbolic link");
                }
                if (!Files.isRegularFile(p)) {
                    throw new ContentException("not a regular file: " + shown);
                }
                var components = new ArrayList<String>();
                components.add(name.toString());
                absolute.relativize(p).forEach(c -> components.add(c.toString()));
                out.add(file(p, components, shown));
            }
        } catch (java.io.UncheckedIOException e) {
            throw failure(root, e.getCause());
        } catch (IOException e) {
            throw failure(root, e);
        }
        if (out.isEmpty()) {
            throw new ContentException("folder " + root + " holds no files");
        }
        out.sort(Comparator.comparing(ContentFile::relativePath, FileLayout::compareFileTreeOrder));
        return out;
    }

    private static ContentFile file(Path p, List<String> components, Path shown) {
        if (!Files.isReadable(p)) {
            throw new ContentException("cannot read " + shown + ": permission denied");
        }
        try {
            return new ContentFile(components, Files.size(p), Files.isExecutable(p));
        } catch (IOException e) {
            throw failure(shown, e);
        }
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
        return new ChannelSource(paths);
    }

    private static final class ChannelSource implements Source {
        private final List<Path> paths;
        private final ConcurrentHashMap<Integer, FileChannel> open = new ConcurrentHashMap<>();

        ChannelSource(List<Path> paths) {
            this.paths = paths;
        }

        @Override
        public void read(int fileIndex, long offset, ByteBuffer target) {
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
