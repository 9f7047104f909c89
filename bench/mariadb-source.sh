#!/usr/bin/env bash
# MariaDB -> PostgreSQL benchmark: Caravan against pgloader and a plain `mariadb --batch | psql COPY` pipe, in one run.
#
# Builds the ROWS-row `events` table in PostgreSQL (bench/lib/events.sh), copies it untimed into MariaDB
# (database bench_src, InnoDB, id BIGINT PRIMARY KEY, uid UUID, payload JSON, amount DECIMAL(12,2), timestamps
# DATETIME(6) at UTC), then times ROUNDS rounds (default 3) of three steps, each step into a fresh PostgreSQL database:
#   a) pipe:     mariadb --batch (tab-separated, \t \n \\ escaped, NULL as NULL) | psql COPY FROM STDIN (NULL 'NULL')
#                into a table created beforehand (untimed) - the floor: no type mapping, no batching, no cursor
#   b) pgloader: pgloader --with "prefetch rows = 10000" mysql://... pgsql://... (its default casts; creates the
#                table, copies, indexes the key; with its default prefetch of 100,000 rows it exhausts its 1 GB
#                heap on these rows)
#   c) caravan:  bin/caravan run, source_type mariadb, mode logging (keyset pages on id, cursor per batch), fresh
#                state; key ranges read on READ_CONNECTIONS connections at once (the dialect's default when unset).
#                bin/caravan maps the class-data archive (AppCDS) that an untimed run of a 100-row copy of the table
#                wrote first, as the first run of a new jar does for a user; CARAVAN_CDS=off runs without it
# checks the row counts and prints each step's median seconds and rows/s, and the median of the rounds' ratios
# pgloader_s / caravan_s (target >= 3): the rounds interleave the tools, so that the load other work puts on the
# machine, which moves a step by up to 2x between minutes, weighs on each tool alike.
#
# Environment: PGHOST PGPORT PGUSER PGPASSWORD (PostgreSQL, defaults 127.0.0.1 5432 postgres); MARIADB_HOST
# MARIADB_PORT (default 127.0.0.1 3306, user root without password); ROWS (default 2000000); ROUNDS (default 3);
# BUFFER_POOL_MB (default 2048: MariaDB's innodb_buffer_pool_size during the run, when it is smaller); CARAVAN_JAR;
# CARAVAN_CDS (off: no class-data archive); CARAVAN_CDS_DIR (default bench/work/mariadb/cds);
# CARAVAN_JAVA_OPTS; READ_CONNECTIONS (Caravan's read_connections); CARAVAN_STRICT=false maps JSON to text as
# pgloader does (default true: jsonb); BENCH_STRICT=1 exits 3 when the target is missed.
# Prints the load average before and after, and per step the CPU seconds of the client processes, of mariadbd and of
# PostgreSQL's ended backends (when both servers run on this machine): other work on the machine slows every step.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
repo=$PWD
. "$repo/bench/lib/events.sh"
BENCH_STRICT=${BENCH_STRICT:-0}
ROUNDS=${ROUNDS:-3}
BUFFER_POOL_MB=${BUFFER_POOL_MB:-2048}
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive integer (got '$ROUNDS')" >&2; exit 2; }
MHOST=${MARIADB_HOST:-127.0.0.1}
MPORT=${MARIADB_PORT:-3306}
MDB=bench_src
work=$repo/bench/work/mariadb
mkdir -p "$work"
m() { mariadb -h "$MHOST" -P "$MPORT" -uroot "$@"; }
# cpu_now: sets CPU to "children mariadbd postgres", CPU seconds so far (n/a for a server not on this machine); the
# postmaster's reaped children are the backends of ended sessions. Not in a subshell: `times` reports this shell's.
cpu_now() {
  local kids mdb pg pm
  times >"$work/times.txt"
  kids=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }' \
    "$work/times.txt")
  mdb=$(awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$(pgrep -x mariadbd || pgrep -x mysqld)/stat" 2>/dev/null \
    || echo n/a)
  pm=$(pgrep -o -x postgres || true)
  pg=$(awk '{ printf "%.2f", ($16 + $17) / 100 }' "/proc/$pm/stat" 2>/dev/null || echo n/a)
  CPU="$kids $mdb $pg"
}
cpu_used() {  # cpu_used "before" "after": prints the CPU seconds used in between
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ");
    for (i = 1; i <= 3; i++) d[i] = (x[i] == "n/a" || y[i] == "n/a") ? "n/a" : sprintf("%.1f", y[i] - x[i]);
    printf "client %s, mariadbd %s, postgres %s", d[1], d[2], d[3] }'
}

check_pg
command -v mariadb >/dev/null || { echo "mariadb client not found" >&2; exit 2; }
command -v pgloader >/dev/null || { echo "pgloader not found (apt-get install -y pgloader)" >&2; exit 2; }
caravan_jar 0
events_table

