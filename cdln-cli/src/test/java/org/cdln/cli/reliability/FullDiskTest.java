package org.cdln.cli.reliability;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cdln.cli.Cli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk, not a simulated write error: a 600 KiB tmpfs mounted in the temporary folder
 * and filled until a run's figures no longer fit. The run must end with one line naming the disk
 * and exit 2, leave no truncated or temporary file, keep its checkpoints, and finish with
 * {@code --resume} once space is free. Skipped where mounting is not permitted (not root, or a
 * container without CAP_SYS_ADMIN).
 */
@Tag("slow")
class FullDiskTest {
    @TempDir
    Path dir;

    private static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void aRunOnAFullDiskSaysSoAndResumesOnceThereIsSpace() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("small-disk"));
        Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", mnt.toString()) == 0,
                "mounting a tmpfs is not permitted here: skipping the real full-disk case");
        try {
            Path out = Files.createDirectories(mnt.resolve("out"));
            Path filler = mnt.resolve("filler");
            Files.write(filler, new byte[560 * 1024]);
            String[] args = {"reproduce", "completion", "--d", "30", "--r", "3", "--steps", "2000", "--no-progress",
                "--out", out.toString()};
            Cli.Run r = run(args);
            assertEquals(2, r.status(), r.out() + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), "one line: " + err);
            assertFalse(err.contains("Exception"), "no stack trace: " + err);
            assertTrue(err.contains("disk is full"), err);
            assertFalse(Files.exists(out.resolve("summary.json")), "no summary for a run whose files are missing");
            try (Stream<Path> s = Files.walk(out)) {
                List<String> tmp = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                        .collect(Collectors.toList());
                assertEquals(List.of(), tmp, "no temporary file left");
            }
            try (Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
                assertEquals(2, s.count(), "both networks' checkpoints kept");
            }
            Files.delete(filler);
            String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
            resume[args.length] = "--resume";
            Cli.Run again = run(resume);
            assertEquals(0, again.status(), again.out() + again.err());
            for (String f : List.of("summary.json", "trajectory.csv", "recovery.png", "recovery.svg")) {
                assertTrue(Files.size(out.resolve(f)) > 0, f);
            }
        } finally {
            if (sh("umount", mnt.toString()) != 0) {
                sh("umount", "-l", mnt.toString());
            }
        }
    }
}
