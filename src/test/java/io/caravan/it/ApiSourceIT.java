package io.caravan.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP API sources ({@code source_type: api}) through {@code caravan run} into PostgreSQL, against a local server that
 * pages its answers, requires its token and changes its data between runs ({@link ApiTestServer}).
 *
 * <p>The token is this process's {@code HOME}, sent as {@code Bearer ${env:HOME}}: tests cannot set environment
 * variables of their own JVM, and this one is always set, so the mapping's {@code ${env:..}} reference is resolved for
 * real.
 */
class ApiSourceIT {

    private static final String TOKEN = "Bearer " + System.getenv("HOME");

    @TempDir
    Path dir;

    private ApiTestServer api;
    private PipelineHarness h;

    @BeforeEach
    void start() throws IOException {
        api = new ApiTestServer(TOKEN);
        h = new PipelineHarness(dir, 1);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** Writes the job {@code crm} with one {@code apis} entry whose other keys are {@code entry} (4-space indent). */
    private Path mapping(String entry) throws IOException {
        Path file = dir.resolve("crm.yaml");
        Files.writeString(file, "source: {source_type: api, db_name: crm}\ndestination:\n"
                + h.destinationYaml("warehouse", 0, "dw") + "apis:\n  - api_name: contacts\n    cron: self-managed\n"
                + "    auth_header: 'Bearer ${env:HOME}'\n" + entry);
        return file;
    }

    private String pagedByNumber(String mode) {
        return "    url: " + api.base() + "/items?per_page=3&api_key=k3y\n    records_path: /data/items\n"
                + "    page_param: page\n    mode: " + mode + "\n    batch_size: 4\n";
    }

    private String pagedByBookmark(String mode) {
        return "    url: " + api.base() + "/changes\n    bookmark_param: since\n    bookmark: updated_at\n"
                + "    mode: " + mode + "\n    batch_size: 4\n    primary_key: id\n    primary_key_datatype: int\n";
    }

    private List<String> target(String columns) {
        return h.rows(h.destinationDb(0), "SELECT " + columns + " FROM dw.contacts ORDER BY id");
    }

    /** Seven records with a nested object, an array, declared fields with one value that will not cast. */
    private void seven() {
        for (int i = 1; i <= 7; i++) {
            api.put(i, "name", "c" + i, "score", i == 5 ? "n/a" : String.valueOf(i * 10), "vip", i % 2 == 0,
                    "address", Map.of("city", "X" + i), "tags", List.of("a", "b"),
                    "updated_at", "2024-05-01T10:00:0" + i + "Z");
        }
    }

    @Test
    void dumpingReadsEveryPageEachRunWithCastsAndJsonb() throws IOException {
        seven();
        Path m = mapping(pagedByNumber("dumping") + "    fields: {score: int, vip: bool, updated_at: datetime}\n");
        assertThat(h.runOk(m).out()).contains("1 value(s) would not cast and got the seed's default");
        assertThat(target("id, name, score, vip, address, tags, updated_at")).containsExactly(
                "1|c1|10|f|{\"city\": \"X1\"}|[\"a\", \"b\"]|2024-05-01 10:00:01+00",
                "2|c2|20|t|{\"city\": \"X2\"}|[\"a\", \"b\"]|2024-05-01 10:00:02+00",
                "3|c3|30|f|{\"city\": \"X3\"}|[\"a\", \"b\"]|2024-05-01 10:00:03+00",
                "4|c4|40|t|{\"city\": \"X4\"}|[\"a\", \"b\"]|2024-05-01 10:00:04+00",
                "5|c5|0|f|{\"city\": \"X5\"}|[\"a\", \"b\"]|2024-05-01 10:00:05+00",
                "6|c6|60|t|{\"city\": \"X6\"}|[\"a\", \"b\"]|2024-05-01 10:00:06+00",
                "7|c7|70|f|{\"city\": \"X7\"}|[\"a\", \"b\"]|2024-05-01 10:00:07+00");
        assertThat(h.columnTypes(h.destinationDb(0), "dw.contacts", false)).contains("id text", "name text",
                "score bigint", "vip boolean", "address jsonb", "tags jsonb",
                "updated_at timestamp with time zone");
        // pages 1..3 hold 3+3+1 records, page 4 is empty; the mapping's own query parameters are kept
        assertThat(api.requests()).containsExactly("/items?per_page=3&api_key=k3y&page=1",
                "/items?per_page=3&api_key=k3y&page=2", "/items?per_page=3&api_key=k3y&page=3",
                "/items?per_page=3&api_key=k3y&page=4");

        api.put(8, "name", "c8", "nickname", "eight");
        h.runOk(m);
        assertThat(h.rows(h.destinationDb(0), "SELECT count(*), count(DISTINCT migration_snapshot_date)"
                + " FROM dw.contacts")).containsExactly("15|2");
        assertThat(h.rows(h.destinationDb(0), "SELECT nickname FROM dw.contacts WHERE nickname IS NOT NULL"))
                .containsExactly("eight");
    }

    @Test
    void strictFalseWritesNestedValuesAsText() throws IOException {
        seven();
        h.runOk(mapping(pagedByNumber("dumping") + "    strict: false\n"));
        assertThat(h.columnTypes(h.destinationDb(0), "dw.contacts", false)).contains("address text", "tags text",
                "vip text", "score text");
        assertThat(target("address, vip, score").get(0)).isEqualTo("{\"city\":\"X1\"}|false|10");
    }

    @Test
    void loggingAppendsRecordsAboveTheKeyAndNeverUpdates() throws IOException {
        seven();
        Path m = mapping(pagedByNumber("logging") + "    primary_key: id\n    primary_key_datatype: int\n");
        h.runOk(m);
        assertThat(target("id, name")).hasSize(7);
        api.put(3, "name", "changed");
        api.put(8, "name", "c8");
        api.put(9, "name", "c9");
        h.runOk(m);
        assertThat(target("id, name")).containsExactly("1|c1", "2|c2", "3|c3", "4|c4", "5|c5", "6|c6", "7|c7",
                "8|c8", "9|c9");
        assertThat(h.columnTypes(h.destinationDb(0), "dw.contacts", true)).contains("id bigint NOT NULL");
    }

    @Test
    void loggingOutOfKeyOrderCommitsTheGreatestKey() throws IOException {
        seven();
        api.descending(true);
        Path m = mapping(pagedByNumber("logging").replace("batch_size: 4", "batch_size: 2")
                + "    primary_key: id\n    primary_key_datatype: int\n");
        h.runOk(m);
        api.put(8, "name", "c8");
        api.put(0, "name", "c0");
        PipelineHarness.Result r = h.runOk(m);
        assertThat(target("id")).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
        assertThat(r.out()).containsPattern("crm\\s+contacts\\s+warehouse\\s+succeeded\\s+1\\s+1");
    }

    @Test
    void loggingByBookmarkSendsTheLastKey() throws IOException {
        seven();
        Path m = mapping("    url: " + api.base() + "/byid\n    bookmark_param: after\n    bookmark: id\n"
                + "    mode: logging\n    primary_key: id\n    primary_key_datatype: int\n");
        h.runOk(m);
        assertThat(api.requests()).containsExactly("/byid", "/byid?after=3", "/byid?after=6", "/byid?after=7");
        api.put(8, "name", "c8");
        int before = api.requests().size();
        h.runOk(m);
        assertThat(api.requests().subList(before, api.requests().size()))
                .containsExactly("/byid?after=7", "/byid?after=8");
        assertThat(target("id")).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
    }

    @Test
    void syncingByBookmarkUpsertsChangesAndSendsTheCursor() throws IOException {
        seven();
        Path m = mapping(pagedByBookmark("syncing"));
        h.runOk(m);
        assertThat(target("id, name")).hasSize(7);
        assertThat(api.requests()).containsExactly("/changes", "/changes?since=2024-05-01T10%3A00%3A03Z",
                "/changes?since=2024-05-01T10%3A00%3A06Z", "/changes?since=2024-05-01T10%3A00%3A07Z");

        int before = api.requests().size();
        api.put(2, "name", "two", "updated_at", "2024-05-02T00:00:00Z");
        api.put(8, "name", "c8", "updated_at", "2024-05-02T00:00:01Z");
        h.runOk(m);
        assertThat(api.requests().get(before)).isEqualTo("/changes?since=2024-05-01T10%3A00%3A07Z");
        assertThat(target("id, name")).containsExactly("1|c1", "2|two", "3|c3", "4|c4", "5|c5", "6|c6", "7|c7",
                "8|c8");
        // no record of this run has an address: the column is not in the run's shape, so the upsert leaves it
        assertThat(h.rows(h.destinationDb(0), "SELECT address FROM dw.contacts WHERE id = 2"))
                .containsExactly("{\"city\": \"X2\"}");
    }

    @Test
    void syncingByPageSkipsRecordsAtOrBelowTheCursor() throws IOException {
        seven();
        Path m = mapping(pagedByNumber("syncing") + "    bookmark: updated_at\n    primary_key: id\n"
                + "    primary_key_datatype: int\n");
        h.runOk(m);
        api.put(4, "name", "four", "updated_at", "2024-05-03T00:00:00Z");
        PipelineHarness.Result r = h.runOk(m);
        assertThat(target("id, name")).hasSize(7).contains("4|four");
        assertThat(r.out()).containsPattern("crm\\s+contacts\\s+warehouse\\s+succeeded\\s+1\\s+1");
    }

    @Test
    void badTokenFailsWithTheStatusAndUrlAndNoSecret() throws IOException {
        seven();
        Path m = mapping(pagedByNumber("dumping"));
        Files.writeString(m, Files.readString(m).replace("Bearer ${env:HOME}", "Bearer wrong-t0ken"));
        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(m));
        assertThat(r.exitCode()).isEqualTo(1);
        String all = r.out() + r.err();
        assertThat(all).contains("HTTP 401 from " + api.base() + "/items?per_page=***&api_key=***&page=1")
                .contains("check auth_header").doesNotContain("wrong-t0ken").doesNotContain("k3y");
    }

    @Test
    void aFailureMidRunKeepsTheCursorAndTheRerunCompletesWithoutDuplicates() throws IOException {
        seven();
        Path m = mapping(pagedByBookmark("syncing"));
        h.runOk(m);
        api.put(3, "name", "three", "updated_at", "2024-05-04T00:00:00Z");
        for (int i = 8; i <= 12; i++) {
            api.put(i, "name", "c" + i, "updated_at", "2024-05-04T00:00:0" + i % 10 + "Z");
        }
        api.failRequest(2);
        PipelineHarness.Result failed = h.caravan(PipelineHarness.runArgs(m));
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out() + failed.err()).contains("HTTP 500 from " + api.base() + "/changes?since=");
        assertThat(target("id, name")).hasSize(7).contains("3|c3");

        int before = api.requests().size();
        h.runOk(m);
        assertThat(api.requests().get(before)).isEqualTo("/changes?since=2024-05-01T10%3A00%3A07Z");
        assertThat(target("id, name")).containsExactly("1|c1", "2|c2", "3|three", "4|c4", "5|c5", "6|c6", "7|c7",
                "8|c8", "9|c9", "10|c10", "11|c11", "12|c12");
    }
}
