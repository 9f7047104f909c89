package io.caravan.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the JVM alive on SIGTERM or Ctrl-C until the command under way has ended its runs, so that a stop loses
 * nothing and reports what it did. The JVM runs every shutdown hook at once and halts when they have returned
 * (Java SE {@code Runtime.addShutdownHook}): without this gate, Camel's hang-up hook stops the routes (a run ends at
 * its next batch boundary and commits its cursor) and the JVM halts before the command prints its summary. Hooks that
 * close what a stopping run still uses wait for the gate too (the embedded PostgreSQL's); H2's own hook, which closes
 * the embedded cursor store, cannot, so that store opens a new connection for the run's last commit.
 *
 * <p>A command calls {@link #hold} before it starts and {@link #release} when it has finished (summary printed,
 * stores closed); the hook {@code hold} registers waits for that, as do hooks that close what the runs use
 * ({@link #awaitRelease}). The exit status of a stopped process stays the signal's (130 for SIGINT, 143 for SIGTERM).
 * One gate per JVM: a second {@code hold} is ignored.
 */
public final class Shutdown {

    /** How long a hook waits for the command at most: a run stops at its next batch boundary well within it. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(120);

    private static final CountDownLatch RELEASED = new CountDownLatch(1);
    private static volatile boolean held;

    private Shutdown() {
    }

    /**
     * Registers the hook that holds the JVM's shutdown until {@link #release} or {@link #MAX_WAIT}.
     */
    public static synchronized void hold() {
        if (held) {
            return;
        }
        held = true;
        Runtime.getRuntime().addShutdownHook(new Thread(Shutdown::awaitRelease, "caravan-shutdown-gate"));
    }

    /** Lets the JVM halt: the command has ended. Idempotent. */
    public static void release() {
        RELEASED.countDown();
    }

    /**
     * Waits, when a command holds the gate, until it releases it or {@link #MAX_WAIT} has passed; returns at once
     * otherwise. For shutdown hooks that close something the runs use.
     */
    public static void awaitRelease() {
        if (!held) {
            return;
        }
        try {
            RELEASED.await(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
