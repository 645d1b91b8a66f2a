package dev.jtorr.adapters.net.dht;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.dht.Compact;
import dev.jtorr.domain.dht.Contact;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The saved routing table: a bencoded dictionary whose {@code nodes} are compact node infos. Written to a temporary
 * file, forced and renamed, so a crash leaves the old file or the new one; a damaged file reads as empty.
 */
final class NodeFile {
    private static final BencodeLimits LIMITS = new BencodeLimits(64 * 1024, 2, 10);

    private NodeFile() {
    }

    static List<Contact> read(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > LIMITS.maxInputLength()) {
                return List.of();
            }
            var value = BencodeDecoder.decode(Files.readAllBytes(file), LIMITS);
            if (value instanceof BDictionary d) {
                return d.getString("nodes").map(s -> Compact.nodes(s.bytes())).orElse(List.of());
            }
            return List.of();
        } catch (IOException | InvalidDataException e) {
            return List.of();
        }
    }

    static void write(Path file, List<Contact> nodes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] bytes = BencodeEncoder.encode(BDictionary.builder()
                .put("nodes", new BString(Compact.nodes(nodes.subList(0, Math.min(nodes.size(), 1000))))).build());
        Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try (var ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
