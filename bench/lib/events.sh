# Shared by the benchmarks (source it, do not run it): the PostgreSQL connection, small helpers, and the
# ROWS-row `events` table in database bench_src that every benchmark reads. See bench/README.md.
#
# Expects the caller to have cd'd to the repository root and set `repo`. Sets: PGHOST PGPORT PGUSER PGOPTIONS
# (exported), ROWS, SRC, EVENTS_DDL, COLS, and the functions below. events_table sets src_size.
# shellcheck shell=bash

export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-postgres}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"   # psql only; quiets NOTICEs
ROWS=${ROWS:-2000000}
[[ $ROWS =~ ^[1-9][0-9]*$ ]] || { echo "ROWS must be a positive integer (got '$ROWS')" >&2; exit 2; }

SRC=${BENCH_SRC:-bench_src}   # BENCH_SRC: another database, e.g. for a quick test with few ROWS

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
q() { local db=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }    # run SQL
v() { local db=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }  # one value
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
checkpoint() { q "$1" -c 'CHECKPOINT' 2>/dev/null || true; sync; sleep 1; }  # CHECKPOINT needs superuser (best effort); sync flushes the OS's dirty pages so that no step pays for the previous one's writes
db_exists() { [[ $(v postgres "SELECT count(*) FROM pg_database WHERE datname = '$1'") == 1 ]]; }
recreate_db() { q postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

EVENTS_DDL="CREATE TABLE events (
    id         bigserial PRIMARY KEY,
    uid        uuid,
    n          int,
    title      text,
    payload    jsonb,
    amount     numeric(12,2),
    created_at timestamptz,
    updated_at timestamptz,
    note       text
);"
COLS="id, uid, n, title, payload, amount, created_at, updated_at, note"

# check_pg: psql is there and the server answers
check_pg() {
  command -v psql >/dev/null || { echo "psql not found" >&2; exit 2; }
  v postgres 'SELECT 1' >/dev/null || { echo "cannot connect to PostgreSQL at $PGHOST:$PGPORT as $PGUSER" >&2; exit 2; }
}

# caravan_jar SKIP: sets jar (CARAVAN_JAR or target/caravan.jar, built when missing unless SKIP is 1)
caravan_jar() {
  jar=${CARAVAN_JAR:-$repo/target/caravan.jar}
  if [[ $1 != 1 && ! -f $jar && -z ${CARAVAN_JAR:-} ]]; then
    log "target/caravan.jar missing: building it (mvn -B -q package -DskipTests)"
    mvn -B -q package -DskipTests
  fi
  [[ $1 == 1 || -f $jar ]] || { echo "no Caravan jar at $jar" >&2; exit 2; }
}

# events_table: builds $SRC.events with ROWS rows (reused when it already has ROWS rows), vacuums it, warms the
# cache with one full read, and sets src_size
events_table() {
  local have t0
  db_exists "$SRC" || q postgres -c "CREATE DATABASE $SRC"
  have=none
  if [[ $(v "$SRC" "SELECT to_regclass('public.events') IS NOT NULL") == t ]]; then
    have=$(v "$SRC" "SELECT count(*) FROM events")
  fi
  if [[ $have == "$ROWS" ]]; then
    log "reusing $SRC.events ($ROWS rows)"
  else
    log "building $SRC.events with $ROWS rows (had: $have)"
    t0=$(now)
    q "$SRC" <<SQL
DROP TABLE IF EXISTS events;
$EVENTS_DDL
INSERT INTO events (uid, n, title, payload, amount, created_at, updated_at, note)
SELECT gen_random_uuid(),
       (g * 7919) % 1000003,
       'event ' || g || ' ' || substr(md5(g::text), 1, 12),
       jsonb_build_object(
         'user_id', g % 100000,
         'kind', (ARRAY['click', 'view', 'purchase', 'signup', 'refund'])[(1 + g % 5)::int],
         'tags', jsonb_build_array('t' || g % 17, 't' || g % 31, 't' || g % 7),
         'ok', g % 3 <> 0,
         'ref', md5(g::text),
         'msg', md5((g + 1)::text) || md5((g + 2)::text)),
       round((random() * 100000)::numeric, 2),
       ts,
       ts + ((g * 7919) % 86400) * interval '1 second' + (g % 1000000) * interval '1 microsecond',
       CASE WHEN g % 5 = 0 THEN NULL
            ELSE 'note ' || g || ' – ünïcödé ✓ 事件 ' || (ARRAY['α', 'β', 'γ', 'Ω', 'ß'])[(1 + g % 5)::int] END
FROM generate_series(1::bigint, $ROWS) AS g,
     LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + g * interval '10 seconds' AS ts) AS t;
CREATE INDEX events_updated_at_idx ON events (updated_at);
SQL
    log "built in $(elapsed "$t0" "$(now)") s"
  fi
  log "vacuum analyze $SRC.events"
  q "$SRC" -c 'VACUUM ANALYZE events'   # hint bits and visibility map: every reader pays the same
  src_size=$(v "$SRC" "SELECT pg_size_pretty(pg_table_size('events'))")

  # warm the cache so that the first timed reader is not penalised
  log "warming the cache"
  psql -X -q -v ON_ERROR_STOP=1 -d "$SRC" -c 'COPY events TO STDOUT (FORMAT binary)' >/dev/null
}

# test_classpath: compiles the tests and sets cp to target/classes, target/test-classes and the test-scope
# dependencies (DuckDB's JDBC driver, the AWS SDK, ...), offline when Maven's local repository has them
test_classpath() {
  local cp_file=target/bench-classpath.txt
  mvn -B -q -o test-compile 2>/dev/null || mvn -B -q test-compile
  mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
    || mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
  cp="target/classes:target/test-classes:$(cat "$cp_file")"
}
