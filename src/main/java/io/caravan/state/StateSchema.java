package io.caravan.state;

import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Creates or migrates the tables of a JDBC state store (cursor store, run store) with Flyway, one process at a time.
 *
 * <p>Why the lock: several replicas of {@code caravan serve} usually start together on one state database, and
 * Flyway's {@code baselineOnMigrate} is not safe when run concurrently: a process that found no history table goes on
 * to baseline it, finds that another process has just created it, still empty, and fails with "Unable to baseline
 * schema history table ... as it already exists, and is empty" (Flyway issues #2527 and #2754 describe the state).
 * Flyway's own lock (a PostgreSQL advisory lock, a MySQL {@code GET_LOCK}) is only taken after that step.
 *
 * <p>So the whole migration runs while this process holds a lock in the database itself, on a connection of its own:
 * <ul>
 *   <li>PostgreSQL: the session advisory lock {@value #PG_LOCK_KEY} ({@code pg_try_advisory_lock}, polled);</li>
 *   <li>MariaDB and MySQL: {@code GET_LOCK('}{@value #LOCK_NAME}{@code ', seconds)};</li>
 *   <li>other databases (the embedded H2 store, which one process owns): a lock inside this JVM only.</li>
 * </ul>
 * Every Caravan history table of the database shares the one lock, and the lock is released when the migration ends,
 * failed or not. Waiting longer than {@link #LOCK_TIMEOUT_SECONDS} fails with a message saying so.
 */
final class StateSchema {

    /** Name of the MariaDB/MySQL user lock. */
    static final String LOCK_NAME = "caravan.state.schema";
    /** Key of the PostgreSQL advisory lock ("caravan" in ASCII); Flyway's keys are hashes of its table names. */
    static final long PG_LOCK_KEY = 0x63617261_76616EL;
    /** Longest wait for another process's migration: 120 seconds. */
    static final int LOCK_TIMEOUT_SECONDS = 120;

    private static final Map<String, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private StateSchema() {
    }

    /**
     * Migrates the schema under the lock described above.
     *
     * @param url          JDBC URL of the state database; never null
     * @param credentials  {@code user} and {@code password} properties, either may be absent; never null
     * @param locations    Flyway locations of the migrations, such as {@code classpath:db/state}; never null
     * @param historyTable Flyway's history table for these migrations; never null
     * @param placeholders Flyway placeholders; never null, may be empty
     * @throws SQLException      when the database cannot be reached, or the lock is not had within
     *                           {@value #LOCK_TIMEOUT_SECONDS} seconds
     * @throws RuntimeException  Flyway's exception when a migration fails
     */
    static void migrate(String url, Properties credentials, String locations, String historyTable,
                        Map<String, String> placeholders) throws SQLException {
        Runnable migration = () -> Flyway.configure(StateSchema.class.getClassLoader())
                .dataSource(url, credentials.getProperty("user"), credentials.getProperty("password"))
                .locations(locations)
                .table(historyTable)
                .placeholders(placeholders)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        DatabaseLock lock;
        String unlock;
        if (url.startsWith("jdbc:postgresql:")) {
            lock = StateSchema::lockPostgres;
            unlock = "SELECT pg_advisory_unlock(" + PG_LOCK_KEY + ")";
        } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            lock = StateSchema::lockMariaDb;
            unlock = "SELECT RELEASE_LOCK('" + LOCK_NAME + "')";
        } else {
            ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(url, u -> new ReentrantLock());
            jvmLock.lock();
            try {
                migration.run();
            } finally {
                jvmLock.unlock();
            }
            return;
        }
        try (Connection c = DriverManager.getConnection(url, credentials)) {
            lock.take(c);
            try {
                migration.run();
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute(unlock);
                }
            }
        }
    }

    /** Takes a session lock on {@code c}, waiting at most {@value #LOCK_TIMEOUT_SECONDS} seconds. */
    @FunctionalInterface
    private interface DatabaseLock {
        void take(Connection c) throws SQLException;
    }

    private static void lockPostgres(Connection c) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOCK_TIMEOUT_SECONDS);
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, PG_LOCK_KEY);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw timedOut();
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for the state schema lock", e);
                }
            }
        }
    }

    private static void lockMariaDb(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, LOCK_NAME);
            ps.setInt(2, LOCK_TIMEOUT_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) != 1) {
                    throw timedOut();
                }
            }
        }
    }

    private static SQLException timedOut() {
        return new SQLException("another process has been creating or migrating the state tables for more than "
                + LOCK_TIMEOUT_SECONDS + " s (lock " + LOCK_NAME + "); if none is running, a session still holds"
                + " the lock: end it");
    }
}
