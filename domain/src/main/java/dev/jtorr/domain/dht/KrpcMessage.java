package dev.jtorr.domain.dht;

import dev.jtorr.domain.peer.PeerAddress;
import java.util.Arrays;
import java.util.List;

/**
 * A KRPC message of BEP 5: a query, a response or an error, each carrying the transaction id that pairs a response
 * with its query. Only the fields jtorr uses are kept; the codec ({@link KrpcCodec}) checks their types and sizes.
 */
public sealed interface KrpcMessage {
    byte[] transaction();

    /** The query methods of BEP 5. */
    enum Method {
        PING("ping"), FIND_NODE("find_node"), GET_PEERS("get_peers"), ANNOUNCE_PEER("announce_peer");

        final String wire;

        Method(String wire) {
            this.wire = wire;
        }

        static Method of(String wire) {
            for (Method m : values()) {
                if (m.wire.equals(wire)) {
                    return m;
                }
            }
            return null;
        }
    }

    /**
     * A query. {@code target} is the find_node target or the get_peers/announce_peer info-hash (null for ping);
     * {@code token} and {@code port} belong to announce_peer; {@code readOnly} is BEP 43's {@code ro} flag.
     */
    record Query(byte[] transaction, Method method, NodeId sender, NodeId target, byte[] token, int port,
                 boolean impliedPort, boolean readOnly) implements KrpcMessage {
        public Query {
            transaction = transaction.clone();
            token = token == null ? null : token.clone();
        }

        public static Query ping(byte[] tid, NodeId sender) {
            return new Query(tid, Method.PING, sender, null, null, 0, false, false);
        }

        public static Query findNode(byte[] tid, NodeId sender, NodeId target) {
            return new Query(tid, Method.FIND_NODE, sender, target, null, 0, false, false);
        }

        public static Query getPeers(byte[] tid, NodeId sender, NodeId infoHash) {
            return new Query(tid, Method.GET_PEERS, sender, infoHash, null, 0, false, false);
        }

        public static Query announcePeer(byte[] tid, NodeId sender, NodeId infoHash, int port, byte[] token) {
            return new Query(tid, Method.ANNOUNCE_PEER, sender, infoHash, token, port, false, false);
        }

        /** This query as a read-only node sends it (BEP 43). */
        public Query asReadOnly() {
            return new Query(transaction, method, sender, target, token, port, impliedPort, true);
        }

        @Override
        public byte[] transaction() {
            return transaction.clone();
        }
    }

    /**
     * A response: the responder's id, and the nodes, peer values and token a query asked for (each may be empty);
     * {@code requester} is the top-level {@code ip} of BEP 42, the address the responder saw the query come from
     * (null when absent).
     */
    record Response(byte[] transaction, NodeId sender, List<Contact> nodes, List<PeerAddress> values, byte[] token,
                    PeerAddress requester) implements KrpcMessage {
        public Response {
            transaction = transaction.clone();
            nodes = List.copyOf(nodes);
            values = List.copyOf(values);
            token = token == null ? null : token.clone();
        }

        /** A response that does not say where the query came from. */
        public Response(byte[] transaction, NodeId sender, List<Contact> nodes, List<PeerAddress> values,
                        byte[] token) {
            this(transaction, sender, nodes, values, token, null);
        }

        @Override
        public byte[] transaction() {
            return transaction.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Response r && Arrays.equals(transaction, r.transaction) && sender.equals(r.sender)
                    && nodes.equals(r.nodes) && values.equals(r.values) && Arrays.equals(token, r.token)
                    && java.util.Objects.equals(requester, r.requester);
        }

        @Override
        public int hashCode() {
            return sender.hashCode();
        }
    }

    /** An error: 201 generic, 202 server, 203 protocol, 204 method unknown. */
    record Error(byte[] transaction, int code, String message) implements KrpcMessage {
        public Error {
            transaction = transaction.clone();
        }

        @Override
        public byte[] transaction() {
            return transaction.clone();
        }
    }
}
