package dev.jtorr.domain.bencode;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A bencoded dictionary. Entries are kept in canonical order (keys as raw bytes, ascending), so encoding is
 * canonical by construction. The typed getters return empty when a key is absent or holds another type.
 */
public record BDictionary(SortedMap<BString, BValue> entries) implements BValue {
    /** The keys looked up once per file of a torrent, encoded once (a torrent may list a million files). */
    private static final Map<String, BString> KEYS = Stream.of("", "attr", "length", "path", "pieces root",
            "symlink path").collect(Collectors.toUnmodifiableMap(k -> k, BString::of));

    public BDictionary {
        // a map the decoder or a builder made for this dictionary alone is kept as it is, not copied again
        entries = Collections.unmodifiableSortedMap(entries instanceof Owned owned ? owned : new TreeMap<>(entries));
    }

    /**
     * A map only this package fills, for one dictionary, and never touches again once the dictionary is made.
     */
    static final class Owned extends TreeMap<BString, BValue> {
    }

    private static BString key(String key) {
        BString k = KEYS.get(key);
        return k != null ? k : BString.of(key);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<BValue> get(String key) {
        return Optional.ofNullable(entries.get(key(key)));
    }

    public boolean containsKey(String key) {
        return entries.containsKey(key(key));
    }

    public Optional<BString> getString(String key) {
        return get(key).filter(BString.class::isInstance).map(BString.class::cast);
    }

    public Optional<BInteger> getInteger(String key) {
        return get(key).filter(BInteger.class::isInstance).map(BInteger.class::cast);
    }

    public Optional<BList> getList(String key) {
        return get(key).filter(BList.class::isInstance).map(BList.class::cast);
    }

    public Optional<BDictionary> getDictionary(String key) {
        return get(key).filter(BDictionary.class::isInstance).map(BDictionary.class::cast);
    }

    /** Collects entries; later puts of the same key replace earlier ones. Not thread-safe. */
    public static final class Builder {
        private final TreeMap<BString, BValue> entries = new TreeMap<>();

        public Builder put(String key, BValue value) {
            entries.put(BString.of(key), value);
            return this;
        }

        public Builder put(String key, String value) {
            return put(key, BString.of(value));
        }

        public Builder put(String key, long value) {
            return put(key, BInteger.of(value));
        }

        public Builder put(String key, byte[] value) {
            return put(key, new BString(value));
        }

        public Builder put(BString key, BValue value) {
            entries.put(key, value);
            return this;
        }

        public BDictionary build() {
            var owned = new Owned();
            owned.putAll(entries);
            return new BDictionary(owned);
        }
    }
}