# ---------------------------------------------------------------- untimed: events into MariaDB
have=$(m -N -e "SELECT count(*) FROM $MDB.events" 2>/dev/null || echo none)
if [[ $have != "$ROWS" ]]; then
  log "copying $SRC.events into MariaDB $MDB.events (untimed)"
  m -e "DROP DATABASE IF EXISTS $MDB; CREATE DATABASE $MDB CHARACTER SET utf8mb4;
        CREATE TABLE $MDB.events (id BIGINT PRIMARY KEY, uid UUID, n INT, title TEXT, payload JSON,
          amount DECIMAL(12,2), created_at DATETIME(6), updated_at DATETIME(6), note TEXT, KEY (updated_at))"
  psql -X -q -v ON_ERROR_STOP=1 -d "$SRC" -c "COPY (SELECT id, uid, n, title, payload, amount,
      created_at AT TIME ZONE 'UTC', updated_at AT TIME ZONE 'UTC', note FROM events ORDER BY id) TO STDOUT" \
      > "$work/events.tsv"
  m --local-infile=1 -e "SET unique_checks = 0; LOAD DATA LOCAL INFILE '$work/events.tsv' INTO TABLE $MDB.events
      CHARACTER SET utf8mb4"
  rm -f "$work/events.tsv"
fi
m -e "ANALYZE TABLE $MDB.events" >/dev/null
# InnoDB reads its files with O_DIRECT (MariaDB 10.11's default innodb_flush_method), past the OS page cache: with the
# default 128 MB buffer pool every step would read the table (about 750 MB) from the disk again, at whatever speed
# the disk has that minute. A pool that holds it makes each step read it from memory, as every step reads the
# PostgreSQL side's pages; the size is set back when the script ends.
pool_before=$(m -N -e "SELECT @@innodb_buffer_pool_size")
pool_want=$((BUFFER_POOL_MB << 20))
if ((pool_before < pool_want)); then
  log "innodb_buffer_pool_size: $((pool_before >> 20)) MB -> $BUFFER_POOL_MB MB for the run"
  m -e "SET GLOBAL innodb_buffer_pool_size = $pool_want"
  trap 'm -e "SET GLOBAL innodb_buffer_pool_size = $pool_before" 2>/dev/null || true' EXIT
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "warming MariaDB's buffer pool"
m -N -e "SELECT count(*), sum(length(payload)), sum(length(note)) FROM $MDB.events" >/dev/null

# ---------------------------------------------------------------- the three steps
# each step_* sets secs (wall seconds) and cpu (cpu_used text) of one timed run
step_pipe() {
  recreate_db bench_pipe
  q bench_pipe -c "$EVENTS_DDL"
  checkpoint bench_pipe
  cpu_now; local c0=$CPU t0
  t0=$(now)
  m --batch --skip-column-names --default-character-set=utf8mb4 -e "SELECT id, uid, n, title, payload, amount,
      created_at, updated_at, note FROM $MDB.events" \
    | psql -X -q -v ON_ERROR_STOP=1 -d bench_pipe -c "SET TIME ZONE 'UTC'" \
        -c "COPY events ($COLS) FROM STDIN (NULL 'NULL')"
  secs=$(elapsed "$t0" "$(now)")
  sleep 1
  cpu_now; cpu=$(cpu_used "$c0" "$CPU")
}

step_pgloader() {
  recreate_db bench_pgloader
  checkpoint bench_pgloader
  local pg_url="postgresql://$PGUSER${PGPASSWORD:+:$PGPASSWORD}@$PGHOST:$PGPORT/bench_pgloader" c0 t0
  cpu_now; c0=$CPU
  t0=$(now)
  pgloader --no-ssl-cert-verification --with "prefetch rows = 10000" "mysql://root@$MHOST:$MPORT/$MDB" "$pg_url" \
    >"$work/pgloader.log" 2>&1 || { tail -n 30 "$work/pgloader.log" >&2; exit 1; }
  secs=$(elapsed "$t0" "$(now)")
  sleep 1
  cpu_now; cpu=$(cpu_used "$c0" "$CPU")
}

# caravan_yaml DB SOURCE_DB: writes $work/DB.yaml, a job of table SOURCE_DB.events into database DB
caravan_yaml() {
  local dst_pw=""
  [[ -n ${PGPASSWORD:-} ]] && dst_pw=$'\n    password: ${env:PGPASSWORD}'
  cat >"$work/$1.yaml" <<YAML
# generated by bench/mariadb-source.sh
source:
  source_type: mariadb
  url: $MHOST:$MPORT
  db_name: $2
  username: root
destination:
  warehouse:
    destination_type: pgsql
    url: $PGHOST:$PGPORT
    db_name: $1
    username: $PGUSER$dst_pw
    schema: public
tables:
  - table_name: $2.events
    cron: self-managed
    mode: logging
    batch_size: 10000
    primary_key: id
    primary_key_datatype: int${CARAVAN_STRICT:+
    strict: $CARAVAN_STRICT}${READ_CONNECTIONS:+
    read_connections: $READ_CONNECTIONS}
YAML
}

