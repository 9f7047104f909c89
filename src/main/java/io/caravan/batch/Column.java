package io.caravan.batch;

/**
 * One column as a batch carries it: the name, the exact SQL type the destination creates, and the type OID of the
 * values in the batch's binary rows.
 *
 * @param name     column name, unquoted; never null
 * @param sqlType  the type as PostgreSQL's {@code format_type} writes it, e.g. {@code numeric(12,2)},
 *                 {@code timestamp with time zone}, {@code integer[]}; never null
 * @param typeOid  OID of the type of the values in binary rows
 * @param notNull  true when the source declares the column NOT NULL
 */
public record Column(String name, String sqlType, int typeOid, boolean notNull) {
}
