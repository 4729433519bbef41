package org.cdln.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, validated set of values for a {@link Schema}'s settings: every setting has a
 * value of its type or {@link Setting#AUTO}. Read with {@link #get} (typed), {@link #isAuto} and
 * {@link #given}; change with {@link #with} (which validates, naming the setting). The text form
 * ({@link #asText}, {@link #fromText}) is the versioned record written to files.
 */
public final class Settings {
    private final Schema schema;
    private final Map<Setting<?>, Object> values;

    Settings(Schema schema, Map<Setting<?>, Object> values) {
        this.schema = schema;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The declarations these values follow. */
    public Schema schema() {
        return schema;
    }

    /**
     * The value of {@code s}.
     *
     * @throws IllegalStateException when it is auto (ask {@link #isAuto} or use {@link #given})
     */
    public <T> T get(Setting<T> s) {
        Object v = raw(s);
        if (v == Setting.AUTO) {
            throw new IllegalStateException(s.label() + " is auto: the estimator chooses it when fitting");
        }
        return s.type().cast(v);
    }

    /** Whether {@code s} is auto. */
    public boolean isAuto(Setting<?> s) {
        return raw(s) == Setting.AUTO;
    }

    /** The value of {@code s}, or empty when it is auto. */
    public <T> Optional<T> given(Setting<T> s) {
        Object v = raw(s);
        return v == Setting.AUTO ? Optional.empty() : Optional.of(s.type().cast(v));
    }

    /** The value of {@code s}: a value of its type, or {@link Setting#AUTO}. */
    public Object raw(Setting<?> s) {
        if (!values.containsKey(s)) {
            throw new IllegalArgumentException(schema.name() + " has no setting '" + s.name() + "'");
        }
        return values.get(s);
    }

    /**
     * These settings with {@code s} set to {@code value} ({@link Setting#AUTO} where allowed).
     *
     * @throws InvalidSettingException naming the setting, its allowed values and the value
     */
    public Settings with(Setting<?> s, Object value) {
        raw(s);
        Map<Setting<?>, Object> m = new LinkedHashMap<>(values);
        m.put(s, s.check(value));
        return new Settings(schema, m);
    }

    /** These settings with {@code s} parsed from text ("auto" where allowed). */
    public Settings withText(Setting<?> s, String text) {
        return with(s, s.parse(text));
    }

    /** name → value text for every setting, in declaration order ("auto" for auto). */
    public Map<String, String> asText() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<Setting<?>, Object> e : values.entrySet()) {
            m.put(e.getKey().name(), e.getKey().format(e.getValue()));
        }
        return m;
    }

    /**
     * Settings read back from {@link #asText}: every named setting parsed and validated, missing
     * ones at their defaults.
     *
     * @throws IllegalArgumentException for an unknown name or a refused value
     */
    public static Settings fromText(Schema schema, Map<String, String> text) {
        Settings s = schema.defaults();
        for (Map.Entry<String, String> e : text.entrySet()) {
            s = s.withText(schema.setting(e.getKey()), e.getValue());
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && s.schema == schema && s.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return schema.name() + " v" + schema.version() + " " + asText();
    }
}
