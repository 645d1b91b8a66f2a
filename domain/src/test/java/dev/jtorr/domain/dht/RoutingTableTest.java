package dev.jtorr.domain.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SplittableRandom random = new SplittableRandom(7);
    private final NodeId own = NodeId.ofHex("0000000000000000000000000000000000000000");
    private int hosts;

    private Contact contact(NodeId id) {
        hosts++;
        return new Contact(id, new PeerAddress("10.1." + (hosts / 250) + "." + (hosts % 250 + 1), 6881));
    }

    @Test
    void farNodesFillOneBucketOfEightAndTheRestWait() {
        var table = new RoutingTable(own, t0);
        // ids starting with bit 1: all in the bucket farthest from our id, which cannot be split once split away
        for (int i = 0; i < 20; i++) {
            byte[] b = NodeId.random(random).bytes();
            b[0] |= (byte) 0x80;
            table.replied(contact(new NodeId(b)), t0);
        }
        assertEquals(RoutingTable.K, table.size(t0));
        assertEquals(2, table.bucketCount());
    }

    @Test
    void theBucketHoldingOurIdSplitsSoNearNodesAllFit() {
        var table = new RoutingTable(own, t0);
        for (int prefix = 1; prefix <= 40; prefix++) {
            table.replied(contact(own.randomWithPrefix(prefix, random)), t0);
        }
        assertEquals(40, table.size(t0));
        assertTrue(table.bucketCount() > 30);
    }

    @Test
    void aNodeGoesQuestionableThenBadAndAReplacementTakesItsPlace() {
        var table = new RoutingTable(own, t0);
        Contact[] far = new Contact[RoutingTable.K + 1];
        for (int i = 0; i < far.length; i++) {
            byte[] b = NodeId.random(random).bytes();
            b[0] |= (byte) 0x80;
            far[i] = contact(new NodeId(b));
        }
        for (int i = 0; i < RoutingTable.K; i++) {
            table.replied(far[i], t0);
        }
        table.replied(own.randomWithPrefix(3, random).equals(own) ? far[0] : contact(own.randomWithPrefix(3, random)),
                t0);
        Instant later = t0.plus(Duration.ofMinutes(16));
        assertEquals(RoutingTable.State.QUESTIONABLE, table.state(far[0].id(), later).orElseThrow());
        // a full bucket of questionable nodes: the newcomer waits, and we are told whom to ping
        assertTrue(table.replied(far[RoutingTable.K], later).isPresent());
        table.failed(far[0].id(), later);
        table.failed(far[0].id(), later);
        assertTrue(table.state(far[0].id(), later).isEmpty());
        assertTrue(table.state(far[RoutingTable.K].id(), later).isPresent());
    }

    @Test
    void aKnownIdFromAnotherAddressDoesNotMoveTheEntry() {
        var table = new RoutingTable(own, t0);
        Contact c = contact(own.randomWithPrefix(2, random));
        table.replied(c, t0);
        table.replied(new Contact(c.id(), new PeerAddress("192.0.2.9", 1)), t0);
        assertEquals(c.address(), table.closest(c.id(), 1, t0).get(0).address());
    }

    @Test
    void closestIsOrderedByXorDistance() {
        var table = new RoutingTable(own, t0);
        for (int i = 0; i < 30; i++) {
            table.replied(contact(NodeId.random(random)), t0);
        }
        NodeId target = NodeId.random(random);
        var closest = table.closest(target, 8, t0);
        for (int i = 1; i < closest.size(); i++) {
            assertTrue(target.compareDistance(closest.get(i - 1).id(), closest.get(i).id()) < 0);
        }
    }
}
