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

mvn -B -q -o test-compile 2>/dev/null || mvn -B -q test-compile
cp_file=target/bench-classpath.txt
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
  || mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
mkdir -p "$BENCH_DIR"

# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx512m} -cp "target/classes:target/test-classes:$(cat "$cp_file")" \
  io.caravan.format.ParquetWriteBench
