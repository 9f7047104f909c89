#!/usr/bin/env bash
# Caravan full-load and incremental benchmark, PostgreSQL -> PostgreSQL.
#
# Builds a ROWS-row `events` table in bench_src (reused when it already has ROWS rows),
# then in one run times:
#   a) reference full load: COPY TO STDOUT (binary) | COPY FROM STDIN (binary) into bench_ref
#   b) Caravan full load (fresh state) into bench_dst.public.events, with peak RSS
#   c) (untimed) update 1% of the source rows: updated_at and a value
#   d) ideal incremental: COPY the changed rows (updated_at > max before c) into a stage
#      table on bench_ref, then INSERT ... ON CONFLICT (id) DO UPDATE
#   e) Caravan incremental run (same working dir, so its cursor is kept)
# verifies bench_dst.public.events == bench_src.events (and bench_ref too), and prints
# the ratios against the targets. See bench/README.md.
#
# Environment:
#   PGHOST PGPORT PGUSER PGPASSWORD  server (defaults 127.0.0.1 5432 postgres)
#   ROWS             rows in events (default 2000000)
#   CARAVAN_JAVA_OPTS extra JVM options for the Caravan runs (e.g. -Xmx256m)
#   CARAVAN_JAR      jar to benchmark (default target/caravan.jar, built when missing)
#   CARAVAN_SKIP=1   skip steps b and e (tests the harness without a Caravan jar)
#   BENCH_STRICT=1   exit 3 when a target is missed
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
repo=$PWD

export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-postgres}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"   # psql only; quiets NOTICEs
ROWS=${ROWS:-2000000}
CARAVAN_SKIP=${CARAVAN_SKIP:-0}
BENCH_STRICT=${BENCH_STRICT:-0}
[[ $ROWS =~ ^[1-9][0-9]*$ ]] || { echo "ROWS must be a positive integer (got '$ROWS')" >&2; exit 2; }

work=$repo/bench/work
mkdir -p "$work"

SRC=bench_src REF=bench_ref DST=bench_dst

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
# Row checksum that does not depend on the destination's column order, extra columns,
# or exact types (Caravan may map jsonb/numeric differently): cast back to source types.
CHECKSUM="SELECT count(*) || ' ' || coalesce(md5(string_agg(md5(row(id::bigint, uid::uuid, n::int,
  title::text, payload::jsonb, amount::numeric(12,2), created_at::timestamptz,
  updated_at::timestamptz, note::text)::text), '' ORDER BY id)), '-') FROM"

command -v psql >/dev/null || { echo "psql not found" >&2; exit 2; }
v postgres 'SELECT 1' >/dev/null || { echo "cannot connect to PostgreSQL at $PGHOST:$PGPORT as $PGUSER" >&2; exit 2; }

# ---------------------------------------------------------------- Caravan jar
jar=${CARAVAN_JAR:-$repo/target/caravan.jar}
if [[ $CARAVAN_SKIP != 1 && ! -f $jar && -z ${CARAVAN_JAR:-} ]]; then
  log "target/caravan.jar missing: building it (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi
[[ $CARAVAN_SKIP == 1 || -f $jar ]] || { echo "no Caravan jar at $jar" >&2; exit 2; }

# ---------------------------------------------------------------- source data
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

# ---------------------------------------------------------------- a) reference full load
log "a) reference: COPY binary pipe into $REF"
recreate_db "$REF"
q "$REF" -c "$EVENTS_DDL"
checkpoint "$REF"
t0=$(now)
psql -X -q -v ON_ERROR_STOP=1 -d "$SRC" -c 'COPY events TO STDOUT (FORMAT binary)' \
  | psql -X -q -v ON_ERROR_STOP=1 -d "$REF" -c 'COPY events FROM STDIN (FORMAT binary)'
ref_s=$(elapsed "$t0" "$(now)")
log "a) ${ref_s} s"

# ---------------------------------------------------------------- Caravan runs
mapping=$work/events.yaml
src_pw="" dst_pw=""
if [[ -n ${PGPASSWORD:-} ]]; then   # the mapping names the variable, never the value
  src_pw=$'\n  password: ${env:PGPASSWORD}'
  dst_pw=$'\n    password: ${env:PGPASSWORD}'
