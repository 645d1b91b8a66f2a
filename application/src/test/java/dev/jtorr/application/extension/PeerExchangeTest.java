package dev.jtorr.application.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.tracker.Endpoint;
import dev.jtorr.domain.wire.PexMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BEP 11 on a virtual clock: what is sent to whom and when, and what is taken from what peers send. */
class PeerExchangeTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Set<ExtensionPeer> connected = new LinkedHashSet<>();
    private final List<PeerAddress> pool = new ArrayList<>();
    private final PeerExchange pex = new PeerExchange(() -> List.copyOf(connected), pool::addAll, () -> now);

    private static final class FakePeer implements ExtensionPeer {
        final PeerAddress address;
        final boolean seed;
        final boolean encrypted;
        final List<PexMessage> sent = new ArrayList<>();
        String closed;

        FakePeer(String address, boolean seed, boolean encrypted) {
            this.address = PeerAddress.parse(address);
            this.seed = seed;
            this.encrypted = encrypted;
        }

        @Override
        public PeerAddress address() {
            return address;
        }

        @Override
        public Optional<PeerAddress> listenAddress() {
            return Optional.of(address);
        }

        @Override
        public boolean outgoing() {
            return true;
        }

        @Override
        public boolean seed() {
            return seed;
        }

        @Override
        public boolean encrypted() {
            return encrypted;
        }

        @Override
        public boolean supports(String extension) {
            return extension.equals(PeerExchange.NAME);
        }

        @Override
        public BDictionary handshake() {
            return BDictionary.builder().build();
        }

        @Override
        public void send(String extension, byte[] payload) {
            sent.add(PexMessage.decode(payload));
        }

        @Override
        public void close(String reason) {
            closed = reason;
        }
    }

    private FakePeer join(String address, boolean seed, boolean encrypted) {
        var p = new FakePeer(address, seed, encrypted);
        connected.add(p);
        pex.peerSupports(p);
        return p;
    }

    private static Endpoint at(String address) {
        return Endpoint.of(PeerAddress.parse(address)).orElseThrow();
    }

    private void after(int seconds) {
        now = now.plusSeconds(seconds);
        pex.tick(now);
    }

    @Test
    void theFirstMessageGoesAtOnceWithFlagsAndNeverNamesItsReceiver() {
        join("10.0.0.1:1", true, false);
        join("[2001:db8::2]:2", false, true);
        var c = join("10.0.0.3:3", false, false);
        assertEquals(1, c.sent.size());
        assertEquals(List.of(new PexMessage.Added(at("10.0.0.1:1"), PexMessage.SEED | PexMessage.REACHABLE),
                new PexMessage.Added(at("[2001:db8::2]:2"), PexMessage.PREFERS_ENCRYPTION | PexMessage.REACHABLE)),
                c.sent.get(0).added());
    }

    @Test
    void atMostOneMessageAMinuteWithWhatWasAddedAndDroppedSince() {
        var a = join("10.0.0.1:1", false, false);
        var b = join("10.0.0.2:2", false, false);
        assertEquals(0, a.sent.size(), "nothing to tell a when it came");
        after(1);
        assertEquals(1, a.sent.size(), "a hears of b at the next tick");
        var c = join("10.0.0.3:3", false, false);
        connected.remove(b);
        pex.peerLeft(b);
        after(30);
        assertEquals(1, a.sent.size(), "not twice within a minute");
        after(29);
        assertEquals(1, a.sent.size());
        after(1);
        assertEquals(2, a.sent.size());
        assertEquals(List.of(new PexMessage.Added(at("10.0.0.3:3"), PexMessage.REACHABLE)), a.sent.get(1).added());
        assertEquals(List.of(at("10.0.0.2:2")), a.sent.get(1).dropped());
        after(60);
        assertEquals(2, a.sent.size(), "nothing changed, nothing sent");
        assertEquals(2, c.sent.size(), "c heard of a and b at once, and that b left a minute later");
        assertEquals(List.of(at("10.0.0.2:2")), c.sent.get(1).dropped());
    }

    @Test
    void theFirstMessageListsAtMostFiftyPeers() {
        for (int i = 1; i <= 70; i++) {
            connected.add(new FakePeer("10.0.1." + i + ":1", false, false));
        }
        var a = join("10.0.0.1:1", false, false);
        assertEquals(50, a.sent.get(0).added().size());
        after(60);
        assertEquals(20, a.sent.get(1).added().size(), "the rest a minute later");
    }

    private static byte[] message(String... added) {
        return new PexMessage(List.of(added).stream().map(a -> new PexMessage.Added(at(a), 0)).toList(), List.of())
                .encode();
    }

    @Test
    void learnedPeersFeedThePoolOnceEachAndNotTheSendersOwnAddress() {
        var a = join("10.0.0.1:1", false, false);
        pex.received(a, message("10.0.0.7:7", "10.0.0.1:1", "[::1]:8"));
        after(30);
        pex.received(a, message("10.0.0.7:7", "10.0.0.9:9"));
        assertEquals(List.of(PeerAddress.parse("10.0.0.7:7"), PeerAddress.parse("[::1]:8"),
                PeerAddress.parse("10.0.0.9:9")), pool);
        assertNull(a.closed);
    }

    @Test
    void onePeerAddsABoundedNumberOfAddresses() {
        var a = join("10.0.0.1:1", false, false);
        for (int m = 0; m < 10; m++) {
            var addresses = new String[50];
            for (int i = 0; i < 50; i++) {
                addresses[i] = "10." + m + ".0." + (i + 1) + ":1";
            }
            pex.received(a, message(addresses));
            after(60);
        }
        assertEquals(PeerExchange.MAX_FROM_ONE_PEER, pool.size());
    }

    @Test
    void pastTheTorrentsBudgetTheOldestAddressesAreForgottenSoNewOnesStillArrive() {
        int sent = 0;
        for (int p = 0; sent <= PeerExchange.MAX_LEARNED; p++) {
            var peer = join("10.1." + p + ".1:1", false, false);
            var addresses = new String[PeerExchange.MAX_FROM_ONE_PEER / 4];
            for (int i = 0; i < addresses.length; i++, sent++) {
                addresses[i] = "10.2." + sent / 200 + "." + (sent % 200 + 1) + ":1";
            }
            pex.received(peer, message(addresses));
        }
        assertEquals(sent, pool.size(), "a long-lived torrent keeps learning peers");
        var late = join("10.3.0.1:1", false, false);
        pex.received(late, message("10.2.0.1:1"));
        assertEquals(sent + 1, pool.size(), "the oldest address was forgotten: it may be learned again");
    }

    @Test
    void aPeerThatDropsAnAddressLetsItBeLearnedAgain() {
        var a = join("10.0.0.1:1", false, false);
        pex.received(a, message("10.0.0.7:7"));
        after(60);
        pex.received(a, new PexMessage(List.of(), List.of(at("10.0.0.7:7"))).encode());
        after(60);
        pex.received(a, message("10.0.0.7:7"));
        assertEquals(List.of(PeerAddress.parse("10.0.0.7:7"), PeerAddress.parse("10.0.0.7:7")), pool);
    }

    @Test
    void aPeerThatFloodsIsDroppedAndAMalformedMessageIsAProtocolError() {
        var a = join("10.0.0.1:1", false, false);
        for (int i = 0; i < PeerExchange.MAX_MESSAGES_PER_INTERVAL; i++) {
            pex.received(a, message("10.0.0.7:7"));
        }
        assertNull(a.closed);
        pex.received(a, message("10.0.0.8:8"));
        assertTrue(a.closed.contains("flood"), a.closed);
        var b = join("10.0.0.2:2", false, false);
        assertThrows(InvalidDataException.class, () -> pex.received(b, "d5:added5:12345e".getBytes()));
    }

    @Test
    void itNeverSendsToAPeerThatLeft() {
        var a = join("10.0.0.1:1", false, false);
        connected.remove(a);
        pex.peerLeft(a);
        join("10.0.0.2:2", false, false);
        after(120);
        assertEquals(List.of(), a.sent);
    }
}
