package io.caravan.mapping;

/**
 * One named entry of the mapping's {@code destination} map (DMS seed, "Destination"), with defaults filled in by the
 * loader. Which fields a type uses:
 *
 * <table>
 *   <caption>fields per destination_type</caption>
 *   <tr><th>type</th><th>url</th><th>dbName</th><th>schema</th><th>other</th></tr>
 *   <tr><td>pgsql</td><td>host[:port], jdbc:postgresql: URL or embedded</td><td>db_name</td><td>schema</td><td></td></tr>
 *   <tr><td>redshift</td><td>{@code host} (host[:port], port 5439 by default)</td><td>{@code database}</td>
 *       <td>schema</td><td>{@code user} as username; s3 (staging); iamRole</td></tr>
 *   <tr><td>mysql, mariadb, oracle, sqlserver</td><td>host[:port] or a jdbc: URL</td>
 *       <td>db_name (Oracle: service name)</td><td>schema (MySQL/MariaDB: the database written to; Oracle: null
 *       by default, the connecting user's schema)</td><td></td></tr>
 *   <tr><td>sqlite, h2</td><td>a file path or a jdbc: URL</td><td>null</td><td>schema (SQLite: null)</td>
 *       <td></td></tr>
 *   <tr><td>s3</td><td>null</td><td>null</td><td>null</td><td>s3, suffix</td></tr>
 *   <tr><td>file</td><td>null</td><td>null</td><td>null</td><td>path, format, suffix</td></tr>
 * </table>
 *
 * @param name            the user's name for the destination (the map key); never null
 * @param destinationType one of {@link #TYPES}; never null
 * @param url             see the table; null where the type has none
 * @param dbName          database name; null where the type has none
 * @param username        user name; empty when not given
 * @param password        password; {@link Secret#NONE} when not given
 * @param schema          target schema; for pgsql and redshift never null (the default {@code sql_<source db_name>_dms}
 *                        is filled in by the loader); null where the type has none
 * @param s3              the bucket and how to reach it: s3's data, redshift's staging; null for other types
 * @param suffix          appended to each table's folder name and Athena table name ({@code s3_suffix} for s3,
 *                        {@code suffix} for file); empty when not given
 * @param path            the folder of a file destination (absolute, or relative to the working directory); null for
 *                        other types
 * @param format          file format of s3 and file destinations; null for other types
 * @param iamRole         redshift's {@code iam_role} ARN for {@code COPY}; null when not given (the staging
 *                        credentials of {@code s3} are then passed to {@code COPY})
 */
public record DestinationSpec(String name, String destinationType, String url, String dbName, String username,
                              Secret password, String schema, S3Location s3, String suffix, String path,
                              FileFormat format, String iamRole) {

    /** Every {@code destination_type} this build writes. */
    public static final java.util.List<String> TYPES = java.util.List.of("pgsql", "s3", "file", "redshift", "mysql",
            "mariadb", "sqlite", "h2", "oracle", "sqlserver");

    /**
     * A database destination (pgsql and the other JDBC types).
     *
     * @see #DestinationSpec(String, String, String, String, String, Secret, String, S3Location, String, String,
     *      FileFormat, String)
     */
    public DestinationSpec(String name, String destinationType, String url, String dbName, String username,
                           Secret password, String schema) {
        this(name, destinationType, url, dbName, username, password, schema, null, "", null, null, null);
    }

    /** File formats of s3 and file destinations. */
    public enum FileFormat {
        PARQUET, JSONL, CSV;

        /** @return the value written in mappings and the file extension, e.g. {@code parquet} */
        public String wireValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * An S3 bucket and how to reach it (DMS seed {@code s3_bucket_name}; the other keys let any S3-compatible server
     * work).
     *
     * @param bucket          bucket name; never null
     * @param endpoint        endpoint URL, e.g. {@code http://127.0.0.1:9090} (path-style access is then used); null
     *                        for AWS
     * @param region          region, e.g. {@code eu-west-1}; null for the AWS default region chain (us-east-1 when an
     *                        endpoint is given)
     * @param accessKeyId     {@code aws_access_key_id}; null for the AWS default credential chain
     * @param secretAccessKey {@code aws_secret_access_key}; null when {@code accessKeyId} is null
     */
    public record S3Location(String bucket, String endpoint, String region, Secret accessKeyId,
                             Secret secretAccessKey) {
    }
}