fi
cat >"$mapping" <<YAML
# generated by bench/full-load.sh
source:
  source_type: pgsql
  url: $PGHOST:$PGPORT
  db_name: $SRC
  username: $PGUSER$src_pw
destination:
  warehouse:
    destination_type: pgsql
    url: $PGHOST:$PGPORT
    db_name: $DST
    username: $PGUSER$dst_pw
    schema: public
tables:
  - table_name: events
    cron: self-managed
    mode: syncing
    batch_size: 10000
    bookmark: updated_at
    primary_key: id
    primary_key_datatype: int
YAML

# caravan_run NAME: runs Caravan in $work, sets run_s and run_rss_kb
caravan_run() {
  local name=$1 rc=0 out=$work/$1.time
  # shellcheck disable=SC2086
  ( cd "$work" && /usr/bin/time -f '%e %M' -o "$out" \
      java ${CARAVAN_JAVA_OPTS:-} -jar "$jar" run events.yaml ) >"$work/$name.log" 2>&1 || rc=$?
  if [[ $rc != 0 ]]; then
    echo "caravan run ($name) failed with exit $rc; last lines of bench/work/$name.log:" >&2
    tail -n 30 "$work/$name.log" >&2
    exit 1
  fi
  read -r run_s run_rss_kb < <(tail -n 1 "$out")
}

car_full_s="" car_full_rss=0 car_incr_s="" car_incr_rss=0
if [[ $CARAVAN_SKIP == 1 ]]; then
  log "b) skipped (CARAVAN_SKIP=1)"
else
  command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
  log "b) Caravan full load into $DST (fresh state)"
  rm -rf "$work/.caravan"
  recreate_db "$DST"
  checkpoint "$DST"
  caravan_run caravan-full
  car_full_s=$run_s car_full_rss=$run_rss_kb
  log "b) ${car_full_s} s, peak RSS $((car_full_rss / 1024)) MB"
fi

# ---------------------------------------------------------------- c) change 1% at the source
max_before=$(v "$SRC" "SELECT max(updated_at) FROM events")
slot=$(( $(date +%s) % 100 ))
log "c) updating 1% of $SRC.events (id % 100 = $slot), bookmark before: $max_before"
changed=$(v "$SRC" "WITH u AS (
    UPDATE events SET updated_at = greatest(clock_timestamp(), timestamptz '$max_before' + interval '1 microsecond'),
                      n = n + 1, amount = amount + 1.25
    WHERE id % 100 = $slot RETURNING 1)
  SELECT count(*) FROM u")
q "$SRC" -c 'VACUUM ANALYZE events'
log "c) $changed rows changed"

# ---------------------------------------------------------------- d) ideal incremental
log "d) ideal incremental into $REF"
set_list=$(tr -d ' ' <<<"$COLS" | tr ',' '\n' | grep -v '^id$' | sed 's/.*/& = EXCLUDED.&/' | paste -sd, | sed 's/,/, /g')
checkpoint "$REF"
t0=$(now)
psql -X -q -v ON_ERROR_STOP=1 -d "$SRC" \
     -c "COPY (SELECT * FROM events WHERE updated_at > '$max_before') TO STDOUT (FORMAT binary)" \
  | psql -X -q -v ON_ERROR_STOP=1 -d "$REF" \
     -c 'CREATE TEMP TABLE stage (LIKE events)' \
     -c 'COPY stage FROM STDIN (FORMAT binary)' \
     -c "INSERT INTO events SELECT * FROM stage ON CONFLICT (id) DO UPDATE SET $set_list"
ideal_s=$(elapsed "$t0" "$(now)")
log "d) ${ideal_s} s"

# ---------------------------------------------------------------- e) Caravan incremental
if [[ $CARAVAN_SKIP != 1 ]]; then
  log "e) Caravan incremental run (cursor kept)"
  checkpoint "$DST"
  caravan_run caravan-incr
  car_incr_s=$run_s car_incr_rss=$run_rss_kb
  log "e) ${car_incr_s} s, peak RSS $((car_incr_rss / 1024)) MB"
