package org.cdln.cli;

import org.cdln.train.StopSignal;

/**
 * SIGTERM and SIGINT ask the running fit to stop at its next step ({@link StopSignal}); a run
 * with a checkpoint saves it there and the command ends with a line saying how to resume, with
 * exit status 128 + the signal's number (143, 130). A command that is not training when the
 * signal comes (or that has no checkpoint) ends within {@value #GRACE_SECONDS} s; a second
 * signal ends the process at once.
 */
final class Signals {
    /** Seconds a fit has to notice the signal before the process ends without it. */
    static final int GRACE_SECONDS = 20;
    private static volatile int status = 130;
    private static volatile String name;

    private Signals() {
    }

    /** The exit status for an interrupted run: 128 + the signal's number. */
    static int exitStatus() {
        return status;
    }

    /** The signal that stopped the run ("SIGTERM"), or null. */
    static String received() {
        return name;
    }

    static void install() {
        handle("TERM", 143);
        handle("INT", 130);
    }

    @SuppressWarnings("removal")
    private static void handle(String sig, int exit) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> {
                if (name != null) {
                    System.err.println("cdln: second SIG" + sig + ": stopping now, without saving");
                    Runtime.getRuntime().halt(exit);
                }
                name = "SIG" + sig;
                status = exit;
                StopSignal.request("SIG" + sig);
                Thread watchdog = new Thread(() -> {
                    try {
                        Thread.sleep(GRACE_SECONDS * 1000L);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!StopSignal.acknowledged()) {
                        System.err.println("cdln: stopped by SIG" + sig + " (nothing was training to save a "
                                + "checkpoint for)");
                        Runtime.getRuntime().halt(exit);
                    }
                }, "cdln-signal-watchdog");
                watchdog.setDaemon(true);
                watchdog.start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the platform does not let us handle this signal: the default (exit) stays
        }
    }
}
