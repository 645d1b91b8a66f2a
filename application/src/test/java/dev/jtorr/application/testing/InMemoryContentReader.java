package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.port.out.ContentFile;
import dev.jtorr.application.port.out.ContentReader;
import dev.jtorr.domain.metainfo.FileLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Content held in memory: paths (with '/' separators, first component the root's name) to bytes. */
public final class InMemoryContentReader implements ContentReader {
    private final Map<String, byte[]> files = new TreeMap<>();
    private volatile RuntimeException failOnRead;

    public InMemoryContentReader put(String path, byte[] data) {
        files.put(path, data.clone());
        return this;
    }

    /** Every later read throws {@code failure}. */
    public void failReadsWith(RuntimeException failure) {
        this.failOnRead = failure;
    }

    @Override
    public List<ContentFile> list(Path root) {
        String prefix = root.toString();
        var out = new ArrayList<ContentFile>();
        files.forEach((path, data) -> {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                out.add(new ContentFile(List.of(path.split("/")), data.length, false));
            }
        });
        if (out.isEmpty()) {
            throw new ContentException("no such file or folder: " + root);
        }
        out.sort((a, b) -> FileLayout.compareFileTreeOrder(a.relativePath(), b.relativePath()));
        return out;
    }

    @Override
    public Source open(Path root, List<ContentFile> listed) {
        List<byte[]> data = listed.stream().map(f -> files.get(String.join("/", f.relativePath()))).toList();
        return new Source() {
            @Override
            public void read(int fileIndex, long offset, ByteBuffer target) {
                if (failOnRead != null) {
                    throw failOnRead;
                }
                target.put(data.get(fileIndex), (int) offset, target.remaining());
            }

            @Override
            public void close() {
            }
        };
    }
}