fi

# ---------------------------------------------------------------- verify
log "verifying (row count and md5 of every row, ordered by id)"
sum_src=$(v "$SRC" "$CHECKSUM events")
sum_ref=$(v "$REF" "$CHECKSUM events")
ok=1
if [[ $sum_ref != "$sum_src" ]]; then
  echo "MISMATCH: $REF.events ($sum_ref) != $SRC.events ($sum_src)" >&2; ok=0
fi
if [[ $CARAVAN_SKIP != 1 ]]; then
  sum_dst=$(v "$DST" "$CHECKSUM public.events")
  if [[ $sum_dst != "$sum_src" ]]; then
    echo "MISMATCH: $DST.public.events ($sum_dst) != $SRC.events ($sum_src)" >&2; ok=0
  fi
fi

# ---------------------------------------------------------------- report
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s == "" || s <= 0) print "-"; else printf "%.0f", n / s }'; }
div()  { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b <= 0) print "-"; else printf "%.2f", a / b }'; }
verdict() { # value op target
  awk -v x="$1" -v op="$2" -v t="$3" 'BEGIN { if (x == "-") print "n/a";
    else if ((op == ">=" && x >= t) || (op == "<=" && x <= t) || (op == "<" && x < t)) print "ok"; else print "MISS" }'
}
ratio_full=$(div "$ref_s" "$car_full_s")
ratio_incr=$(div "$car_incr_s" "$ideal_s")
peak_kb=$(( car_full_rss > car_incr_rss ? car_full_rss : car_incr_rss ))
peak_mb=$([[ $CARAVAN_SKIP == 1 ]] && echo - || awk -v k="$peak_kb" 'BEGIN { printf "%.0f", k / 1024 }')

{
  echo
  echo "Caravan benchmark: $ROWS rows ($src_size), $changed changed; PostgreSQL $PGHOST:$PGPORT, $(v postgres 'SHOW server_version')"
  printf '%-36s %10s %10s %12s\n' step seconds rows rows/s
  printf '%-36s %10s %10s %12s\n' "a) reference COPY pipe (full)" "$ref_s" "$ROWS" "$(rate "$ROWS" "$ref_s")"
  printf '%-36s %10s %10s %12s\n' "b) caravan full load" "${car_full_s:--}" "$ROWS" "$(rate "$ROWS" "$car_full_s")"
  printf '%-36s %10s %10s %12s\n' "d) ideal incremental (COPY+upsert)" "$ideal_s" "$changed" "$(rate "$changed" "$ideal_s")"
  printf '%-36s %10s %10s %12s\n' "e) caravan incremental" "${car_incr_s:--}" "$changed" "$(rate "$changed" "$car_incr_s")"
  echo
  printf '%-46s %8s  %-10s %s\n' measure value target verdict
  printf '%-46s %8s  %-10s %s\n' "ratio full (reference_s / caravan_full_s)" "$ratio_full" ">= 0.9" "$(verdict "$ratio_full" '>=' 0.9)"
  printf '%-46s %8s  %-10s %s\n' "ratio incremental (caravan_incr_s / ideal_s)" "$ratio_incr" "<= 1.5" "$(verdict "$ratio_incr" '<=' 1.5)"
  printf '%-46s %8s  %-10s %s\n' "caravan peak RSS MB (max of b, e)" "$peak_mb" "< 512" "$(verdict "$peak_mb" '<' 512)"
  printf '%-46s %8s\n' "destination equals source" "$([[ $ok == 1 ]] && echo yes || echo NO)"
} | tee "$work/last-result.txt"

printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$ROWS" "$ref_s" "${car_full_s:--}" \
  "$ideal_s" "${car_incr_s:--}" "$ratio_full" "$ratio_incr" "$peak_mb" >>"$work/results.tsv"

[[ $ok == 1 ]] || exit 1
if [[ $BENCH_STRICT == 1 ]] && grep -q 'MISS$' "$work/last-result.txt"; then exit 3; fi
exit 0
