package dev.jtorr.application.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.application.extension.Extension;
import dev.jtorr.application.extension.ExtensionPeer;
import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.service.CreateTorrentService;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.SimulatedSwarm;
import dev.jtorr.domain.bencode.BString;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.EncryptionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BEP 11 between engines on the simulated network: a leecher given only one peer learns of the seed through that
 * peer's ut_pex and downloads from it; a private torrent (BEP 27) neither offers ut_pex nor learns peers by it.
 */
class PexEngineTest {
    private static final int PORT = 6881;
    // PEX carries numeric addresses only, so the simulated hosts are named by IP literals
    private static final String SEED = "10.0.0.1";
    private static final String RELAY = "10.0.0.2";
    private static final String LATE = "10.0.0.3";

    private final SimulatedSwarm swarm = new SimulatedSwarm();
    private final InMemoryMetainfoStore store = new InMemoryMetainfoStore();
    private final InMemoryPieceStorage storage = new InMemoryPieceStorage();
    private final SplittableRandom random = new SplittableRandom(11);

    /** Records the extensions named in the handshake of each peer that speaks it too. */
    private static final class Offers implements Extension {
        final List<List<String>> seen = new ArrayList<>();

        @Override
        public String name() {
            return "jt_offers";
        }

        @Override
        public void peerSupports(ExtensionPeer peer) {
            seen.add(peer.handshake().getDictionary("m").orElseThrow().entries().keySet().stream()
                    .map(BString::text).toList());
        }

        @Override
        public void received(ExtensionPeer peer, byte[] payload) {
        }
    }

    private Path torrent(String name, byte[] data, boolean isPrivate) {
        return new CreateTorrentService(new InMemoryContentReader().put(name, data), store,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1,
                "test").create(new CreateTorrentCommand(Path.of(name), Optional.empty(), Optional.of(32 * 1024L),
                TorrentVersion.V1, List.of(), List.of(), isPrivate, Optional.empty(), Optional.empty(), false,
                false)).file();
    }

    private Engine engine(String host, long uplink, List<Extension.Factory> extensions) {
        var runtime = new SwarmRuntime(store, storage, swarm.node(host, uplink), TrackerClient.NONE, swarm, swarm,
                random, ProgressListener.NONE, 1);
        return Engine.start(runtime, new EngineOptions("", PORT, EncryptionPolicy.PREFER, 0, 0, 50), extensions);
    }

    private static SessionOptions options(String... peers) {
        return new SessionOptions(List.of(peers).stream().map(h -> new PeerAddress(h, PORT)).toList(), "", PORT, 50,
                4, 0, 0, false, 64L << 20, List.of(), true, EncryptionPolicy.PREFER);
    }

    private record Run(TorrentHandle relay, TorrentHandle late, List<List<String>> offeredToLate) {
    }

    /** A slow seed, a relay given the seed and uploading slower still, and a late leecher given only the relay. */
    private Run run(boolean isPrivate) {
        byte[] data = new byte[2 << 20];
        new Random(5).nextBytes(data);
        Path file = torrent("a.bin", data, isPrivate);
        storage.seed(Path.of(SEED, "a.bin"), dev.jtorr.domain.metainfo.MetainfoParser.parse(store.get(file)), data);
        engine(SEED, 200_000, List.of()).seed(file, Path.of(SEED, "a.bin"), options(), true);
        TorrentHandle relay = engine(RELAY, 20_000, List.of(t -> new Offers())).download(file, Path.of(RELAY),
                options(SEED), true);
        swarm.runUntil(() -> relay.status() != null && relay.status().verifiedBytes() > 0, Duration.ofMinutes(1));
        var offers = new Offers();
        TorrentHandle late = engine(LATE, 4_000_000, List.of(t -> offers)).download(file, Path.of(LATE),
                options(RELAY), true);
        swarm.runUntil(() -> late.status() != null && late.status().verifiedBytes() == data.length,
                Duration.ofMinutes(3));
        return new Run(relay, late, offers.seen);
    }

    private static boolean fromSeed(TorrentHandle h) {
        return h.peers().stream().anyMatch(p -> p.address().startsWith(SEED + ":") && p.downloaded() > 0);
    }

    @Test
    void aPeerLearnedByPexIsDialledAndDownloadedFrom() {
        Run run = run(false);
        assertEquals(2 << 20, run.late().status().verifiedBytes(), "complete within three minutes");
        assertTrue(fromSeed(run.late()), "the seed was learned from the relay's ut_pex: " + run.late().peers());
        assertTrue(run.offeredToLate().get(0).contains("ut_pex"), "offered: " + run.offeredToLate());
    }

    @Test
    void aPrivateTorrentNeitherOffersNorLearnsPeersByPex() {
        Run run = run(true);
        assertFalse(fromSeed(run.late()), "the late leecher only knows the relay: " + run.late().peers());
        assertTrue(run.late().peers().stream().allMatch(p -> p.address().startsWith(RELAY + ":")));
        assertFalse(run.offeredToLate().isEmpty());
        run.offeredToLate().forEach(m -> assertFalse(m.contains("ut_pex"), "offered: " + m));
    }
}
