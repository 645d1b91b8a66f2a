package dev.jtorr.application.port.out;

import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.Encryption;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.util.List;

/**
 * One established peer connection, after both handshakes. {@link #send} queues and never blocks; a connection whose
 * queue cannot drain is closed by the adapter. Thread-safe.
 */
public interface PeerConnection {
    PeerAddress address();

    /** The peer's handshake: its peer id and feature bits. */
    Handshake remote();

    /** Whether we dialled the peer (as opposed to it dialling us). */
    boolean outgoing();

    /** How the connection is protected: plain text, an encrypted handshake, or RC4 throughout. */
    Encryption encryption();

    /** Queues a message for sending. */
    void send(PeerMessage message);

    /** Bytes queued and not yet written to the socket. */
    long queuedBytes();

    /** Closes the connection; {@link Handler#closed} follows. */
    void close(String reason);

    /** What happens on a connection, called from the adapter's threads in order for each connection. */
    interface Handler {
        /** Handshakes exchanged; messages may be sent from now on. */
        void connected(PeerConnection connection);

        /** A message arrived. */
        void received(PeerConnection connection, PeerMessage message);

        /** Several messages arrived together, in this order; as {@link #receivedAll(PeerConnection, List, Runnable)}. */
        default void receivedAll(PeerConnection connection, List<PeerMessage> messages) {
            receivedAll(connection, messages, () -> { });
        }

        /**
         * Several messages arrived together, in this order; by default, each is {@link #received} in turn. Called
         * from the connection's reader, it may block while earlier messages of the connection are still unhandled,
         * so that a peer cannot queue unbounded work (the reader then stops reading and TCP pushes back).
         *
         * <p>The data of {@link PeerMessage.Piece} messages may be a read-only view of the connection's read
         * buffer rather than a copy: it stays unchanged until {@code handled} runs, which the handler does once,
         * when it no longer reads the messages (also when it drops them). Until then the connection reads into
         * other memory.
         */
        default void receivedAll(PeerConnection connection, List<PeerMessage> messages, Runnable handled) {
            try {
                for (PeerMessage m : messages) {
                    received(connection, m);
                }
            } finally {
                handled.run();
            }
        }

        /** The send queue has drained below its low-water mark: more may be queued. */
        default void drained(PeerConnection connection) {
        }

        /** The connection is gone: closed by either side, a timeout, or a protocol error. */
        void closed(PeerConnection connection, String reason);

        /** Dialling failed before the handshakes completed (outgoing connections only). */
        void failed(PeerAddress address, String reason);
    }
}
