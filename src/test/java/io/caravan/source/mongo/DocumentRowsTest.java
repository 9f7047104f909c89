package io.caravan.source.mongo;

import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.mapping.SourceOptions.FieldType;
import io.caravan.source.FieldCasts;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentRowsTest {

    private static final ObjectId ID = new ObjectId("65f000000000000000000001");

    private static Document doc() {
        return new Document("_id", ID).append("name", "a").append("n", new Decimal128(new BigDecimal("12.7")))
                .append("at", Date.from(Instant.parse("2024-05-01T10:00:00Z")))
                .append("sub", new Document("ref", ID).append("at", Date.from(Instant.parse("2024-05-01T10:00:00Z"))))
                .append("mixed", 5);
    }

    @Test
    void shapeIsIdThenFieldsByNameWithDeclaredTypesAndJsonbForNestedWhenStrict() {
        Map<String, Boolean> found = new HashMap<>();
        DocumentRows.scan(doc(), found);
        DocumentRows.scan(new Document("_id", 2).append("mixed", List.of(1)), found);
        FieldCasts casts = new FieldCasts(Map.of("n", FieldType.INT, "declared_only", FieldType.BOOL));

        assertThat(DocumentRows.shape(found, casts, true).columns().stream().map(c -> c.name() + " " + c.sqlType()))
                .containsExactly("_id text", "at text", "declared_only boolean", "mixed jsonb", "n bigint",
                        "name text", "sub jsonb");
        TableShape loose = DocumentRows.shape(found, casts, false);
        assertThat(loose.columns().stream().filter(c -> c.typeOid() == 3802).map(Column::name)).isEmpty();
        assertThat(loose.primaryKey()).containsExactly("_id");
    }

    @Test
    void rowsCarryTextJsonAndCastValuesAndRefuseFieldsOutsideTheShape() {
        Map<String, Boolean> found = new HashMap<>();
        DocumentRows.scan(doc(), found);
        DocumentRows.scan(new Document("_id", 2).append("mixed", List.of(1)), found);
        FieldCasts casts = new FieldCasts(Map.of("n", FieldType.INT));
        DocumentRows rows = new DocumentRows(DocumentRows.shape(found, casts, true), casts);

        Map<String, Object> row = rows.row(doc());
        assertThat(row).containsEntry("_id", "65f000000000000000000001").containsEntry("name", "a")
                .containsEntry("n", 12L).containsEntry("at", "2024-05-01T10:00:00Z").containsEntry("mixed", "5")
                .containsEntry("sub", "{\"ref\": \"65f000000000000000000001\", \"at\": \"2024-05-01T10:00:00Z\"}");
        assertThat(rows.row(new Document("_id", 2))).containsEntry("_id", "2").containsEntry("name", null);
        assertThatThrownBy(() -> rows.row(new Document("_id", 3).append("later", 1)))
                .isInstanceOf(DocumentRows.UnknownFieldException.class).hasMessageContaining("later");
    }

    @Test
    void cursorKeysKeepTheBsonTypeOfTheId() {
        assertThat(MongoReadPlanner.key(MongoReadPlanner.keyText(ID))).isEqualTo(ID);
        assertThat(MongoReadPlanner.key(MongoReadPlanner.keyText(7L))).isEqualTo(7L);
        assertThat(MongoReadPlanner.key(MongoReadPlanner.keyText("65f000000000000000000001")))
                .isEqualTo("65f000000000000000000001");
        assertThat(MongoReadPlanner.text(MongoReadPlanner.timestamp("2024-05-01 12:00:00.5+02")))
                .isEqualTo("2024-05-01 10:00:00.500+00");
    }
}
