package org.cdln.train;

import java.time.Instant;

/**
 * Where a result came from: library version, linear-algebra backend and threads, JVM, start
 * time, the trainer's settings, how the network and the data were made (seeds included), and the
 * step a resumed run continued from (0 for a fresh run).
 *
 * @param <C>             the trainer's settings record
 * @param cdlnVersion     library version
 * @param backend         linear-algebra backend description
 * @param threads         threads of the backend
 * @param javaVersion     JVM version
 * @param startedAt       when training started
 * @param config          the trainer's settings (seeds included)
 * @param network         how the initial network was made
 * @param data            the problem or the data sets trained and evaluated on
 * @param resumedFromStep the step a resumed run continued from, 0 for a fresh run
 */
public record Provenance<C>(String cdlnVersion, String backend, int threads, String javaVersion,
                            Instant startedAt, C config, String network, String data, long resumedFromStep) {
}
