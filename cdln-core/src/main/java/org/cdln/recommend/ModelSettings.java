package org.cdln.recommend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdln.settings.InvalidSettingException;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;
import org.cdln.settings.Settings;

/**
 * What a model records of how it was made: the typed, versioned settings it was fitted with
 * ({@link #declared()}, validated by their declarations; null for models whose estimator records
 * none, such as AltMin and the baselines) and the rest of its provenance as text (data, backend,
 * timings, how automatic settings were chosen). The model file stores the two apart, each
 * setting with its declared type ({@link ModelFile}); {@link #asText()} is the flat view older
 * readers and the CLI print.
 *
 * @param declared   the fitted settings (automatic ones with the value they took), or null
 * @param provenance everything else, in order
 */
record ModelSettings(Settings declared, Map<String, String> provenance) {
    /** The text key under which the flat view records the declarations' version. */
    static final String VERSION_KEY = "settings_version";

    /** The declarations a model file may record settings of. */
    static final List<Schema> KNOWN = List.of(DeepMatrixCompletion.SCHEMA);

    ModelSettings {
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** The declarations called {@code name}, or null. */
    static Schema schema(String name) {
        for (Schema s : KNOWN) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /**
     * The record read from its flat text view: when the view carries {@value #VERSION_KEY}, every
     * declared setting is parsed and validated by its declaration; the other entries are provenance.
     *
     * @throws IllegalArgumentException for a newer declarations version, a missing setting or a refused value
     */
    static ModelSettings fromText(Map<String, String> text) {
        String version = text.get(VERSION_KEY);
        if (version == null) {
            return new ModelSettings(null, text);
        }
        Schema schema = DeepMatrixCompletion.SCHEMA;
        int v;
        try {
            v = Integer.parseInt(version.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the model's " + VERSION_KEY + " '" + version + "' is not a version number");
        }
        requireKnownVersion(schema, v);
        Map<String, String> rest = new LinkedHashMap<>(text);
        rest.remove(VERSION_KEY);
        Settings s = schema.defaults();
        List<String> missing = new ArrayList<>();
        for (Setting<?> setting : schema.settings()) {
            String value = rest.remove(setting.key());
            if (value == null) {
                missing.add(setting.name());
            } else {
                s = s.withText(setting, value);
            }
        }
        requireComplete(schema, v, missing);
        return new ModelSettings(s, rest);
    }

    /** Refuses a record of declarations newer than this cdln's. */
    static void requireKnownVersion(Schema schema, int version) {
        if (version > schema.version()) {
            throw new IllegalArgumentException("the model's settings follow " + schema.name() + " declarations version "
                    + version + "; this cdln knows versions up to " + schema.version() + ": use a newer cdln");
        }
        if (version < 1) {
            throw new IllegalArgumentException("the model's settings record has version " + version
                    + ", which no cdln writes");
        }
    }

    /** Refuses a record that lacks some of its declarations' settings. */
    static void requireComplete(Schema schema, int version, List<String> missing) {
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the model's settings record (" + schema.name() + " v" + version
                    + ") lacks " + String.join(", ", missing) + "; it was not written by cdln: fit and save the model "
                    + "again");
        }
    }

    /** {@code value} checked as the value of {@code s}, the refusal naming the setting. */
    static Settings with(Settings settings, Setting<?> s, Object value) {
        try {
            return settings.with(s, value);
        } catch (InvalidSettingException e) {
            throw new IllegalArgumentException("the model's setting " + e.getMessage(), e);
        }
    }

    /**
     * The flat view: the "model" entry, every declared setting (snake_case key, text value), the
     * declarations' version, then the rest of the provenance.
     */
    Map<String, String> asText() {
        if (declared == null) {
            return provenance;
        }
        Map<String, String> m = new LinkedHashMap<>();
        if (provenance.containsKey("model")) {
            m.put("model", provenance.get("model"));
        }
        for (Map.Entry<String, String> e : declared.asText().entrySet()) {
            m.put(declared.schema().setting(e.getKey()).key(), e.getValue());
        }
        m.put(VERSION_KEY, String.valueOf(declared.schema().version()));
        for (Map.Entry<String, String> e : provenance.entrySet()) {
            m.putIfAbsent(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(m);
    }
}
