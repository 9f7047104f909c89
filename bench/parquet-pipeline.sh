#!/usr/bin/env bash
# Parquet through the real pipeline: `java -jar target/caravan.jar run` writing the ROWS-row `events` table of
# bench_src (bench/lib/events.sh, the table bench/full-load.sh uses) to a file destination and to an s3 destination
# on S3Mock (a separate process), against DuckDB's own `COPY events TO 'x.parquet' (FORMAT parquet)` of the same
# rows, in one run. Every output is read back and compared with the source. See bench/README.md.
#
# Environment:
#   PGHOST PGPORT PGUSER PGPASSWORD  server (defaults 127.0.0.1 5432 postgres)
#   ROWS               rows in events (default 2000000)
#   BATCH              batch_size of the mapping (default 10000)
#   MODES              Caravan modes to run, among dumping and syncing (default "dumping syncing")
#   CARAVAN_JAR        jar to benchmark (default target/caravan.jar, built when missing)
#   CARAVAN_JAVA_OPTS  extra JVM options for the Caravan runs
#   S3MOCK_JAR         S3Mock's executable jar (default: 4.12.4 in ~/.m2, fetched with mvn when missing)
#   S3MOCK_JAVA_OPTS   JVM options of S3Mock (default -Xmx1g)
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
repo=$PWD
. "$repo/bench/lib/events.sh"   # PG* defaults, ROWS, SRC, helpers, events_table, test_classpath

BATCH=${BATCH:-10000}
MODES=${MODES:-dumping syncing}
S3MOCK_VERSION=4.12.4
S3MOCK_JAR=${S3MOCK_JAR:-$HOME/.m2/repository/com/adobe/testing/s3mock/$S3MOCK_VERSION/s3mock-$S3MOCK_VERSION-exec.jar}
BUCKET=bench
[[ $BATCH =~ ^[1-9][0-9]*$ ]] || { echo "BATCH must be a positive integer (got '$BATCH')" >&2; exit 2; }
for m in $MODES; do
  [[ $m == dumping || $m == syncing ]] || { echo "MODES: dumping and/or syncing (got '$m')" >&2; exit 2; }
done

out=$repo/bench/work          # results
work=$out/pipeline            # this run's files, replaced on each run
check_pg
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
caravan_jar 0
if [[ ! -f $S3MOCK_JAR ]]; then
  log "fetching S3Mock $S3MOCK_VERSION"
  mvn -B -q dependency:get -Dartifact=com.adobe.testing:s3mock:$S3MOCK_VERSION:jar:exec -Dtransitive=false
fi
log "compiling the tests for the class path of bench/ParquetCheck.java (DuckDB JDBC, AWS SDK)"
test_classpath
check() { java -cp "$cp" "$repo/bench/ParquetCheck.java" "$@" | tail -n 1; }   # its result line (see bench/ParquetCheck.java); libraries may print before it

