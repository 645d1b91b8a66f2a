package dev.jtorr.application.torrent;

import dev.jtorr.application.extension.ExtensionPeer;
import dev.jtorr.application.extension.Extensions;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.peer.RateMeter;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;

/** What a session knows of one connected peer (BEP 3 state, requests, rates). Touched by the session thread only. */
final class Peer {
    final long key;
    final PeerConnection connection;
    final PeerId id;
    /** Where we dialled it, so it can be dialled again; null for incoming peers. */
    PeerAddress dialled;
    final Bitfield has;
    final Set<BlockRequest> outstanding = new LinkedHashSet<>();
    final ArrayDeque<BlockRequest> uploads = new ArrayDeque<>();
    /** Bytes of uploads handed to the disk thread and not yet queued on the connection (session thread only). */
    long uploadsBeingRead;
    final RateMeter download = new RateMeter();
    final dev.jtorr.domain.peer.RequestPipeline pipeline = new dev.jtorr.domain.peer.RequestPipeline();
    final RateMeter upload = new RateMeter();
    final Instant connectedAt;
    boolean amChoking = true;
    boolean amInterested;
    boolean peerChoking = true;
    boolean peerInterested;
    boolean snubbed;
    /** Last time it sent a block we asked for, or when requests to it last started. */
    Instant lastBlock;
    int badRequests;
    /** A block of the batch being handled arrived: ask for more once the batch is done. */
    boolean moreRequestsDue;
    /** Requests of the batch being handled were queued: serve them once the batch is done. */
    boolean serveDue;
    /** Payload exchanged with this peer across its connections, found once per connection. */
    Exchange exchange;
    /** Which extensions the peer speaks, under which ids (BEP 10). */
    final Extensions.PeerState extensions = new Extensions.PeerState();
    /** It told us its DHT port (BEP 5), which we pinged: later ones are ignored. */
    boolean dhtPortHeard;
    /** This peer as the torrent's extensions see it; made when first needed. */
    ExtensionPeer extensionView;
    /** BEP 52 hash requests it made in the second {@link #hashSecond} (epoch seconds), to bound their rate. */
    int hashRequests;
    long hashSecond;
    /** The Fast extension's state (BEP 6), or null when the two handshakes did not both set its bit. */
    final FastState fast;

    /** Payload counters of one peer (address and id) over a session's life; session thread only. */
    static final class Exchange {
        final String address;
        final String client;
        final String peerId;
        final String encryption;
        long downloaded;
        long uploaded;

        Exchange(String address, String client, String peerId, String encryption) {
            this.address = address;
            this.client = client;
            this.peerId = peerId;
            this.encryption = encryption;
        }
    }

    /** @param fast whether both handshakes set the Fast extension's bit (BEP 6) */
    Peer(long key, PeerConnection connection, PeerAddress dialled, int pieceCount, Instant now, boolean fast) {
        this.fast = fast ? new FastState() : null;
        this.key = key;
        this.connection = connection;
        this.id = connection.remote().peerId();
        this.dialled = dialled;
        this.has = new Bitfield(pieceCount);
        this.connectedAt = now;
        this.lastBlock = now;
    }

    /** Requests sent to this peer at once at most: our pipeline's cap, or the peer's {@code reqq} when smaller. */
    int maxRequests() {
        return Math.min(dev.jtorr.domain.peer.RequestPipeline.DEFAULT_MAX,
                extensions.requestQueueOr(dev.jtorr.domain.peer.RequestPipeline.DEFAULT_MAX));
    }

    /** Whether the peer's extension handshake says it only uploads (BEP 21's {@code upload_only}). */
    boolean uploadOnly() {
        return extensions.uploadOnly();
    }

    boolean isSeed() {
        return has.isComplete();
    }

    @Override
    public String toString() {
        return connection.address() + " (" + id.client() + ")";
    }
}
