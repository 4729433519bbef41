package org.cdln.io;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * A stable identity for a set of settings: SHA-256 of a canonical text of their values, as 16
 * hex digits (64 bits). The canonical text lists every component of a record by name in
 * declaration order — {@code name=value;} — with doubles as their IEEE-754 bits (so 0.1 and
 * 0.1000000001 differ, and -0.0 differs from 0.0), enums by name, arrays, lists and maps element
 * by element, nested records recursively, and null as {@code null}. Unlike a {@code toString}
 * hash it does not change when a record's printing changes and does not collide after 2¹⁶ runs.
 * Cost: linear in the number of values.
 */
public final class SettingsDigest {
    private SettingsDigest() {
    }

    /** The digest of a record's components, leaving out those named in {@code excluded}. */
    public static String of(Record settings, Set<String> excluded) {
        StringBuilder s = new StringBuilder();
        canonical(settings, excluded, s);
        return digest(s.toString());
    }

    /** The digest of a record's components. */
    public static String of(Record settings) {
        return of(settings, Set.of());
    }

    /** The canonical text the digest is taken of (for messages and tests). */
    public static String canonicalText(Record settings, Set<String> excluded) {
        StringBuilder s = new StringBuilder();
        canonical(settings, excluded, s);
        return s.toString();
    }

    /** SHA-256 of UTF-8 text, first 8 bytes as hex. */
    public static String digest(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static void canonical(Record r, Set<String> excluded, StringBuilder s) {
        s.append(r.getClass().getSimpleName()).append('{');
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (excluded.contains(c.getName())) {
                continue;
            }
            Object v;
            try {
                c.getAccessor().setAccessible(true);
                v = c.getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read setting " + c.getName() + " of " + r.getClass(), e);
            }
            s.append(c.getName()).append('=');
            value(v, s);
            s.append(';');
        }
        s.append('}');
    }

    private static void value(Object v, StringBuilder s) {
        if (v == null) {
            s.append("null");
        } else if (v instanceof Double d) {
            s.append("d:").append(Long.toHexString(Double.doubleToRawLongBits(d)));
        } else if (v instanceof Float f) {
            s.append("f:").append(Integer.toHexString(Float.floatToRawIntBits(f)));
        } else if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
            s.append(v.getClass().getSimpleName().charAt(0)).append(':').append(v);
        } else if (v instanceof String str) {
            s.append("s:").append(str.length()).append(':').append(str);
        } else if (v instanceof Enum<?> e) {
            s.append("e:").append(e.name());
        } else if (v instanceof Record rec) {
            canonical(rec, Set.of(), s);
        } else if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            s.append('[');
            for (int i = 0; i < n; i++) {
                value(Array.get(v, i), s);
                s.append(',');
            }
            s.append(']');
        } else if (v instanceof Map<?, ?> m) {
            s.append('{');
            for (Map.Entry<?, ?> e : m.entrySet()) {
                value(e.getKey(), s);
                s.append("=>");
                value(e.getValue(), s);
                s.append(',');
            }
            s.append('}');
        } else if (v instanceof Collection<?> col) {
            s.append('[');
            for (Object o : col) {
                value(o, s);
                s.append(',');
            }
            s.append(']');
        } else {
            s.append("o:").append(v);
        }
    }
}
