package io.caravan.destination.pgsql;

import io.caravan.dialect.postgres.PostgresDialect;
import io.caravan.mapping.Mode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who writes a target table: Caravan keeps one line per writer in the table's comment, after any text of the user's,
 * e.g. {@code caravan: job=shop table=public.orders mode=mirroring}. Job names and table names hold no blanks.
 */
final class TargetWriters {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;
    private static final Pattern LINE = Pattern.compile("caravan: job=(\\S+) table=(\\S+)(?: mode=(\\S+))?");

    /**
     * One writer of a target.
     *
     * @param job   the job's name
     * @param table the source table, schema-qualified
     * @param mode  the table's mode as mappings write it; null when the line has none
     */
    record Writer(String job, String table, String mode) {

        boolean sameAs(Writer other) {
            return job.equals(other.job) && table.equals(other.table);
        }

        /** Mirroring deletes the rows it did not read (another writer's), and two dumps share one snapshot table. */
        boolean needsOwnTarget() {
            return Mode.MIRRORING.wireValue().equals(mode) || Mode.DUMPING.wireValue().equals(mode);
        }

        @Override
        public String toString() {
            return "job " + job + " table " + table + (mode == null ? "" : " (" + mode + ")");
        }
    }

    /** The comment's lines; each line is a writer's or null, in the same order. */
    private final List<String> lines = new ArrayList<>();
    private final List<Writer> writers = new ArrayList<>();

    /** @param comment the table's comment; null when it has none */
    TargetWriters(String comment) {
        if (comment == null || comment.isEmpty()) {
            return;
        }
        for (String line : comment.split("\n", -1)) {
            Matcher m = LINE.matcher(line);
            lines.add(line);
            writers.add(m.matches() ? new Writer(m.group(1), m.group(2), m.group(3)) : null);
        }
    }

    /** @return another writer that {@code me} cannot share the target with; null when there is none */
    Writer conflict(Writer me) {
        for (Writer w : writers) {
            if (w != null && !w.sameAs(me) && (me.needsOwnTarget() || w.needsOwnTarget())) {
                return w;
            }
        }
        return null;
    }

    /**
     * @return the comment with {@code me} among the writers, in place of an older line of its own (another mode);
     *         null when the comment already has {@code me} as it is
     */
    String with(Writer me) {
        if (writers.contains(me)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (writers.get(i) == null || !writers.get(i).sameAs(me)) {
                out.add(lines.get(i));
            }
        }
        out.add(SQL.ownerComment(me.job(), me.table(), me.mode()));
        return String.join("\n", out);
    }
}
