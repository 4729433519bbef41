package org.cdln.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a write leaves behind: a temporary sibling of a process that died inside its write (kill -9)
 * is deleted by the next write of the same target; those of live processes, of other targets and
 * files that only look alike are left alone.
 */
class AtomicFileTest {
    @TempDir
    Path dir;

    /** The pid of a process that has ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        // a pid is reused only after the kernel has cycled through the others; be sure it is free now
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        return pid;
    }

    @Test
    void theNextWriteDeletesTheSiblingsOfDeadWritersOnly() throws Exception {
        Path target = dir.resolve("summary.json");
        Files.writeString(target, "old");
        Path dead = dir.resolve(".summary.json." + deadPid() + ".123456789.tmp");
        Path live = dir.resolve(".summary.json." + ProcessHandle.current().parent().orElseThrow().pid() + ".1.tmp");
        Path other = dir.resolve(".trajectory.csv." + deadPid() + ".5.tmp");
        Path lookalike = dir.resolve(".summary.json.notes.tmp");
        for (Path p : new Path[] {dead, live, other, lookalike}) {
            Files.writeString(p, "partial");
        }
        AtomicFile.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(target));
        assertFalse(Files.exists(dead), "a dead writer's sibling is cleaned up");
        assertTrue(Files.exists(live), "a live process may still be writing");
        assertTrue(Files.exists(other), "another target's sibling is that target's business");
        assertTrue(Files.exists(lookalike), "not one of cdln's names");
    }

    @Test
    void aFailedWriteLeavesTheTargetAndNoSibling() throws IOException {
        Path target = dir.resolve("m.cdln");
        Files.writeString(target, "old model");
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> AtomicFile.write(target, out -> {
                    out.write("half".getBytes(StandardCharsets.UTF_8));
                    throw new IOException("No space left on device");
                }));
        assertTrue(e.getMessage().contains("the disk is full"), e.getMessage());
        assertEquals("old model", Files.readString(target));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary sibling");
        }
    }
}
