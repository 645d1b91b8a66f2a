package dev.jtorr.domain.bencode;

/**
 * A bencoded value (BEP 3): a byte string, an integer, a list or a dictionary.
 * All implementations are immutable and safe to share between threads.
 */
public sealed interface BValue permits BString, BInteger, BList, BDictionary {
}
