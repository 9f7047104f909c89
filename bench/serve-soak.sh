#!/usr/bin/env bash
# Serve-mode soak: `caravan serve` runs TABLES tables (default 20) of one job on 5-second crons for DURATION seconds
# (default 600) while a writer inserts rows into random tables; every SAMPLE seconds (default 15) the script records
# the process's live heap after a full GC (jcmd GC.run, then GC.heap_info), its resident memory and its thread count.
# The reference is the same run's first third after WARMUP seconds (default 60: pools and caches fill): the script prints the ratio of the last third's averages to the
# first third's (target: heap and RSS within 1.2x, threads within +5), then checks that every source row reached
# the destination.
#
# Environment: PGHOST PGPORT PGUSER (PostgreSQL, defaults 127.0.0.1 5432 postgres); TABLES; DURATION; SAMPLE;
# WARMUP; CARAVAN_JAR; CARAVAN_JAVA_OPTS (default -Xmx512m); BENCH_STRICT=1 exits 3 when a target is missed.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
repo=$PWD
ROWS=1 . "$repo/bench/lib/events.sh"
TABLES=${TABLES:-20}
DURATION=${DURATION:-600}
SAMPLE=${SAMPLE:-15}
WARMUP=${WARMUP:-60}
BENCH_STRICT=${BENCH_STRICT:-0}
SRC=bench_soak_src
DST=bench_soak_dst
work=$repo/bench/work/soak
rm -rf "$work" && mkdir -p "$work"
check_pg
caravan_jar 0

log "source $SRC and destination $DST: $TABLES tables of 1,000 rows"
recreate_db $SRC
recreate_db $DST
for i in $(seq 1 "$TABLES" | xargs printf '%02d '); do
  q $SRC -c "CREATE TABLE t$i (id bigserial PRIMARY KEY, note text, updated_at timestamptz NOT NULL DEFAULT now())" \
         -c "INSERT INTO t$i (note, updated_at) SELECT 'row ' || g, now() - interval '1 hour' FROM generate_series(1, 1000) g"
done

{
  printf 'source:\n  source_type: pgsql\n  url: %s:%s\n  db_name: %s\n  username: %s\n' "$PGHOST" "$PGPORT" $SRC "$PGUSER"
  [[ -n ${PGPASSWORD:-} ]] && printf '  password: %s\n' "$PGPASSWORD"
  printf 'destination:\n  warehouse:\n    destination_type: pgsql\n    url: %s:%s\n    db_name: %s\n    username: %s\n' \
    "$PGHOST" "$PGPORT" $DST "$PGUSER"
  [[ -n ${PGPASSWORD:-} ]] && printf '    password: %s\n' "$PGPASSWORD"
  printf 'tables:\n'
  for i in $(seq 1 "$TABLES" | xargs printf '%02d '); do
    printf '  - table_name: t%s\n    cron: "0/5 * * * * ?"\n    mode: syncing\n    batch_size: 500\n' "$i"
    printf '    primary_key: id\n    primary_key_datatype: int\n    bookmark: updated_at\n'
  done
} > "$work/soak.yaml"

log "caravan serve for $DURATION s, sampling every $SAMPLE s"
( cd "$work" && exec java ${CARAVAN_JAVA_OPTS:--Xmx512m} -jar "$jar" serve soak.yaml ) \
  >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; kill $writer 2>/dev/null || true' EXIT

( while true; do
    t=$(printf '%02d' $(( RANDOM % TABLES + 1 )))
    psql -X -q -d $SRC -c "INSERT INTO t$t (note) VALUES ('soak')" 2>/dev/null || true
    sleep 0.1
  done ) &
writer=$!

heap() { jcmd "$pid" GC.run >/dev/null 2>&1; jcmd "$pid" GC.heap_info 2>/dev/null \
  | awk '/garbage-first heap|def new generation|PSYoungGen|total .* used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K,?$/, "", v); s += v } } END { print s + 0 }'; }
printf 'second heap_kb rss_kb threads\n' > "$work/samples.txt"
start=$(date +%s)
while (( $(date +%s) - start < DURATION )); do
  sleep "$SAMPLE"
  kill -0 $pid 2>/dev/null || { log "caravan serve exited early:"; tail -20 "$work/serve.log" >&2; exit 1; }
  printf '%s %s %s %s\n' $(( $(date +%s) - start )) "$(heap)" "$(ps -o rss= -p $pid | tr -d ' ')" \
    "$(ls /proc/$pid/task | wc -l)" >> "$work/samples.txt"
done
kill $writer; wait $writer 2>/dev/null || true
sleep 12   # two more schedules: the last rows reach the destination
kill $pid; wait $pid 2>/dev/null || true
trap - EXIT

cat "$work/samples.txt"
read -r heap_ratio rss_ratio thread_diff < <(awk -v w="$WARMUP" 'NR > 1 && $1 >= w { n++; s[n] = $1; h[n] = $2; r[n] = $3; t[n] = $4 }
  END { k = int(n / 3); if (k < 1) k = 1
        for (i = 1; i <= k; i++) { h1 += h[i]; r1 += r[i]; t1 += t[i] }
        for (i = n - k + 1; i <= n; i++) { h2 += h[i]; r2 += r[i]; t2 += t[i] }
        printf "%.2f %.2f %.1f\n", h2 / h1, r2 / r1, (t2 - t1) / k }' "$work/samples.txt")
runs=$(grep -c ': succeeded in' "$work/serve.log" || true)
failed=$(grep -c ': failed in' "$work/serve.log" || true)
skipped=$(grep -c 'skipped: the previous run' "$work/serve.log" || true)
src_rows=0; dst_rows=0
for i in $(seq 1 "$TABLES" | xargs printf '%02d '); do
  src_rows=$(( src_rows + $(v $SRC "SELECT count(*) FROM t$i") ))
  dst_rows=$(( dst_rows + $(v $DST "SELECT count(*) FROM sql_${SRC}_dms.t$i" 2>/dev/null || echo 0) ))
done
echo
echo "runs: $runs succeeded, $failed failed, $skipped schedules skipped (previous run still going)"
echo "rows: source $src_rows, destination $dst_rows"
echo "last third / first third: live heap ${heap_ratio}x, RSS ${rss_ratio}x, threads ${thread_diff} more"
ok=1
awk -v h="$heap_ratio" -v r="$rss_ratio" -v t="$thread_diff" 'BEGIN { exit !(h <= 1.2 && r <= 1.2 && t <= 5) }' || ok=0
[[ $src_rows == "$dst_rows" && $failed == 0 ]] || ok=0
if [[ $ok == 1 ]]; then echo "targets met"; else echo "TARGET MISSED"; [[ $BENCH_STRICT == 1 ]] && exit 3; fi
exit 0
