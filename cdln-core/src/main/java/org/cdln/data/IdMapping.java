package org.cdln.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * An immutable bijection between the raw ids of a ratings file (user or item ids, kept as
 * strings) and the dense indices 0..n−1 that index the rows or columns of the rating matrix.
 *
 * <p>{@link #sorted} orders ids numerically when every id is an integer (MovieLens user 1 gets
 * index 0, user 943 index 942) and lexicographically otherwise, so that the indices do not depend
 * on the order of the lines in a file. Look-ups cost O(1); memory O(n).
 */
public final class IdMapping {
    private final String[] ids;
    private final Map<String, Integer> index;

    private IdMapping(String[] ids) {
        this.ids = ids;
        this.index = new HashMap<>(ids.length * 2);
        for (int k = 0; k < ids.length; k++) {
            if (ids[k] == null) {
                throw new IllegalArgumentException("id " + k + " is null; ids must be non-null strings");
            }
            if (index.put(ids[k], k) != null) {
                throw new IllegalArgumentException("id '" + ids[k] + "' appears twice; ids must be distinct");
            }
        }
    }

    /** The ids in the given order (copied): id k gets index k. */
    public static IdMapping of(List<String> ids) {
        return new IdMapping(ids.toArray(new String[0]));
    }

    /**
     * The distinct ids of the collection, sorted numerically when all are integers, else
     * lexicographically (duplicates are dropped). O(n log n).
     */
    public static IdMapping sorted(Collection<String> ids) {
        String[] distinct = new LinkedHashSet<>(ids).toArray(new String[0]);
        Arrays.sort(distinct, allIntegers(distinct) ? NUMERIC : Comparator.naturalOrder());
        return new IdMapping(distinct);
    }

    /** The union of two mappings' ids, sorted as in {@link #sorted}. */
    public static IdMapping union(IdMapping a, IdMapping b) {
        List<String> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a.ids());
        all.addAll(b.ids());
        return sorted(all);
    }

    private static final Comparator<String> NUMERIC = (x, y) -> {
        int c = new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y));
        return c != 0 ? c : x.compareTo(y);
    };

    private static boolean allIntegers(String[] ids) {
        for (String s : ids) {
            if (s.isEmpty()) {
                return false;
            }
            int start = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
            if (start == s.length()) {
                return false;
            }
            for (int k = start; k < s.length(); k++) {
                if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                    return false;
                }
            }
        }
        return true;
    }

    /** n, the number of ids. */
    public int size() {
        return ids.length;
    }

    /**
     * The raw id of index k.
     *
     * @throws IndexOutOfBoundsException if k is not in [0, n)
     */
    public String id(int k) {
        return ids[k];
    }

    /** The index of a raw id, or −1 when the id is unknown. */
    public int indexOf(String id) {
        Integer k = index.get(id);
        return k == null ? -1 : k;
    }

    /** True when the raw id is known. */
    public boolean contains(String id) {
        return index.containsKey(id);
    }

    /** The ids in index order (an unmodifiable view). */
    public List<String> ids() {
        return List.of(ids);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdMapping m && Arrays.equals(ids, m.ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "IdMapping[" + ids.length + " ids" + (ids.length > 0 ? ", " + ids[0] + " … " + ids[ids.length - 1] : "")
                + "]";
    }
}
