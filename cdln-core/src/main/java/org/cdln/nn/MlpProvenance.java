package org.cdln.nn;

import java.time.Instant;

/**
 * Where an MLP result came from.
 *
 * @param cdlnVersion  library version
 * @param backend      linear-algebra backend description
 * @param threads      BLAS threads
 * @param javaVersion  JVM version
 * @param startedAt    when training started
 * @param config       the trainer settings (seeds included)
 * @param architecture the network, described, and its initialisation seed
 * @param data         the training and test sets
 */
public record MlpProvenance(String cdlnVersion, String backend, int threads, String javaVersion, Instant startedAt,
                            MlpTrainerConfig config, String architecture, String data) {
}
