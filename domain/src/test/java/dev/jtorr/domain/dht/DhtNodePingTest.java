package dev.jtorr.domain.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A node named by a peer's BEP 5 {@code port} message is pinged, and enters the table only if it answers. */
class DhtNodePingTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SplittableRandom random = new SplittableRandom(5);
    private final PeerAddress ourAddress = new PeerAddress("10.0.0.1", 6881);
    private final PeerAddress theirAddress = new PeerAddress("10.0.0.2", 7000);
    private final DhtNode ours = new DhtNode(NodeId.random(random), List.of(), random, DhtNode.Config.DEFAULT, t0);
    private final DhtNode theirs = new DhtNode(NodeId.random(random), List.of(), random, DhtNode.Config.DEFAULT, t0);

    @Test
    void aNodeThatAnswersThePingEntersTheTable() {
        ours.ping(theirAddress, t0);
        List<DhtNode.Datagram> sent = ours.drain();
        assertEquals(1, sent.size());
        assertEquals(theirAddress, sent.get(0).address());

        theirs.receive(ourAddress, sent.get(0).bytes(), t0);
        // it answers, and (as for any querying node) pings us back: only the answer matters here
        DhtNode.Datagram answer = theirs.drain().stream()
                .filter(d -> KrpcCodec.decode(d.bytes()) instanceof KrpcMessage.Response).findFirst().orElseThrow();
        ours.receive(theirAddress, answer.bytes(), t0);
        assertEquals(1, ours.tableSize(t0));
        assertEquals(theirs.id(), ours.contacts(t0).get(0).id());
    }

    @Test
    void aNodeThatNeverAnswersStaysOut() {
        ours.ping(theirAddress, t0);
        ours.drain();
        ours.tick(t0.plus(Duration.ofMinutes(1)));
        assertEquals(0, ours.tableSize(t0.plus(Duration.ofMinutes(1))));
        assertEquals(0, ours.pendingQueries());
    }

    @Test
    void anAnswerFromAnotherAddressDoesNotCount() {
        ours.ping(theirAddress, t0);
        theirs.receive(ourAddress, ours.drain().get(0).bytes(), t0);
        DhtNode.Datagram answer = theirs.drain().stream()
                .filter(d -> KrpcCodec.decode(d.bytes()) instanceof KrpcMessage.Response).findFirst().orElseThrow();
        ours.receive(new PeerAddress("10.0.0.3", 7000), answer.bytes(), t0);
        assertEquals(0, ours.tableSize(t0));
    }

    @Test
    void pingsStopWhenHalfThePendingQueriesAreTaken() {
        for (int i = 0; i < 1_000; i++) {
            ours.ping(new PeerAddress("10.1." + i / 250 + "." + (i % 250 + 1), 6881), t0);
        }
        assertEquals(DhtNode.Config.DEFAULT.maxPending() / 2, ours.drain().size());
    }
}
