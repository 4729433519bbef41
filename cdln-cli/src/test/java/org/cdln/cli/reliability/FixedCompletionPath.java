package org.cdln.cli.reliability;

import org.cdln.problem.CompletionProblem;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that compare a run in this JVM with a run in another process bit for bit: every
 * completion evaluator takes the dense path, fixed rather than timed (a timed choice can differ
 * between processes on a loaded machine, and the paths round differently). The other process
 * gets {@link #JVM_OPTION}.
 */
final class FixedCompletionPath implements BeforeAllCallback, AfterAllCallback {
    /** The JVM option that fixes the same path in a child process. */
    static final String JVM_OPTION = "-D" + CompletionProblem.PATH_PROPERTY + "=dense";

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(CompletionProblem.PATH_PROPERTY, "dense");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty(CompletionProblem.PATH_PROPERTY);
    }
}
