package dev.jtorr.adapters.fs;

import dev.jtorr.domain.metainfo.FileEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A torrent's BEP 47 symbolic links, made once its files are complete: each a relative link inside the torrent's
 * folder to a path inside it. A link whose target would lie outside the folder, or that has no target, is skipped
 * and logged (the rest of the torrent is unaffected); data is never written through a link, since links are made
 * last and no file of a torrent lies below one of its links (see {@code UniquePaths}).
 */
final class SymbolicLinks {
    private static final Logger LOG = LoggerFactory.getLogger(SymbolicLinks.class);

    private record Link(Path at, Path target) {
    }

    private final List<Link> links;

    private SymbolicLinks(List<Link> links) {
        this.links = links;
    }

    /** The links among {@code files}, placed under {@code root} (the torrent's folder). */
    static SymbolicLinks of(Path root, List<FileEntry> files) {
        var links = new ArrayList<Link>();
        for (FileEntry f : files) {
            if (!f.isSymlink()) {
                continue;
            }
            List<String> target = f.symlinkTarget().orElseThrow();
            Path at = below(root, f.path());
            Path to = target.isEmpty() ? null : below(root, target);
            if (at == null || to == null || to.equals(at)) {
                LOG.warn("skipping the symbolic link {}: its target {} is not inside the torrent's folder",
                        f.pathString(), String.join("/", target));
                continue;
            }
            links.add(new Link(at, to));
        }
        return new SymbolicLinks(links);
    }

    /** {@code path} (its first element is the torrent's folder) under {@code root}, or null when it leaves it. */
    private static Path below(Path root, List<String> path) {
        Path p = root;
        for (String element : path.subList(1, path.size())) {
            p = p.resolve(element);
        }
        p = p.normalize();
        return p.startsWith(root) && !p.equals(root) ? p : null;
    }

    /** Makes every link that is not there yet; an existing file or link of that name is left alone. */
    /** Where the links are (or would be) made. */
    List<Path> paths() {
        return links.stream().map(Link::at).toList();
    }

    void create() {
        for (Link l : links) {
            if (Files.exists(l.at(), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.createDirectories(l.at().getParent());
                Files.createSymbolicLink(l.at(), l.at().getParent().relativize(l.target()));
            } catch (IOException | UnsupportedOperationException e) {
                LOG.warn("cannot make the symbolic link {}: {}", l.at(), e.toString());
            }
        }
    }

    int size() {
        return links.size();
    }
}
