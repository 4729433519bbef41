package org.cdln.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of one estimator, in declaration order, with a version: what a front end enumerates
 * to offer options (each {@link Setting}'s name, description, type, rule, default, auto), and what
 * {@link Settings} values belong to. The version is written with every settings record, so a file
 * records which declarations its values follow.
 */
public final class Schema {
    private final String name;
    private final int version;
    private final List<Setting<?>> settings = new ArrayList<>();

    /**
     * @param name    the estimator, e.g. "deep matrix completion"
     * @param version the version of the declarations (raise it when a setting changes meaning)
     */
    public Schema(String name, int version) {
        this.name = name;
        this.version = version;
    }

    /** Registers a declaration (once per setting, at class initialisation) and returns it. */
    public synchronized <T> Setting<T> add(Setting<T> s) {
        for (Setting<?> o : settings) {
            if (o.name().equals(s.name())) {
                throw new IllegalArgumentException(name + " already declares a setting '" + s.name() + "'");
            }
        }
        settings.add(s);
        return s;
    }

    /** The estimator's name. */
    public String name() {
        return name;
    }

    /** The version of the declarations. */
    public int version() {
        return version;
    }

    /** Every declared setting, in declaration order. */
    public List<Setting<?>> settings() {
        return Collections.unmodifiableList(settings);
    }

    /** The declared setting called {@code name}. */
    public Setting<?> setting(String settingName) {
        for (Setting<?> s : settings) {
            if (s.name().equals(settingName)) {
                return s;
            }
        }
        throw new IllegalArgumentException(name + " has no setting '" + settingName + "'; it has "
                + settings.stream().map(Setting::name).toList());
    }

    /** Every setting at its declared default. */
    public Settings defaults() {
        Map<Setting<?>, Object> m = new LinkedHashMap<>();
        for (Setting<?> s : settings) {
            m.put(s, s.defaultValue());
        }
        return new Settings(this, m);
    }
}
