#!/usr/bin/env bash
# Parquet write benchmark: Caravan's RowFormat (parquet-java) against DuckDB writing the same rows,
# in one run. See bench/README.md ("parquet-write.sh").
#
# Environment:
#   ROWS             rows of the events table (default 2000000)
#   BATCH            rows per batch and per Caravan file (default 10000, the default batch_size)
#   BENCH_JAVA_OPTS  JVM options (default -Xmx512m)
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
export ROWS=${ROWS:-2000000}
export BATCH=${BATCH:-10000}
export BENCH_DIR=${BENCH_DIR:-bench/work/parquet}
[[ $ROWS =~ ^[1-9][0-9]*$ ]] || { echo "ROWS must be a positive integer (got '$ROWS')" >&2; exit 2; }
[[ $BATCH =~ ^[1-9][0-9]*$ ]] || { echo "BATCH must be a positive integer (got '$BATCH')" >&2; exit 2; }

repo=$PWD
. bench/lib/events.sh   # test_classpath
test_classpath
mkdir -p "$BENCH_DIR"

# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx512m} -cp "$cp" \
  io.caravan.format.ParquetWriteBench
