package io.caravan.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys of each {@code source_type} and of its list: tables, collections, topics or apis (DMS seed). */
class SourceKeysTest {

    private static final String DESTINATION = """
            destination:
              dw: {destination_type: pgsql, url: localhost, db_name: dw}
            """;

    @TempDir
    Path dir;

    @Test
    void mongoCollectionsAreKeyedByIdAndCastFields() throws IOException {
        JobMapping job = load("""
                source: {source_type: mongo, url: "mongodb://m1:27017,m2:27017/?replicaSet=rs0", db_name: app,
                         username: reader, password: "${env:MONGO_PASSWORD}"}
                collections:
                  - collection_name: events
                    cron: self-managed
                    mode: syncing
                    batch_size: 500
                    time_delay: 2
                    bookmark: updated_at
                    fields: {created_at: datetime, is_available: bool, priority: int, amount: float}
                """);

        assertThat(job.source()).isEqualTo(new SourceSpec("mongo", "mongodb://m1:27017,m2:27017/?replicaSet=rs0",
                "app", "reader", new Secret("${env:MONGO_PASSWORD}"), null, null));
        TableSpec c = job.tables().get(0);
        assertThat(c.tableName()).isEqualTo("events");
        assertThat(c.primaryKey()).isEqualTo("_id");
        assertThat(c.primaryKeyDatatype()).isEqualTo(KeyType.STR);
        assertThat(c.bookmark()).isEqualTo("updated_at");
        assertThat(c.options().timeDelaySeconds()).isEqualTo(2);
        assertThat(c.options().fields()).isEqualTo(Map.of("created_at", SourceOptions.FieldType.DATETIME,
                "is_available", SourceOptions.FieldType.BOOL, "priority", SourceOptions.FieldType.INT,
                "amount", SourceOptions.FieldType.FLOAT));
        assertThat(job.destinations().get("dw").schema()).isEqualTo("mongo_app_dms");
    }

    @Test
    void mongoRefusesMirroringAndTables() throws IOException {
        String problems = problems("""
                source: {source_type: mongo, url: localhost, db_name: app}
                tables:
                  - {table_name: t, cron: self-managed, mode: dumping}
                collections:
                  - {collection_name: events, cron: self-managed, mode: mirroring, bookmark: u}
                """);
        assertThat(problems).contains("tables: source_type mongo takes collections, not tables")
                .contains("collections[0].mode: a collection cannot be mirroring (got 'mirroring'); allowed:"
                        + " dumping, logging, syncing");
    }

    @Test
    void kafkaTopicsAppendByDefaultAndRedisIsTopLevel() throws IOException {
        JobMapping job = load("""
                source: {source_type: kafka, kafka_server: "k1:9092,k2:9092", db_name: stream,
                         kafka_username: app, kafka_password: "${env:KAFKA_PASSWORD}"}
                topics:
                  - topic_name: shop.orders
                    cron: self-managed
                    batch_size: 100
                    primary_key: order_id
                    fields: {created_at: datetime}
                    col_rename: {orderId: order_id}
                redis: {url: "redis://127.0.0.1:6379", password: secret}
                """);

        assertThat(job.source().kafka()).isEqualTo(new SourceSpec.KafkaSpec("k1:9092,k2:9092", "app",
                new Secret("${env:KAFKA_PASSWORD}"), "caravan-job"));
        TableSpec t = job.tables().get(0);
        assertThat(t.tableName()).isEqualTo("shop.orders");
        assertThat(t.mode()).isEqualTo(Mode.LOGGING);
        assertThat(t.primaryKey()).isEqualTo("order_id");
        assertThat(t.options().colRename()).isEqualTo(Map.of("orderId", "order_id"));
        assertThat(job.redis()).isEqualTo(new RedisSpec("redis://127.0.0.1:6379", new Secret("secret")));
        assertThat(job.destinations().get("dw").schema()).isEqualTo("kafka_stream_dms");
    }