# caravan DB: one `bin/caravan run` of $work/DB.yaml with a fresh cursor store, its output in $work/DB.log
caravan() {
  rm -rf "$work/.caravan"
  ( cd "$work" && CARAVAN_JAR=$jar "$repo/bin/caravan" run "$1.yaml" ) >"$work/$1.log" 2>&1 \
    || { tail -n 30 "$work/$1.log" >&2; exit 1; }
}

step_caravan() {
  recreate_db bench_caravan
  checkpoint bench_caravan
  local c0 t0
  cpu_now; c0=$CPU
  t0=$(now)
  caravan bench_caravan
  secs=$(elapsed "$t0" "$(now)")
  sleep 1
  cpu_now; cpu=$(cpu_used "$c0" "$CPU")
}

# ---------------------------------------------------------------- untimed: Caravan's class-data archive
# bin/caravan keeps an AppCDS archive per jar and JVM, written by the first `run` of a new jar (a few seconds more);
# a run on a 100-row copy of the table writes it here, so that the timed runs start as every later run does.
export CARAVAN_CDS_DIR=${CARAVAN_CDS_DIR:-$work/cds}
# (in database ${MDB}_warmup: pgloader copies every table of $MDB)
m -e "CREATE DATABASE IF NOT EXISTS ${MDB}_warmup CHARACTER SET utf8mb4;
      CREATE OR REPLACE TABLE ${MDB}_warmup.events LIKE $MDB.events;
      INSERT INTO ${MDB}_warmup.events SELECT * FROM $MDB.events ORDER BY id LIMIT 100"
recreate_db bench_warmup
caravan_yaml bench_warmup "${MDB}_warmup"
log "caravan's class-data archive (untimed run of 100 rows; CARAVAN_CDS=${CARAVAN_CDS:-on})"
caravan bench_warmup
caravan_yaml bench_caravan "$MDB"

# ---------------------------------------------------------------- rounds
declare -a pipe_t pgl_t car_t ratios
for ((r = 1; r <= ROUNDS; r++)); do
  log "round $r of $ROUNDS: a) mariadb --batch | psql COPY into bench_pipe"
  step_pipe; pipe_t+=("$secs"); pipe_cpu=$cpu
  log "a) $secs s ($cpu)"
  log "round $r: b) pgloader into bench_pgloader"
  step_pgloader; pgl_t+=("$secs"); pgloader_cpu=$cpu
  log "b) $secs s ($cpu)"
  log "round $r: c) caravan into bench_caravan"
  step_caravan; car_t+=("$secs"); caravan_cpu=$cpu
  log "c) $secs s ($cpu)"
  ratios+=("$(awk -v a="${pgl_t[-1]}" -v b="${car_t[-1]}" 'BEGIN { printf "%.2f", a / b }')")
  log "round $r: pgloader / caravan = ${ratios[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
pipe_s=$(median "${pipe_t[@]}")
pgloader_s=$(median "${pgl_t[@]}")
caravan_s=$(median "${car_t[@]}")

# ---------------------------------------------------------------- check and report
pipe_n=$(v bench_pipe "SELECT count(*) FROM events")
pgl_n=$(v bench_pgloader "SELECT count(*) FROM $MDB.events")
car_n=$(v bench_caravan "SELECT count(*) FROM events")
for n in "$pipe_n" "$pgl_n" "$car_n"; do
  [[ $n == "$ROWS" ]] || { echo "row count $n != $ROWS (pipe $pipe_n, pgloader $pgl_n, caravan $car_n)" >&2; exit 1; }
done
rate() { awk -v r="$1" -v s="$2" 'BEGIN { printf "%.0f", r / s }'; }
ratio=$(median "${ratios[@]}")
printf '\n%-34s %10s %10s   %s\n' "MariaDB -> PostgreSQL, $ROWS rows" "seconds" "rows/s" "(median of $ROUNDS rounds; each round)"
printf '%-34s %10s %10s   %s\n' "a) mariadb --batch | psql COPY" "$pipe_s" "$(rate "$ROWS" "$pipe_s")" "${pipe_t[*]}"
printf '%-34s %10s %10s   %s\n' "b) pgloader $(pgloader --version 2>/dev/null | awk 'NR == 1 {print $3}')" "$pgloader_s" \
  "$(rate "$ROWS" "$pgloader_s")" "${pgl_t[*]}"
printf '%-34s %10s %10s   %s\n' "c) caravan (logging${READ_CONNECTIONS:+, $READ_CONNECTIONS conn.}${CARAVAN_STRICT:+, strict $CARAVAN_STRICT})" "$caravan_s" \
  "$(rate "$ROWS" "$caravan_s")" "${car_t[*]}"
printf '%-34s %10s             %s  (target >= 3)\n' "pgloader_s / caravan_s, per round" "$ratio" "${ratios[*]}"
printf 'load average before: %s, after: %s\n' "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'CPU seconds (last round) a) %s\n                         b) %s\n                         c) %s\n' "$pipe_cpu" "$pgloader_cpu" "$caravan_cpu"
if [[ $BENCH_STRICT == 1 ]] && awk -v r="$ratio" 'BEGIN { exit !(r < 3) }'; then
  exit 3
fi
