package dev.jtorr.domain.metainfo;

/** Which hash scheme a torrent carries: v1 (BEP 3, SHA-1 pieces), v2 (BEP 52, SHA-256 merkle) or both. */
public enum TorrentVersion {
    V1, V2, HYBRID;

    public boolean hasV1() {
        return this != V2;
    }

    public boolean hasV2() {
        return this != V1;
    }
}
