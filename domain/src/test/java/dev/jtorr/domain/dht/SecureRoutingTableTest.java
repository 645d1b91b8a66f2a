package dev.jtorr.domain.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BEP 42 in the routing table: nodes whose ids do not match their public address are kept, but a full bucket prefers
 * secure nodes: a secure node takes an insecure one's place, never the other way round.
 */
class SecureRoutingTableTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SplittableRandom random = new SplittableRandom(3);
    private final NodeId own = NodeId.ofHex("0000000000000000000000000000000000000000");
    private int hosts;

    /** A public address, and an id in the far half of the key space: secure for that address or not. */
    private Contact far(boolean secure) {
        hosts++;
        String host = "81.2." + (hosts / 250) + "." + (hosts % 250 + 1);
        while (true) {
            NodeId id = secure ? SecureId.generate(Compact.ipv4(host), random) : NodeId.random(random);
            if ((id.bytes()[0] & 0x80) != 0 && SecureId.isSecure(id, new PeerAddress(host, 1)) == secure) {
                return new Contact(id, new PeerAddress(host, 6881));
            }
        }
    }

    private RoutingTable fullOf(List<Contact> contacts) {
        var table = new RoutingTable(own, t0);
        contacts.forEach(c -> table.replied(c, t0));
        // a near node splits the first bucket away: the far bucket can no longer grow
        table.replied(new Contact(own.randomWithPrefix(5, random), new PeerAddress("10.9.9.9", 1)), t0);
        return table;
    }

    @Test
    void aSecureNodeTakesTheOldestInsecureNodesPlaceInAFullBucket() {
        List<Contact> insecure = new ArrayList<>();
        for (int i = 0; i < RoutingTable.K; i++) {
            insecure.add(far(false));
        }
        var table = fullOf(insecure);
        Contact secure = far(true);
        Instant later = t0.plusSeconds(60);
        table.heardFrom(insecure.get(0), later); // the first has been active since: the second is the oldest
        assertTrue(table.replied(secure, later).isEmpty());
        assertTrue(table.state(secure.id(), later).isPresent());
        assertTrue(table.state(insecure.get(1).id(), later).isEmpty());
        assertEquals(RoutingTable.K, table.closest(secure.id(), 100, later).stream()
                .filter(c -> (c.id().bytes()[0] & 0x80) != 0).count());
    }

    @Test
    void anInsecureNodeNeverTakesASecureNodesPlace() {
        List<Contact> secure = new ArrayList<>();
        for (int i = 0; i < RoutingTable.K; i++) {
            secure.add(far(true));
        }
        var table = fullOf(secure);
        Contact insecure = far(false);
        table.replied(insecure, t0.plusSeconds(60));
        assertTrue(table.state(insecure.id(), t0.plusSeconds(60)).isEmpty());
        secure.forEach(c -> assertTrue(table.state(c.id(), t0.plusSeconds(60)).isPresent()));
    }

    @Test
    void aFullBucketOfInsecureNodesHasRoomForASecureOneOnly() {
        List<Contact> insecure = new ArrayList<>();
        for (int i = 0; i < RoutingTable.K; i++) {
            insecure.add(far(false));
        }
        var table = fullOf(insecure);
        assertTrue(table.hasRoomFor(far(true), t0));
        assertFalse(table.hasRoomFor(far(false), t0));
    }

    @Test
    void aBadNodeGivesItsPlaceToTheNewestSecureReplacement() {
        List<Contact> nodes = new ArrayList<>();
        for (int i = 0; i < RoutingTable.K; i++) {
            nodes.add(far(true));
        }
        var table = fullOf(nodes);
        Contact secureWaiting = far(true);
        Contact insecureWaiting = far(false);
        table.replied(secureWaiting, t0);
        table.replied(insecureWaiting, t0);
        Instant later = t0.plus(Duration.ofMinutes(1));
        table.failed(nodes.get(0).id(), later);
        table.failed(nodes.get(0).id(), later);
        assertTrue(table.state(secureWaiting.id(), later).isPresent());
        assertTrue(table.state(insecureWaiting.id(), later).isEmpty());
    }

    @Test
    void nodesOnLocalNetworksCountAsSecureWhateverTheirIds() {
        var table = new RoutingTable(own, t0);
        List<Contact> local = new ArrayList<>();
        for (int i = 0; i < RoutingTable.K; i++) {
            byte[] b = NodeId.random(random).bytes();
            b[0] |= (byte) 0x80;
            local.add(new Contact(new NodeId(b), new PeerAddress("192.168.0." + (i + 1), 6881)));
        }
        var full = fullOf(local);
        Contact secure = far(true);
        full.replied(secure, t0);
        assertTrue(full.state(secure.id(), t0).isEmpty(), "a local node is not displaced");
        assertEquals(0, table.size(t0));
    }
}
