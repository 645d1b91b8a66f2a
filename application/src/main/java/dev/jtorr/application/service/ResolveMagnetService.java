package dev.jtorr.application.service;

import dev.jtorr.application.engine.Engine;
import dev.jtorr.application.engine.EngineOptions;
import dev.jtorr.application.engine.SwarmRuntime;
import dev.jtorr.application.port.in.InvalidCommandException;
import dev.jtorr.application.port.in.ResolveMagnetCommand;
import dev.jtorr.application.port.in.ResolveMagnetUseCase;
import dev.jtorr.application.port.out.ContentException;
import dev.jtorr.application.torrent.MetadataFetch;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.bencode.BList;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeEncoder;
import dev.jtorr.domain.bencode.BencodeLimits;
import dev.jtorr.domain.metainfo.FileSelection;
import dev.jtorr.domain.metainfo.InfoHashes;
import dev.jtorr.domain.metainfo.MagnetLink;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Resolves a magnet link in an engine of its own, which closes once the metadata is there; the .torrent file keeps
 * the info dictionary's exact bytes (its hash is the torrent's identity) and the link's trackers.
 */
public final class ResolveMagnetService implements ResolveMagnetUseCase {
    private final SwarmRuntime runtime;

    public ResolveMagnetService(SwarmRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Resolved resolve(ResolveMagnetCommand command) throws InterruptedException {
        MagnetLink link = MagnetLink.parse(command.link());
        var hashes = new InfoHashes(link.v1(), link.v2());
        List<PeerAddress> linkPeers = new ArrayList<>();
        for (String p : link.peers()) {
            try {
                linkPeers.add(PeerAddress.parse(p));
            } catch (InvalidDataException e) {
                throw new InvalidCommandException("magnet x.pe: " + e.getMessage());
            }
        }
        Optional<Found> known = find(command.torrents(), hashes, link.displayName());
        if (known.isPresent()) {
            return new Resolved(known.get().path(), linkPeers, false, select(link, known.get().metainfo()));
        }
        var peers = new ArrayList<>(command.options().peers());
        peers.addAll(linkPeers);
        List<List<String>> tiers = command.options().trackerTiers(link.trackers().stream().map(List::of).toList());
        if (peers.isEmpty() && tiers.isEmpty() && !command.options().dht().enabled() && !command.options().lsd()) {
            throw new InvalidCommandException("the magnet link names no tracker (tr=) and no peer (x.pe=), no "
                    + "--peer or --tracker was given and the DHT and local peer discovery are off: there is no one "
                    + "to ask for the metadata");
        }
        String name = link.displayName().orElse(link.v1().orElseGet(() -> link.v2().orElseThrow()).hex());
        var options = command.options();
        MetadataFetch.Fetched fetched;
        Engine engine = Engine.start(runtime, EngineOptions.of(options));
        try {
            fetched = engine.fetchMetadata(new MetadataFetch.Target(hashes, name, peers, tiers, options.maxConnections(),
                    options.encryption())).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not fetch the metadata: " + e.getCause().getMessage(), e);
        } finally {
            engine.shutdown();
        }
        engine.awaitClosed();
        Found saved = save(command.torrents(), fetched, link.trackers());
        return new Resolved(saved.path(), linkPeers, true, select(link, saved.metainfo()));
    }

    private record Found(Path path, Metainfo metainfo) {
    }

    /** The file numbers that the link's {@code so} selects (BEP 53), empty for all. */
    private static List<Integer> select(MagnetLink link, Metainfo metainfo) {
        if (link.selectOnly().isEmpty()) {
            return List.of();
        }
        List<Integer> numbers;
        try {
            numbers = FileSelection.numbersOfIndices(metainfo.info(), link.selectOnly());
        } catch (IllegalArgumentException e) {
            throw new InvalidCommandException("magnet so=: " + e.getMessage());
        }
        if (numbers.isEmpty()) {
            throw new InvalidCommandException("magnet so= names only pad files: no file to download");
        }
        return numbers;
    }

    /** A .torrent file already in {@code folder} with these hashes: the one named after dn first, then any. */
    private Optional<Found> find(Path folder, InfoHashes hashes, Optional<String> dn) {
        var candidates = new ArrayList<Path>();
        dn.map(n -> folder.resolve(fileName(n) + ".torrent")).filter(runtime.metainfoStore()::exists)
                .ifPresent(candidates::add);
        candidates.addAll(runtime.metainfoStore().list(folder));
        for (Path p : candidates) {
            try {
                Metainfo m = MetainfoParser.parse(runtime.metainfoStore().read(p,
                        BencodeLimits.TORRENT_FILE.maxInputLength()));
                if (hashes.v1().isPresent() ? m.infoHashes().v1().equals(hashes.v1())
                        : m.infoHashes().v2().equals(hashes.v2())) {
                    return Optional.of(new Found(p, m));
                }
            } catch (ContentException | InvalidDataException e) {
                // not a torrent we can read: not the one
            }
        }
        return Optional.empty();
    }

    /** Saves the torrent as {@code <name>.torrent}, or with the hash appended when another torrent has that name. */
    private Found save(Path folder, MetadataFetch.Fetched fetched, List<String> trackers) {
        byte[] torrent = torrentFile(fetched.info(), trackers, fetched.pieceLayers());
        Metainfo metainfo = MetainfoParser.parse(torrent);
        String base = fileName(metainfo.info().name());
        Path target = folder.resolve(base + ".torrent");
        if (runtime.metainfoStore().exists(target)) {
            Digest hash = metainfo.infoHashes().v1().orElseGet(() -> metainfo.infoHashes().v2().orElseThrow());
            target = folder.resolve(base + "-" + hash.hex().substring(0, 8) + ".torrent");
        }
        runtime.metainfoStore().write(target, torrent, true);
        return new Found(target, metainfo);
    }

    /**
     * A .torrent file around the info dictionary's exact bytes: announce, announce-list (a tier each), info, and the
     * piece layers of a v2 torrent (BEP 52) when there are any.
     */
    public static byte[] torrentFile(byte[] info, List<String> trackers, Map<Digest, byte[]> pieceLayers) {
        var out = new ByteArrayOutputStream(info.length + 256);
        out.write('d');
        if (!trackers.isEmpty()) {
            out.writeBytes(BencodeEncoder.encode(BString.of("announce")));
            out.writeBytes(BencodeEncoder.encode(BString.of(trackers.get(0))));
        }
        if (trackers.size() > 1) {
            out.writeBytes(BencodeEncoder.encode(BString.of("announce-list")));
            List<BValue> tiers = trackers.stream().<BValue>map(t -> new BList(List.of(BString.of(t)))).toList();
            out.writeBytes(BencodeEncoder.encode(new BList(tiers)));
        }
        out.writeBytes(BencodeEncoder.encode(BString.of("info")));
        out.writeBytes(info);
        if (!pieceLayers.isEmpty()) {
            var layers = BDictionary.builder();
            pieceLayers.forEach((root, hashes) -> layers.put(new BString(root.bytes()), new BString(hashes)));
            out.writeBytes(BencodeEncoder.encode(BString.of("piece layers")));
            out.writeBytes(BencodeEncoder.encode(layers.build()));
        }
        out.write('e');
        return out.toByteArray();
    }

    /** A torrent's name as a file name: no folders, no hidden files, nothing a shell or file system trips on. */
    static String fileName(String name) {
        String safe = name.replaceAll("[^\\p{L}\\p{N} ._()\\[\\]+,-]", "_").replaceFirst("^[.\\s]+", "").strip();
        if (safe.length() > 200) {
            safe = safe.substring(0, 200);
        }
        return safe.isEmpty() ? "torrent" : safe;
    }
}
