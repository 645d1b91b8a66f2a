package dev.jtorr.domain.dht;

import dev.jtorr.domain.peer.PeerAddress;

/** A DHT node: its id and the UDP address it answers on. */
public record Contact(NodeId id, PeerAddress address) {
}
