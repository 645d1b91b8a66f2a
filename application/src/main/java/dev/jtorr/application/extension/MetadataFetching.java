package dev.jtorr.application.extension;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.metainfo.InfoHashes;
import dev.jtorr.domain.metainfo.MetadataAssembly;
import dev.jtorr.domain.wire.MetadataMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * BEP 9 {@code ut_metadata} for a magnet link: asks the peers that announce a {@code metadata_size} for the info
 * dictionary's 16 KiB pieces, at most {@link #PER_PEER} at a time from each, so that several peers share the work,
 * and hands a dictionary that matches the link's info-hashes to the {@link Listener}. A peer that sends a piece that
 * does not fit, or a dictionary that fails the hash on its own, is dropped and never asked again; when a dictionary
 * from several peers fails, each of them is a suspect and the next attempt comes from one peer alone, which finds the
 * culprit. A peer that rejects a request, or leaves one unanswered for {@link #REQUEST_TIMEOUT}, is asked no more.
 * Engine thread.
 */
public final class MetadataFetching implements Extension {
    /** Requests outstanding with one peer at most. */
    static final int PER_PEER = 2;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    /** What the fetch tells its torrent. */
    public interface Listener {
        /** The info dictionary, verified against the link's info-hashes. */
        void resolved(byte[] info);

        /** {@code peer} broke the rules or sent a forged dictionary: drop it and never take it again. */
        void bad(ExtensionPeer peer, String reason);
    }

    /** What the fetch knows of one peer. */
    private static final class Source {
        final long key;
        final long size;
        final Map<Integer, Instant> asked = new LinkedHashMap<>();
        boolean useless;

        Source(long key, long size) {
            this.key = key;
            this.size = size;
        }
    }

    private final InfoHashes expected;
    private final Listener listener;
    private final Map<ExtensionPeer, Source> sources = new LinkedHashMap<>();
    private final Set<Long> suspects = new HashSet<>();
    private final Map<Long, ExtensionPeer> byKey = new HashMap<>();
    private MetadataAssembly assembly;
    /** The one peer asked while suspects are being told apart, or null. */
    private ExtensionPeer alone;
    private long nextKey;
    private boolean done;
    private Instant now = Instant.EPOCH;

    public MetadataFetching(InfoHashes expected, Listener listener) {
        this.expected = expected;
        this.listener = listener;
    }

    @Override
    public String name() {
        return MetadataServing.NAME;
    }

    /** Pieces held, and in all, of the dictionary being assembled (0 of 0 before any peer said its size). */
    public int[] progress() {
        return assembly == null ? new int[] {0, 0} : new int[] {assembly.held(), assembly.pieceCount()};
    }

    /** Peers that offer the metadata and are still asked. */
    public int sourceCount() {
        return (int) sources.values().stream().filter(s -> !s.useless).count();
    }

    @Override
    public void peerSupports(ExtensionPeer peer) {
        if (done || sources.containsKey(peer)) {
            return;
        }
        var size = peer.handshake().getInteger("metadata_size");
        if (size.isEmpty()) {
            return; // it has no metadata to give (yet)
        }
        long n = size.get().value();
        if (n <= 0 || n > MetadataAssembly.MAX_SIZE) {
            listener.bad(peer, "metadata_size " + n + " is outside 1-" + MetadataAssembly.MAX_SIZE + " bytes");
            return;
        }
        var source = new Source(nextKey++, n);
        sources.put(peer, source);
        byKey.put(source.key, peer);
        pump();
    }

    @Override
    public void received(ExtensionPeer peer, byte[] payload) {
        MetadataMessage message = MetadataMessage.decode(payload);
        Source source = sources.get(peer);
        switch (message) {
            case MetadataMessage.Request r -> peer.send(name(), new MetadataMessage.Reject(r.piece()).encode());
            case MetadataMessage.Reject r -> {
                if (source != null && source.asked.remove(r.piece()) != null) {
                    assembly.release(r.piece());
                    giveUp(peer, source);
                }
            }
            case MetadataMessage.Data d -> {
                if (!done && source != null && assembly != null && d.piece() >= assembly.pieceCount()) {
                    forget(peer); // no honest peer sends what cannot exist, asked or not
                    listener.bad(peer, "metadata piece " + d.piece() + " past the end (" + assembly.pieceCount()
                            + " pieces)");
                    pump();
                    return;
                }
                if (done || source == null || source.asked.remove(d.piece()) == null) {
                    return; // not asked for (or asked before a failed attempt): ignored
                }
                try {
                    assembly.put(d, source.key);
                } catch (InvalidDataException e) {
                    assembly.release(d.piece());
                    forget(peer);
                    listener.bad(peer, e.getMessage());
                    pump();
                    return;
                }
                if (assembly.isComplete()) {
                    finish();
                } else {
                    pump();
                }
            }
            case MetadataMessage.Unknown u -> { }
        }
    }

    @Override
    public void peerLeft(ExtensionPeer peer) {
        forget(peer);
        pump();
    }

    /** The clock moved on: requests left unanswered too long go to other peers. */
    public void tick(Instant at) {
        this.now = at;
        for (var e : List.copyOf(sources.entrySet())) {
            Source s = e.getValue();
            boolean late = s.asked.values().stream()
                    .anyMatch(t -> Duration.between(t, at).compareTo(REQUEST_TIMEOUT) > 0);
            if (late) {
                giveUp(e.getKey(), s);
            }
        }
    }

    private void finish() {
        switch (assembly.verify()) {
            case MetadataAssembly.Outcome.Verified v -> {
                done = true;
                listener.resolved(v.info());
            }
            case MetadataAssembly.Outcome.Mismatch m -> {
                assembly = null; // the next attempt takes its size from a peer still trusted
                alone = null;
                sources.values().forEach(s -> s.asked.clear());
                ExtensionPeer culprit = null;
                if (m.senders().size() == 1) {
                    culprit = byKey.get(m.senders().iterator().next());
                } else {
                    suspects.addAll(m.senders());
                }
                if (culprit != null) {
                    forget(culprit);
                    listener.bad(culprit, "sent metadata that does not match the info-hash");
                }
                pump();
            }
        }
    }

    /** Stops asking a peer that rejected or stalled; what it was asked for goes to others. */
    private void giveUp(ExtensionPeer peer, Source source) {
        source.useless = true;
        source.asked.keySet().forEach(p -> {
            if (assembly != null) {
                assembly.release(p);
            }
        });
        source.asked.clear();
        if (alone == peer) {
            alone = null;
        }
        pump();
    }

    private void forget(ExtensionPeer peer) {
        Source s = sources.remove(peer);
        if (s == null) {
            return;
        }
        byKey.remove(s.key);
        if (assembly != null) {
            s.asked.keySet().forEach(assembly::release);
        }
        if (alone == peer) {
            alone = null;
        }
    }

    /** Asks the peers for the pieces nobody is asked for, a few from each. */
    private void pump() {
        if (done) {
            return;
        }
        if (assembly == null && !startAssembly()) {
            return;
        }
        List<ExtensionPeer> askable = new ArrayList<>();
        sources.forEach((peer, s) -> {
            if (!s.useless && s.size == assembly.size()) {
                askable.add(peer);
            }
        });
        if (!suspects.isEmpty()) {
            // one peer at a time until a dictionary verifies: a failure is then that peer's alone
            if (alone == null || !askable.contains(alone)) {
                alone = askable.stream().filter(p -> !suspects.contains(sources.get(p).key)).findFirst()
                        .orElse(askable.isEmpty() ? null : askable.get(0));
            }
            askable.clear();
            if (alone != null) {
                askable.add(alone);
            }
        }
        for (ExtensionPeer peer : askable) {
            Source s = sources.get(peer);
            while (s.asked.size() < PER_PEER) {
                OptionalInt piece = assembly.claim();
                if (piece.isEmpty()) {
                    return;
                }
                s.asked.put(piece.getAsInt(), now);
                peer.send(name(), new MetadataMessage.Request(piece.getAsInt()).encode());
            }
        }
    }

    /** Takes the size most trusted peers agree on; false when no peer offers one. */
    private boolean startAssembly() {
        Map<Long, Integer> votes = new HashMap<>();
        sources.values().stream().filter(s -> !s.useless && !suspects.contains(s.key))
                .forEach(s -> votes.merge(s.size, 1, Integer::sum));
        if (votes.isEmpty()) {
            sources.values().stream().filter(s -> !s.useless).forEach(s -> votes.merge(s.size, 1, Integer::sum));
        }
        var best = votes.entrySet().stream().max(Map.Entry.comparingByValue());
        if (best.isEmpty()) {
            return false;
        }
        assembly = new MetadataAssembly(expected, best.get().getKey());
        return true;
    }
}
