package io.caravan.format;

import io.caravan.batch.TableShape;
import io.caravan.mapping.DestinationSpec;

import java.nio.file.Path;
import java.util.List;

/** Apache Parquet (work in progress). */
final class ParquetFormat implements RowFormat {

    @Override
    public DestinationSpec.FileFormat format() {
        return DestinationSpec.FileFormat.PARQUET;
    }

    @Override
    public String extension() {
        return "parquet";
    }

    @Override
    public void write(TableShape shape, List<Object[]> rows, Path file) {
        throw new UnsupportedOperationException("Parquet is not written yet");
    }

    @Override
    public List<Object[]> read(TableShape shape, Path file) {
        throw new UnsupportedOperationException("Parquet is not read yet");
    }
}
