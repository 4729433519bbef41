package org.cdln.cli;

import java.nio.file.Path;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --out}, declared once for every command that writes (a picocli mixin). A command says what
 * it writes and where by default through the instance it mixes in:
 * <pre>{@code
 * @CommandLine.Mixin
 * OutOption out = OutOption.folder("out/bench");            // or file(…), requiredFile(…), optionalFile(…)
 * …
 * try (Outputs outputs = out.open(inputs)) { … out.path() … }
 * }</pre>
 * The option's help (what, default, FILE or DIR, required) is written from that descriptor when the
 * command line is built ({@link #describe}); the destination is checked, locked and kept apart
 * from the command's inputs by {@link #open} ({@link Outputs}), with messages that name the flag.
 */
public final class OutOption {
    /** The flag. */
    public static final String FLAG = "--out";

    private final boolean folder;
    private final Path defaultPath;
    private final boolean required;
    private final String what;

    @Option(names = FLAG, paramLabel = "PATH", description = "Where to write.")
    Path path;

    private OutOption(boolean folder, Path defaultPath, boolean required, String what) {
        this.folder = folder;
        this.defaultPath = defaultPath;
        this.required = required;
        this.what = Objects.requireNonNull(what);
    }

    /** Picocli's no-argument form (an output folder without a default); commands use the factories. */
    public OutOption() {
        this(true, null, false, "Output folder");
    }

    /** An output folder with a default, e.g. {@code "out/bench"}. */
    public static OutOption folder(String defaultPath) {
        return new OutOption(true, Path.of(defaultPath), false, "Output folder");
    }

    /** An output folder that must be given; {@code what} is its help, e.g. "Folder to write". */
    public static OutOption requiredFolder(String what) {
        return new OutOption(true, null, true, what);
    }

    /** An output folder with a default and its own help text. */
    public static OutOption folder(String what, String defaultPath) {
        return new OutOption(true, Path.of(defaultPath), false, what);
    }

    /** An output file with a default. */
    public static OutOption file(String what, String defaultPath) {
        return new OutOption(false, Path.of(defaultPath), false, what);
    }

    /** An output file that must be given. */
    public static OutOption requiredFile(String what) {
        return new OutOption(false, null, true, what);
    }

    /** An output file that may be left out (the command then writes elsewhere, e.g. to the standard output). */
    public static OutOption optionalFile(String what) {
        return new OutOption(false, null, false, what);
    }

    /** The destination: as given, else the default; null when neither (an optional file left out). */
    public Path path() {
        return path != null ? path : defaultPath;
    }

    /** Whether {@code --out} was given. */
    public boolean given() {
        return path != null;
    }

    /**
     * Opens the destination before any work ({@link Outputs#folder} or {@link Outputs#file}):
     * created, checked for writability, refused when it is one of {@code inputs}, locked.
     *
     * @return the open output, or null for an optional file that was not given
     */
    public Outputs open(Path... inputs) {
        Path p = path();
        if (p == null) {
            return null;
        }
        return folder ? Outputs.folder(p, FLAG, inputs) : Outputs.file(p, FLAG, inputs);
    }

    /** The help line of this command's {@code --out}. */
    String help() {
        String end = what.endsWith(".") || what.endsWith(")") ? "" : ".";
        String text = what + (defaultPath != null ? " (default " + defaultPath + ")." : end);
        return text.replace("%", "%%");
    }

    /**
     * Writes every command's {@code --out} help, label and required-ness from the descriptor its
     * command mixed in (picocli reads an annotation's attributes as constants, so they are set here,
     * once, for the whole command tree).
     */
    static void describe(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        for (CommandSpec mixin : spec.mixins().values()) {
            if (mixin.userObject() instanceof OutOption o) {
                OptionSpec old = spec.findOption(FLAG);
                spec.remove(old);
                spec.addOption(old.toBuilder().description(o.help()).paramLabel(o.folder ? "DIR" : "FILE")
                        .required(o.required).build());
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            describe(sub);
        }
    }
}
