package dev.jtorr.domain.metainfo;

/**
 * How soon a wanted file's pieces are fetched, as Transmission and libtorrent let users say it: the pieces of high
 * files are started before any other, those of low files only when nothing else the peer has is left. Within a
 * level, the usual order holds (rarest first, or index order when sequential). A file not wanted is no level: it is
 * not fetched at all.
 */
public enum FilePriority {
    LOW, NORMAL, HIGH
}
