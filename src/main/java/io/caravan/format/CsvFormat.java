package io.caravan.format;

import io.caravan.batch.TableShape;
import io.caravan.mapping.DestinationSpec;

import java.nio.file.Path;
import java.util.List;

/** CSV (work in progress). */
final class CsvFormat implements RowFormat {

    @Override
    public DestinationSpec.FileFormat format() {
        return DestinationSpec.FileFormat.CSV;
    }

    @Override
    public String extension() {
        return "csv";
    }

    @Override
    public void write(TableShape shape, List<Object[]> rows, Path file) {
        throw new UnsupportedOperationException("CSV is not written yet");
    }

    @Override
    public List<Object[]> read(TableShape shape, Path file) {
        throw new UnsupportedOperationException("CSV is not read yet");
    }
}
