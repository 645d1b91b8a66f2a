package dev.jtorr.domain.bencode;

import java.util.List;

/** A bencoded list; the element list is an unmodifiable copy. */
public record BList(List<BValue> values) implements BValue {
    public BList {
        values = List.copyOf(values);
    }

    public static BList of(BValue... values) {
        return new BList(List.of(values));
    }
}
