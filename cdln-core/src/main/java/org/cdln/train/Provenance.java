package org.cdln.train;

import java.time.Instant;

/**
 * Where a result came from: library version, linear-algebra backend and threads, JVM, start
 * time, trainer settings, and how the network and the problem were made (seeds included).
 */
public record Provenance(String cdlnVersion, String backend, int threads, String javaVersion,
                         Instant startedAt, TrainerConfig config, String network, String problem) {
}
