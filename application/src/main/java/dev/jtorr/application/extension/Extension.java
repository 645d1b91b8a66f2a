package dev.jtorr.application.extension;

import dev.jtorr.domain.bencode.BDictionary;

/**
 * One BEP 10 extension of one torrent (ut_metadata, ut_pex, ...): named in our extension handshake, told which peers
 * speak it, and handed the messages they send under its name. Called on the engine's thread; must not block.
 */
public interface Extension {
    /** The name in the extension handshake's {@code m} dictionary, e.g. {@code ut_metadata}. */
    String name();

    /** Adds this extension's keys to our extension handshake (ut_metadata: {@code metadata_size}). */
    default void handshake(BDictionary.Builder ours) {
    }

    /** A peer's extension handshake named this extension too: it may be sent messages from now on. */
    default void peerSupports(ExtensionPeer peer) {
    }

    /** {@code peer} sent a message for this extension. */
    void received(ExtensionPeer peer, byte[] payload);

    /** {@code peer} is gone (or this torrent stopped talking to it). */
    default void peerLeft(ExtensionPeer peer) {
    }

    /** Makes a torrent's instance of an extension; the engine asks once per torrent added. */
    @FunctionalInterface
    interface Factory {
        /** @param torrent the torrent's id (its v1 info-hash in hex) */
        Extension forTorrent(String torrent);
    }
}
