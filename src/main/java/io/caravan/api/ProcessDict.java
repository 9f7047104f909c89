package io.caravan.api;

import java.util.Map;

/**
 * The DMS seed's {@code process_dict(record)}: transforms one record on its way to the destinations. Named in a
 * mapping by class ({@code process_dict: com.acme.Clean}); the class needs a public no-argument constructor and is
 * called from one thread at a time.
 *
 * <p>Records map column names to values as PostgreSQL's binary format decodes them (Long, BigDecimal, String,
 * UUID, OffsetDateTime in UTC, LocalDateTime, LocalDate, Boolean, byte[], List for arrays; json as its text).
 */
@FunctionalInterface
public interface ProcessDict {

    /**
     * @param record the record; may be modified and returned
     * @return the record to write, whose keys must be columns of the destination table; null drops the record
     */
    Map<String, Object> process(Map<String, Object> record);
}
