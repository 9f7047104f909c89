package io.caravan.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys of each {@code destination_type} and the checks between destinations and tables. */
class DestinationKeysTest {

    /** Line 7 is the destination's first key; the table's {@code mode} follows the destination's keys. */
    private static final String JOB = """
            source:
              source_type: pgsql
              url: localhost
              db_name: shop
            destination:
              d:
            %s
            tables:
              - {table_name: orders, cron: self-managed, mode: %s, bookmark: updated_at, primary_key: id, \
            primary_key_datatype: int}
            """;

    @TempDir
    Path dir;

    @Test
    void s3KeysAreRead() throws IOException {
        DestinationSpec d = load("""
                    destination_type: s3
                    s3_bucket_name: my-lake
                    s3_suffix: _v2
                    s3_endpoint: http://127.0.0.1:9090
                    s3_region: eu-west-1
                    aws_access_key_id: ${env:AWS_KEY}
                    aws_secret_access_key: secret""", "syncing");

        assertThat(d).isEqualTo(new DestinationSpec("d", "s3", null, null, "", Secret.NONE, null,
                new DestinationSpec.S3Location("my-lake", "http://127.0.0.1:9090", "eu-west-1",
                        new Secret("${env:AWS_KEY}"), new Secret("secret")), "_v2", null,
                DestinationSpec.FileFormat.PARQUET, null));
    }

    @Test
    void s3WithoutCredentialsUsesTheDefaultChain() throws IOException {
        DestinationSpec d = load("    destination_type: s3\n    s3_bucket_name: my-lake", "logging");

        assertThat(d.s3()).isEqualTo(new DestinationSpec.S3Location("my-lake", null, null, null, null));
        assertThat(d.suffix()).isEmpty();
    }

    @Test
    void fileKeysAreReadWithParquetByDefault() throws IOException {
        assertThat(load("    destination_type: file\n    path: out/lake", "dumping"))
                .isEqualTo(new DestinationSpec("d", "file", null, null, "", Secret.NONE, null, null, "", "out/lake",
                        DestinationSpec.FileFormat.PARQUET, null));
        assertThat(load("    destination_type: file\n    path: out\n    format: csv\n    suffix: _x", "dumping"))
                .extracting(DestinationSpec::format, DestinationSpec::suffix)
                .containsExactly(DestinationSpec.FileFormat.CSV, "_x");
    }

    @Test
    void redshiftKeysAreTheSeeds() throws IOException {
        DestinationSpec d = load("""
                    destination_type: redshift
                    host: example.abc123.us-west-1.redshift.amazonaws.com:5439
                    database: dev
                    user: loader
                    password: ${env:RS_PASSWORD}
                    s3_bucket_name: staging-bucket
                    iam_role: arn:aws:iam::123456789012:role/Copy""", "mirroring");

        assertThat(d).isEqualTo(new DestinationSpec("d", "redshift",
                "example.abc123.us-west-1.redshift.amazonaws.com:5439", "dev", "loader",
                new Secret("${env:RS_PASSWORD}"), "sql_shop_dms",
                new DestinationSpec.S3Location("staging-bucket", null, null, null, null), "", null, null,
                "arn:aws:iam::123456789012:role/Copy"));
    }

    @Test
    void databaseTypesTakeHostPortOrTheirOwnJdbcUrl() throws IOException {
        assertThat(load("    destination_type: mariadb\n    url: 127.0.0.1:3306\n    db_name: mart\n"
                + "    username: root", "syncing")).isEqualTo(new DestinationSpec("d", "mariadb", "127.0.0.1:3306",
                "mart", "root", Secret.NONE, "sql_shop_dms"));
        assertThat(load("    destination_type: mysql\n    url: jdbc:mysql://db:3306/mart", "syncing").url())
                .isEqualTo("jdbc:mysql://db:3306/mart");
        assertThat(load("    destination_type: sqlite\n    url: out/mart.db", "syncing"))
                .isEqualTo(new DestinationSpec("d", "sqlite", "out/mart.db", null, "", Secret.NONE, null));
        assertThat(load("    destination_type: h2\n    url: jdbc:h2:./out/mart", "syncing").schema())
                .isEqualTo("sql_shop_dms");
        assertThat(load("    destination_type: oracle\n    url: ora:1521\n    db_name: ORCLPDB1\n"
                + "    schema: MART", "syncing").schema()).isEqualTo("MART");
        assertThat(load("    destination_type: oracle\n    url: ora\n    db_name: ORCLPDB1", "syncing").schema())
                .as("an Oracle schema is a user: the connecting user's by default").isNull();
    }

