package org.cdln.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cdln.settings.InvalidSettingException;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;
import org.cdln.settings.Settings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Command-line options derived from a library {@link Schema}: one option per declared setting,
 * named after it (camelCase → kebab-case, or a shorter flag the CLI has always used), with the
 * declaration's description, allowed values and default as its help; the values are parsed and
 * validated by the declarations, and a refused value is reported with the flag's name. The
 * library never sees a flag name; this class is the only place where settings map to flags.
 */
public final class SettingOptions {
    /**
     * The CLI's historical flags for a few settings (the first name is the one messages use); every
     * other setting is --kebab-case of its name.
     */
    private static final Map<String, String[]> FLAGS = Map.of("stepSize", new String[] {"--step"},
            "maxSteps", new String[] {"--steps"}, "tolerance", new String[] {"--tol"},
            "validationFraction", new String[] {"--validation"}, "timeLimitSeconds", new String[] {"--time-limit"},
            "rank", new String[] {"--k"}, "rankingK", new String[] {"-k", "--top"},
            "relevanceThreshold", new String[] {"--threshold"});

    private SettingOptions() {
    }

    /** The flag of a setting, e.g. "--rank-hat" for rankHat, "--step" for stepSize. */
    public static String flag(Setting<?> s) {
        return names(s)[0];
    }

    /** Every name of a setting's option, e.g. "-k" and "--top" for rankingK. */
    static String[] names(Setting<?> s) {
        String[] f = FLAGS.get(s.name());
        return f != null ? f.clone()
                : new String[] {"--" + s.name().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)};
    }

    /** Adds an option for every setting of {@code schema} but those named in {@code skip}. */
    public static CommandSpec addTo(CommandSpec spec, Schema schema, Set<String> skip) {
        return addTo(spec, schema.defaults(), skip);
    }

    /**
     * Adds an option for every setting of {@code defaults}' schema but those named in {@code skip},
     * showing the values of {@code defaults} as the defaults (a command's own reference values).
     */
    public static CommandSpec addTo(CommandSpec spec, Settings defaults, Set<String> skip) {
        return addTo(spec, defaults, skip, s -> null);
    }

    /**
     * {@link #addTo(CommandSpec, Settings, Set)}, with the help's default of a setting given by
     * {@code defaultText} where it returns non-null text (e.g. "depends on --problem" for a default
     * that another option chooses).
     */
    public static CommandSpec addTo(CommandSpec spec, Settings defaults, Set<String> skip,
                                    java.util.function.Function<Setting<?>, String> defaultText) {
        for (Setting<?> s : defaults.schema().settings()) {
            if (skip.contains(s.name())) {
                continue;
            }
            String shown = defaultText.apply(s);
            String help = s.description() + " Allowed: " + s.allowed() + "; default "
                    + (shown != null ? shown : s.format(defaults.raw(s))) + ".";
            OptionSpec.Builder o = OptionSpec.builder(names(s)).description(help.replace("%", "%%"));
            if (s.type() == Boolean.class) {
                o.type(Boolean.class).negatable(true).arity("0");
            } else if (s.type() == java.util.List.class) {
                // a list: comma-separated, and a repeated option adds to it ("--d 30 --d 60" = "--d 30,60")
                o.type(java.util.List.class).auxiliaryTypes(String.class).splitRegex(",").paramLabel("VALUE");
            } else {
                o.type(String.class).paramLabel(s.allowsAuto() ? "VALUE|auto" : "VALUE");
            }
            spec.addOption(o.build());
        }
        return spec;
    }

    /** Adds the options of the settings named in {@code only}. */
    public static CommandSpec addOnly(CommandSpec spec, Settings defaults, Set<String> only) {
        Set<String> skip = new java.util.HashSet<>();
        for (Setting<?> s : defaults.schema().settings()) {
            if (!only.contains(s.name())) {
                skip.add(s.name());
            }
        }
        return addTo(spec, defaults, skip);
    }

    /** The option's value as given on the command line, or null. */
    public static String given(CommandSpec spec, Setting<?> s) {
        OptionSpec o = spec.findOption(flag(s));
        if (o == null) {
            return null;
        }
        Object v = o.getValue();
        if (v instanceof java.util.List<?> l) {
            return l.isEmpty() ? null : String.join(",", l.stream().map(String::valueOf).toList());
        }
        return v == null ? null : v.toString();
    }

    /**
     * {@code base} with every setting whose option was given set from its text.
     *
     * @throws IllegalArgumentException "--flag: message" for a value the declaration refuses
     */
    public static Settings apply(CommandSpec spec, Settings base) {
        Settings s = base;
        for (Setting<?> setting : base.schema().settings()) {
            String text = given(spec, setting);
            if (text != null) {
                s = withText(s, setting, text);
            }
        }
        return s;
    }

    /**
     * Runs {@code build} (a library call that validates settings); a refused setting is reported
     * with its flag: "--flag: message".
     */
    public static <T> T named(java.util.function.Supplier<T> build) {
        return named(build, SettingOptions::flag);
    }

    /** {@link #named(java.util.function.Supplier)} with the command's own flag for some settings. */
    public static <T> T named(java.util.function.Supplier<T> build,
                              java.util.function.Function<Setting<?>, String> flagOf) {
        try {
            return build.get();
        } catch (InvalidSettingException e) {
            throw new IllegalArgumentException(flagOf.apply(e.setting()) + ": " + e.getMessage(), e);
        }
    }

    /** {@code s} with {@code setting} parsed from {@code text}; a refusal names the flag. */
    public static Settings withText(Settings s, Setting<?> setting, String text) {
        try {
            return s.withText(setting, text);
        } catch (InvalidSettingException e) {
            throw new IllegalArgumentException(flag(setting) + ": " + e.getMessage(), e);
        }
    }
}
