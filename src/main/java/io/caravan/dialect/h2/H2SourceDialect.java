package io.caravan.dialect.h2;

import io.caravan.mapping.SourceSpec;
import io.caravan.source.jdbc.SourceDialect;

import java.nio.file.Path;

/**
 * H2 (2.x) as a source: SQL:2008 with row-value comparisons ({@code (a, b) > (?, ?)}) and
 * {@code FETCH FIRST n ROWS ONLY}; the clock is {@code CURRENT_TIMESTAMP} (with the session's offset). Embedded H2
 * builds result sets larger than its {@code MAX_MEMORY_ROWS} on disk, so reads stay bounded in memory. Reference: H2
 * "Grammar" (row value expressions, FETCH), "Functions" (CURRENT_TIMESTAMP, LOCALTIMESTAMP).
 */
public final class H2SourceDialect extends SourceDialect {

    /** The one instance. */
    public static final H2SourceDialect INSTANCE = new H2SourceDialect();

    private H2SourceDialect() {
    }

    @Override
    public String name() {
        return "h2";
    }

    /** @return the URL as given when it starts with {@code jdbc:}, else {@code jdbc:h2:file:<absolute path>} */
    @Override
    public String jdbcUrl(SourceSpec spec) {
        return spec.url().startsWith("jdbc:") ? spec.url() : "jdbc:h2:file:" + Path.of(spec.url()).toAbsolutePath();
    }

    @Override
    public String clock() {
        return "SELECT CURRENT_TIMESTAMP, LOCALTIMESTAMP";
    }

    @Override
    public boolean rowValues() {
        return true;
    }
}