    @Test
    void mirroringIsRefusedForS3AndFileAndSuggestsSyncing() throws IOException {
        assertThat(problems("    destination_type: s3\n    s3_bucket_name: my-lake", "mirroring"))
                .endsWith(":10:52 tables[0].mode: mirroring is not available for s3 destination 'd': its objects are"
                        + " never deleted row by row (got 'mirroring'); use mode: syncing (each primary key once,"
                        + " rows deleted at the source are kept)");
        assertThat(problems("    destination_type: file\n    path: out", "mirroring"))
                .contains("mirroring is not available for file destination 'd'");
    }

    @Test
    void keysOfAnotherTypeAreUnknown() throws IOException {
        assertThat(problems("    destination_type: s3\n    s3_bucket_name: my-lake\n    db_name: x", "syncing"))
                .endsWith(":9:5 destination.d.db_name: unknown key; allowed keys: destination_type, s3_bucket_name,"
                        + " s3_endpoint, s3_region, aws_access_key_id, aws_secret_access_key, s3_suffix");
        assertThat(problems("    destination_type: redshift\n    host: h\n    database: d\n    s3_bucket_name: bkt\n"
                + "    username: u", "syncing")).contains("destination.d.username: unknown key; allowed keys: destination_type, host, database, user,");
    }

    @Test
    void badValuesAreNamed() throws IOException {
        assertThat(problems("    destination_type: s3\n    s3_bucket_name: My_Bucket\n    s3_endpoint: 127.0.0.1",
                "syncing"))
                .contains("destination.d.s3_bucket_name: not a valid bucket name (got 'My_Bucket')")
                .contains("destination.d.s3_endpoint: expected http(s)://host[:port] (got '127.0.0.1')");
        assertThat(problems("    destination_type: s3\n    s3_bucket_name: lake\n    aws_access_key_id: k", "syncing"))
                .contains("destination.d.aws_secret_access_key: aws_access_key_id and aws_secret_access_key go"
                        + " together");
        assertThat(problems("    destination_type: mariadb\n    url: jdbc:postgresql://x/y", "syncing"))
                .contains("destination.d.url: not a mariadb JDBC URL (got 'jdbc:postgresql://x/y'); write host,"
                        + " host:port or a jdbc:mariadb: or jdbc:mysql: URL");
        assertThat(problems("    destination_type: file\n    path: out\n    format: xml", "syncing"))
                .contains("destination.d.format: unknown file format (got 'xml'); allowed: parquet, jsonl, csv");
        assertThat(problems("    destination_type: redshift\n    host: h\n    database: d\n    s3_bucket_name: bkt\n"
                + "    iam_role: Copy", "syncing")).contains("destination.d.iam_role: expected an IAM role ARN");
        assertThat(problems("    destination_type: bigquery", "syncing"))
                .contains("destination.d.destination_type: unknown destination type (got 'bigquery'); allowed: pgsql,"
                        + " s3, file, redshift, mysql, mariadb, sqlite, h2, oracle, sqlserver");
    }

    @Test
    void requiredKeysPerType() throws IOException {
        assertThat(problems("    destination_type: s3", "syncing"))
                .contains("destination.d.s3_bucket_name: missing required key; add s3_bucket_name: <bucket>");
        assertThat(problems("    destination_type: file", "syncing"))
                .contains("destination.d.path: missing required key; add path: <folder to write to>");
        assertThat(problems("    destination_type: redshift\n    s3_bucket_name: b", "syncing"))
                .contains("destination.d.host: missing required key").contains("destination.d.database: missing required key");
        assertThat(problems("    destination_type: sqlserver\n    url: db", "syncing"))
                .contains("destination.d.db_name: missing required key; add db_name: <database>");
    }

    private DestinationSpec load(String destination, String mode) throws IOException {
        return MappingLoader.load(write(destination, mode)).destinations().get("d");
    }

    private String problems(String destination, String mode) throws IOException {
        Path file = write(destination, mode);
        return assertThatThrownBy(() -> MappingLoader.load(file)).isInstanceOf(MappingException.class)
                .actual().getMessage();
    }

    private Path write(String destination, String mode) throws IOException {
        String indented = destination.strip().lines().map(l -> "    " + l.strip())
                .collect(java.util.stream.Collectors.joining("\n"));
        return Files.writeString(dir.resolve("shop.yaml"), JOB.formatted(indented, mode));
    }
}