events_table
rm -rf "$work"
mkdir -p "$work"
expect=$(v "$SRC" "SELECT 'rows=' || count(*) || ' ids=' || count(DISTINCT id) || ' sum_n=' || sum(n)
                   || ' sum_amount=' || sum(amount) FROM events")
log "source: $expect"

# ---------------------------------------------------------------- S3Mock
free_port() {  # a port nothing listens on
  local p
  while :; do
    p=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
s3_port=$(free_port) s3_tls_port=$(free_port)
endpoint=http://127.0.0.1:$s3_port
log "starting S3Mock $S3MOCK_VERSION on $endpoint (bucket $BUCKET)"
# shellcheck disable=SC2086
java ${S3MOCK_JAVA_OPTS:--Xmx1g} -jar "$S3MOCK_JAR" --com.adobe.testing.s3mock.httpPort="$s3_port" \
  --server.port="$s3_tls_port" --com.adobe.testing.s3mock.store.initialBuckets="$BUCKET" \
  --com.adobe.testing.s3mock.store.root="$work/s3mock-store" >"$work/s3mock.log" 2>&1 &
s3_pid=$!
trap 'kill "$s3_pid" 2>/dev/null || true; wait "$s3_pid" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -sf "$endpoint/$BUCKET?list-type=2&max-keys=1" >/dev/null 2>&1 && break
  kill -0 "$s3_pid" 2>/dev/null || { echo "S3Mock exited; bench/work/pipeline/s3mock.log:" >&2; tail -20 "$work/s3mock.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$endpoint/$BUCKET?list-type=2&max-keys=1" >/dev/null || { echo "S3Mock did not answer on $endpoint" >&2; exit 1; }

# ---------------------------------------------------------------- a) DuckDB reference
log "exporting $SRC.events to CSV for DuckDB (untimed)"
PGTZ=UTC q "$SRC" -c "\\copy events ($COLS) TO '$work/events.csv' (FORMAT csv, HEADER)"
log "a) DuckDB: load the CSV (untimed), then COPY events TO parquet (timed)"
sync
duck_line=$(check copy "$work/events.csv" "$work/duckdb-events.parquet")
rm -f "$work/events.csv"
duck_s=$(sed -E 's/.*seconds=([^ ]+).*/\1/' <<<"$duck_line")
duck_cpu=$(sed -E 's/.*cpu=([^ ]+).*/\1/' <<<"$duck_line")
duck_bytes=$(sed -E 's/.*bytes=([^ ]+).*/\1/' <<<"$duck_line")
duck_stats=${duck_line#* bytes=* }
log "a) ${duck_s} s, ${duck_cpu} CPU s; read back: $duck_stats"

# ---------------------------------------------------------------- Caravan runs
src_pw=""
if [[ -n ${PGPASSWORD:-} ]]; then   # the mapping names the variable, never the value
  src_pw=$'\n  password: ${env:PGPASSWORD}'
fi

# mapping KIND MODE: the mapping of one run on stdout
mapping() {
  local kind=$1 mode=$2 dest keys=""
  if [[ $kind == file ]]; then
    dest="    destination_type: file
    path: $work/$kind-$mode/lake
    format: parquet"
  else
    dest="    destination_type: s3
    s3_bucket_name: $BUCKET
    s3_suffix: _$mode
    s3_endpoint: $endpoint
    s3_region: us-east-1
    aws_access_key_id: bench
    aws_secret_access_key: bench"
  fi
  if [[ $mode == syncing ]]; then
    keys="
    bookmark: updated_at
    primary_key: id
    primary_key_datatype: int"
  fi
  cat <<YAML
# generated by bench/parquet-pipeline.sh
source:
  source_type: pgsql
  url: $PGHOST:$PGPORT
  db_name: $SRC
  username: $PGUSER$src_pw
destination:
  lake:
$dest
tables:
  - table_name: events
    cron: self-managed
    mode: $mode
    batch_size: $BATCH$keys
YAML
}

declare -A secs rss cpu bytes stats inrun
names=()
for mode in $MODES; do
  for kind in file s3; do
    name=$kind-$mode
    names+=("$name")
    dir=$work/$name
    mkdir -p "$dir"
    mapping "$kind" "$mode" >"$dir/events.yaml"
    log "b) Caravan $mode to $kind (fresh state)"
    sync
    rc=0
    # shellcheck disable=SC2086
    ( cd "$dir" && /usr/bin/time -f '%e %M %U %S' -o "$dir/time" \
        java ${CARAVAN_JAVA_OPTS:-} -jar "$jar" run events.yaml ) >"$dir/caravan.log" 2>&1 || rc=$?
    if [[ $rc != 0 ]]; then
      echo "caravan run ($name) failed with exit $rc; last lines of $dir/caravan.log:" >&2
      tail -n 30 "$dir/caravan.log" >&2
      exit 1
    fi
    read -r secs[$name] rss[$name] user sys < <(tail -n 1 "$dir/time")
    cpu[$name]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    # the summary's own seconds for the table, when it prints them (JVM and Camel start-up excluded)
    inrun[$name]=$(awk '$1 == "events" && $2 == "events" && $3 == "lake" && $4 == "succeeded" { print $(NF - 1) }' \
                   "$dir/caravan.log" | tail -n 1)
    if [[ $kind == file ]]; then
      line=$(check files "$dir/lake/events")
      bytes[$name]=$(find "$dir/lake/events" -name '*.parquet' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
      stats[$name]=$line
    else
      line=$(check s3 "$endpoint" "$BUCKET" "events_$mode/" "$dir/download")
      rm -rf "$dir/download"
      bytes[$name]=$(sed -E 's/.*bytes=([^ ]+).*/\1/' <<<"$line")
      stats[$name]=${line#* bytes=* }
      objects=$(sed -E 's/objects=([^ ]+).*/\1/' <<<"$line")
      log "b) $objects objects in s3://$BUCKET/events_$mode/"
    fi
    log "b) ${secs[$name]} s, ${cpu[$name]} CPU s, peak RSS $(( ${rss[$name]} / 1024 )) MB; read back: ${stats[$name]}"
  done
done

# ---------------------------------------------------------------- report
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s == "" || s <= 0) print "-"; else printf "%.0f", n / s }'; }
div()  { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || a == "-" || b == "" || b <= 0) print "-"; else printf "%.2f", a / b }'; }
mb()   { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }'; }
ok=1
same() { if [[ $1 == "$expect" ]]; then echo yes; else ok=0; echo NO; fi; }
duck_rate=$(rate "$ROWS" "$duck_s")
{
  echo
  echo "Parquet pipeline benchmark: $ROWS rows ($src_size in PostgreSQL), batch_size $BATCH;" \
       "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  fmt='%-28s %7s %8s %5s %8s %5s %6s %8s %5s %6s %4s  %s\n'
  printf "$fmt" step seconds rows/s ratio in-run_s ratio cpu_s rows/cpus ratio RSS_MB MB "read back = source"
  dcr=$(rate "$ROWS" "$duck_cpu")
  printf "$fmt" "duckdb COPY TO parquet (ref)" "$duck_s" "$duck_rate" 1.00 "$duck_s" 1.00 "$duck_cpu" "$dcr" 1.00 - \
    "$(mb "$duck_bytes")" "$(same "$duck_stats")"
  for name in "${names[@]}"; do
    r=$(rate "$ROWS" "${secs[$name]}")
    ri=$(rate "$ROWS" "${inrun[$name]}")
    rc=$(rate "$ROWS" "${cpu[$name]}")
    printf "$fmt" "caravan ${name/-/ }" "${secs[$name]}" "$r" "$(div "$r" "$duck_rate")" "${inrun[$name]:--}" \
      "$(div "$ri" "$duck_rate")" "${cpu[$name]}" "$rc" "$(div "$rc" "$dcr")" "$(( ${rss[$name]} / 1024 ))" \
      "$(mb "${bytes[$name]}")" "$(same "${stats[$name]}")"
  done
  echo "ratio: caravan rows/s / duckdb rows/s. seconds: the whole java -jar process (JVM start included);"
  echo "in-run_s: the run summary's seconds for the table (reading PostgreSQL included, start-up excluded);"
  echo "cpu_s: user + system CPU seconds of the caravan process (not PostgreSQL's nor S3Mock's), of DuckDB's COPY"
  echo "source: $expect"
} | tee "$out/pipeline-last-result.txt"

{
  printf '%s\t%s\t%s\tduckdb=%s/%s' "$(date -u +%FT%TZ)" "$ROWS" "$BATCH" "$duck_s" "$duck_cpu"
  for name in "${names[@]}"; do
    printf '\t%s=%s/%s/%s/%s' "$name" "${secs[$name]}" "${inrun[$name]}" "${cpu[$name]}" "$(( ${rss[$name]} / 1024 ))"
  done
  printf '\n'
} >>"$out/pipeline-results.tsv"

[[ $ok == 1 ]] || { echo "MISMATCH: a Parquet output does not hold the source's rows" >&2; exit 1; }
exit 0