    @Test
    void kafkaKeysAreChecked() throws IOException {
        assertThat(problems("""
                source: {source_type: kafka, kafka_server: "k1", db_name: s, url: x}
                topics:
                  - {topic_name: t, cron: self-managed, mode: dumping}
                """)).contains("source.kafka_server: expected host:port[,host:port...] (got 'k1')")
                .contains("source.url: unknown key")
                .contains("topics[0].mode: a topic cannot be dumping");
        assertThat(problems("""
                source: {source_type: pgsql, url: localhost, db_name: s}
                tables:
                  - {table_name: t, cron: self-managed, mode: dumping}
                redis: {url: "redis://r"}
                """)).contains("redis: only a kafka source keeps its open batch in Redis");
    }

    @Test
    void apisNameTheirEndpoint() throws IOException {
        JobMapping job = load("""
                source: {source_type: api, db_name: crm}
                apis:
                  - api_name: contacts
                    url: https://crm.example.com/v1/contacts
                    auth_header: "Bearer ${env:CRM_TOKEN}"
                    records_path: /data/items
                    page_param: page
                    cron: self-managed
                    mode: syncing
                    bookmark: updated_at
                    primary_key: id
                    primary_key_datatype: int
                """);

        TableSpec a = job.tables().get(0);
        assertThat(a.options().api()).isEqualTo(new SourceOptions.ApiSpec("https://crm.example.com/v1/contacts",
                new Secret("Bearer ${env:CRM_TOKEN}"), "/data/items", "page", null));
        assertThat(job.destinations().get("dw").schema()).isEqualTo("api_crm_dms");
        assertThat(problems("""
                source: {source_type: api, db_name: crm}
                apis:
                  - {api_name: c, url: "ftp://x", cron: self-managed, mode: dumping, page_param: p,
                     bookmark_param: since, records_path: data}
                """)).contains("apis[0].url: expected an http(s) URL")
                .contains("apis[0].bookmark_param: an API pages either by number or by bookmark")
                .contains("apis[0].bookmark: required with bookmark_param")
                .contains("apis[0].records_path: expected a JSON Pointer");
    }

    @Test
    void relationalSourcesTakeTablesWithCasts() throws IOException {
        JobMapping job = load("""
                source: {source_type: mariadb, url: "127.0.0.1:3306", db_name: shop, username: root}
                tables:
                  - table_name: orders
                    cron: self-managed
                    mode: syncing
                    bookmark: updated_at
                    primary_key: id
                    primary_key_datatype: int
                    casts: {amount: "numeric(12,2)", flags: text}
                    read_connections: 2
                """);

        assertThat(job.source().url()).isEqualTo("127.0.0.1:3306");
        assertThat(job.tables().get(0).options().readConnections()).isEqualTo(2);
        assertThat(job.tables().get(0).options().casts()).isEqualTo(Map.of("amount", "numeric(12,2)", "flags", "text"));
        assertThat(job.destinations().get("dw").schema()).isEqualTo("sql_shop_dms");
        assertThat(load("""
                source: {source_type: sqlite, url: data/shop.db, db_name: shop}
                tables:
                  - {table_name: orders, cron: self-managed, mode: dumping}
                """).source().url()).isEqualTo("data/shop.db");
        assertThat(problems("""
                source: {source_type: jdbc, url: "db:5000", db_name: x}
                tables:
                  - {table_name: orders, cron: self-managed, mode: dumping}
                """)).contains("source.url: a jdbc source needs a jdbc: URL");
        assertThat(problems("""
                source: {source_type: pgsql, url: localhost, db_name: s}
                tables:
                  - {table_name: orders, cron: self-managed, mode: dumping, casts: {a: text}}
                """)).contains("tables[0].casts: unknown key");
        assertThat(problems("""
                source: {source_type: mariadb, url: "127.0.0.1:3306", db_name: shop, username: root}
                tables:
                  - {table_name: orders, cron: self-managed, mode: dumping, read_connections: 0}
                """)).contains("tables[0].read_connections: must be 1 or more");
        assertThat(problems("""
                source: {source_type: pgsql, url: localhost, db_name: s}
                tables:
                  - {table_name: orders, cron: self-managed, mode: dumping, read_connections: 2}
                """)).contains("tables[0].read_connections: unknown key");
    }

    private JobMapping load(String source) throws IOException {
        return MappingLoader.load(write(source));
    }

    private String problems(String source) throws IOException {
        Path file = write(source);
        return assertThatThrownBy(() -> MappingLoader.load(file)).isInstanceOf(MappingException.class)
                .actual().getMessage();
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("job.yaml"), text + DESTINATION);
    }
}
