package dev.jtorr.application.service;

import dev.jtorr.application.engine.SwarmRuntime;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jtorr.application.port.in.CreateTorrentCommand;
import dev.jtorr.application.port.in.DownloadTorrentCommand;
import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.application.testing.CapturingNetwork;
import dev.jtorr.application.testing.FakeTimeSource;
import dev.jtorr.application.testing.HeldSchedulers;
import dev.jtorr.application.testing.InMemoryContentReader;
import dev.jtorr.application.testing.InMemoryMetainfoStore;
import dev.jtorr.application.testing.InMemoryPieceStorage;
import dev.jtorr.application.testing.RecordingPeerConnection;
import dev.jtorr.domain.metainfo.TorrentVersion;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** A download of {@code data} (32 KiB pieces) whose session has dialled one peer and is connected to it. */
record HeldDownload(HeldSchedulers schedulers, InMemoryPieceStorage storage,
                    dev.jtorr.application.port.in.TorrentHandle handle, PeerConnection.Handler handler,
                    RecordingPeerConnection peer) {
    /** The peer says it has all {@code pieces} pieces and unchokes us; the session's first requests go out. */
    void peerHasAllAndUnchokes(int pieces) {
        var all = new dev.jtorr.domain.piece.Bitfield(pieces);
        for (int p = 0; p < pieces; p++) {
            all.set(p);
        }
        handler.receivedAll(peer, List.of(new PeerMessage.Bitfield(all.toWire()), PeerMessage.UNCHOKE));
        schedulers.runQueued();
    }

    static HeldDownload of(byte[] data) {
        var store = new InMemoryMetainfoStore();
        var content = new InMemoryContentReader().put("data.bin", data);
        var created = new CreateTorrentService(content, store, new FakeTimeSource(Instant.EPOCH,
                Duration.ofMillis(1)), ProgressListener.NONE, Path.of("torrents"), 1, "test").create(
                new CreateTorrentCommand(Path.of("data.bin"), Optional.empty(), Optional.of(32L * 1024),
                        TorrentVersion.V1, List.of(), List.of(), false, Optional.empty(), Optional.empty(), false,
                        false));
        var schedulers = new HeldSchedulers();
        var network = new CapturingNetwork();
        var storage = new InMemoryPieceStorage();
        var runtime = new SwarmRuntime(store, storage, network, TrackerClient.NONE, schedulers,
                new FakeTimeSource(Instant.EPOCH, Duration.ofMillis(1)), new SplittableRandom(1),
                ProgressListener.NONE, 1);
        var handle = new DownloadTorrentService(runtime).start(new DownloadTorrentCommand(created.file(),
                Path.of("leecher"), false,
                SessionOptions.defaults(List.of(new PeerAddress("10.0.0.2", 6881)), 6881)));
        schedulers.runQueued(); // the first tick dials the peer
        PeerConnection.Handler handler = network.handler.get();
        assertNotNull(handler, "the session dialled its peer");
        var peer = new RecordingPeerConnection(created.metainfo());
        handler.connected(peer);
        return new HeldDownload(schedulers, storage, handle, handler, peer);
    }
}
