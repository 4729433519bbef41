package org.cdln.train;

import java.time.Instant;

/**
 * Where a result came from: library version, linear-algebra backend and threads, JVM, start
 * time, trainer settings, how the network and the problem were made (seeds included), and the step a
 * resumed run continued from (0 for a fresh run).
 */
public record Provenance(String cdlnVersion, String backend, int threads, String javaVersion,
                         Instant startedAt, TrainerConfig config, String network, String problem,
                         long resumedFromStep) {
}
