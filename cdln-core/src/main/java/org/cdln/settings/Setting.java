package org.cdln.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One hyper-parameter, declared once: its name, a label for messages, a description, its type,
 * the values it allows ({@link Rule}), its default, and whether "auto" — let the estimator choose
 * — is a value of its own (never 0 or another number standing for it). Everything else is derived
 * from the declaration: the defaults ({@link Schema#defaults()}), the validation and its message,
 * the text form used by files and command lines ({@link #parse}, {@link #format}), and the options
 * and help of front ends (the CLI, the Spark estimator), which enumerate {@link Schema#settings()}.
 *
 * <p>Declare with the factories and register in a {@link Schema}:
 * <pre>{@code
 * public static final Setting<Integer> DEPTH = SCHEMA.add(
 *         Setting.ofInt("depth", "depth L", "Layers L of the network.", Rule.atLeast(2), 3));
 * }</pre>
 *
 * @param <T> the value type (Integer, Long, Double, Boolean or an enum)
 */
public final class Setting<T> {
    /** The value "auto": the estimator chooses (its rule is in the setting's description). */
    public static final Object AUTO = new Object() {
        @Override
        public String toString() {
            return "auto";
        }
    };

    private final String name;
    private final String label;
    private final String description;
    private final Class<T> type;
    private final Rule<T> rule;
    private final Object defaultValue;
    private final boolean autoAllowed;
    private final Function<String, T> parser;

    private Setting(String name, String label, String description, Class<T> type, Rule<T> rule, Object defaultValue,
                    boolean autoAllowed, Function<String, T> parser) {
        this.name = Objects.requireNonNull(name);
        this.label = Objects.requireNonNull(label);
        this.description = Objects.requireNonNull(description);
        this.type = type;
        this.rule = rule;
        this.defaultValue = defaultValue;
        this.autoAllowed = autoAllowed;
        this.parser = parser;
        if (defaultValue == AUTO && !autoAllowed) {
            throw new IllegalArgumentException(name + ": a default of auto needs a setting that allows auto");
        }
        if (defaultValue != AUTO) {
            check(defaultValue);
        }
    }

    /** A whole-number setting. */
    public static Setting<Integer> ofInt(String name, String label, String description, Rule<Integer> rule,
                                         int defaultValue) {
        return new Setting<>(name, label, description, Integer.class, rule, defaultValue, false, Integer::valueOf);
    }

    /** A whole-number setting that also takes "auto", its default. */
    public static Setting<Integer> ofIntOrAuto(String name, String label, String description, Rule<Integer> rule) {
        return new Setting<>(name, label, description, Integer.class, rule, AUTO, true, Integer::valueOf);
    }

    /** A long setting. */
    public static Setting<Long> ofLong(String name, String label, String description, Rule<Long> rule,
                                       long defaultValue) {
        return new Setting<>(name, label, description, Long.class, rule, defaultValue, false, Long::valueOf);
    }

    /** A real-number setting. */
    public static Setting<Double> ofDouble(String name, String label, String description, Rule<Double> rule,
                                           double defaultValue) {
        // decimals only: Java's own syntax would take "3f" and "4d", which are typos
        return new Setting<>(name, label, description, Double.class, rule, defaultValue, false,
                org.cdln.data.Numbers::parseDecimal);
    }

    /** A real-number setting whose default is "auto". */
    public static Setting<Double> ofDoubleOrAuto(String name, String label, String description, Rule<Double> rule) {
        return new Setting<>(name, label, description, Double.class, rule, AUTO, true,
                org.cdln.data.Numbers::parseDecimal);
    }

    /** An on/off setting. */
    public static Setting<Boolean> ofBoolean(String name, String label, String description, boolean defaultValue) {
        return new Setting<>(name, label, description, Boolean.class, Rule.any("true or false"), defaultValue, false,
                Setting::parseBoolean);
    }

    /** A choice among an enum's constants, parsed by {@code parser} (e.g. {@code Centering::parse}). */
    public static <E extends Enum<E>> Setting<E> ofEnum(String name, String label, String description, Class<E> type,
                                                        Function<String, E> parser, E defaultValue) {
        StringBuilder choices = new StringBuilder();
        E[] all = type.getEnumConstants();
        for (int i = 0; i < all.length; i++) {
            choices.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ")
                    .append(all[i].name().toLowerCase(Locale.ROOT));
        }
        return new Setting<>(name, label, description, type, Rule.any(choices.toString()), defaultValue, false,
                parser);
    }

    /**
     * A list of values, written comma-separated ("512,512"), each parsed by {@code element}; the
     * rule tests the whole list.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <E> Setting<List<E>> ofList(String name, String label, String description,
                                              Function<String, E> element, Rule<List<E>> rule, List<E> defaultValue) {
        Function<String, List<E>> parser = text -> {
            List<E> out = new ArrayList<>();
            for (String part : text.split(",", -1)) {
                if (part.isBlank()) {
                    throw new IllegalArgumentException("an empty element in '" + text + "'");
                }
                out.add(element.apply(part.trim()));
            }
            return List.copyOf(out);
        };
        return new Setting<>(name, label, description, (Class) List.class, rule, List.copyOf(defaultValue), false,
                parser);
    }

    private static Boolean parseBoolean(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
        }
        throw new IllegalArgumentException("not true or false: '" + s + "'");
    }

    /** The name, in camelCase, e.g. "rankHat": the key of the setting in files and front ends. */
    public String name() {
        return name;
    }

    /** The name in snake_case, e.g. "rank_hat", for JSON and model files. */
    public String key() {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** What messages call it, e.g. "rank-hat r̂". */
    public String label() {
        return label;
    }

    /** One or two sentences for help texts and documentation. */
    public String description() {
        return description;
    }

    /** The value type. */
    public Class<T> type() {
        return type;
    }

    /** The allowed values. */
    public Rule<T> rule() {
        return rule;
    }

    /** Whether "auto" is an allowed value. */
    public boolean allowsAuto() {
        return autoAllowed;
    }

    /** The default: a value of {@link #type()}, or {@link #AUTO}. */
    public Object defaultValue() {
        return defaultValue;
    }

    /** The allowed values in words, with "or auto" when auto is allowed, e.g. "a finite number > 0 or auto". */
    public String allowed() {
        return rule.text() + (autoAllowed ? " or auto" : "");
    }

    /**
     * Checks a value: one of {@link #type()} within the rule, or {@link #AUTO} where allowed.
     *
     * @return the value
     * @throws InvalidSettingException naming the setting, the allowed values and the value given
     */
    public Object check(Object value) {
        if (value == AUTO) {
            if (!autoAllowed) {
                throw new InvalidSettingException(this, label + " has no automatic choice; give " + rule.text());
            }
            return value;
        }
        if (!type.isInstance(value) || !rule.allows(type.cast(value))) {
            throw new InvalidSettingException(this, label + " must be " + rule.text() + ", got "
                    + (value instanceof List<?> ? "'" + format(value) + "'" : value)
                    + (autoAllowed ? "; or auto, to let the estimator choose" : ""));
        }
        return value;
    }

    /**
     * The value written as {@code text}: "auto" (any case) where allowed, else the type's own form.
     *
     * @throws InvalidSettingException when the text is not a value or not allowed
     */
    public Object parse(String text) {
        String t = text == null ? "" : text.trim();
        if (autoAllowed && t.equalsIgnoreCase("auto")) {
            return AUTO;
        }
        T v;
        try {
            v = parser.apply(t);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(this, label + " must be " + allowed() + ", got '" + text + "'"
                    + (e.getMessage() != null && !(e instanceof NumberFormatException) ? " (" + e.getMessage() + ")" : ""));
        }
        return check(v);
    }

    /** The text form of a value of this setting ("auto", "3", "0.05", "biases", "true"). */
    public String format(Object value) {
        if (value == AUTO) {
            return "auto";
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(d);
        }
        if (value instanceof List<?> l) {
            StringBuilder b = new StringBuilder();
            for (Object e : l) {
                b.append(b.length() == 0 ? "" : ",").append(e);
            }
            return b.toString();
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
