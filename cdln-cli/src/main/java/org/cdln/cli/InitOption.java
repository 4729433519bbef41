package org.cdln.cli;

import org.cdln.model.Initialization;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --init KIND}, the initialisation of the original (wide) network, declared once (a picocli
 * mixin): parsed by {@link Initialization#parse} at parse time, a bad kind is the one-line usage
 * error every flag gives.
 */
public final class InitOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Initialization init;

    @Option(names = "--init", paramLabel = "KIND",
            description = "Initialisation of the original network: orth, norm or unif (default orth).")
    void setInit(String kind) {
        try {
            init = Initialization.parse(kind);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "--init: " + e.getMessage());
        }
    }

    /** The initialisation given, or {@code otherwise} when the flag was left out. */
    public Initialization orElse(Initialization otherwise) {
        return init != null ? init : otherwise;
    }
}
