package io.caravan.format;

import io.caravan.batch.TableShape;
import io.caravan.mapping.DestinationSpec;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** TEMPORARY stand-in for branch {@code format}'s RowFormat (same API); replaced when that branch is merged. */
public interface RowFormat {

    /** @return the format */
    DestinationSpec.FileFormat format();

    /** @return file extension without dot */
    String extension();

    /** Writes rows, replacing the file. @throws IOException when it fails */
    void write(TableShape shape, List<Object[]> rows, Path file) throws IOException;

    /** @return the rows written. @throws IOException when it fails */
    List<Object[]> read(TableShape shape, Path file) throws IOException;

    /** @return a stand-in that serializes rows with Java serialization */
    static RowFormat of(DestinationSpec.FileFormat format) {
        return new RowFormat() {
            @Override
            public DestinationSpec.FileFormat format() {
                return format;
            }

            @Override
            public String extension() {
                return format.wireValue();
            }

            @Override
            public void write(TableShape shape, List<Object[]> rows, Path file) throws IOException {
                try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
                    out.writeObject(new ArrayList<>(rows));
                }
            }

            @Override
            @SuppressWarnings("unchecked")
            public List<Object[]> read(TableShape shape, Path file) throws IOException {
                try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
                    return (List<Object[]>) in.readObject();
                } catch (ClassNotFoundException e) {
                    throw new IOException(e);
                }
            }
        };
    }
}
