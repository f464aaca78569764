#!/bin/sh
# bench/run.sh - generates the audience files into bench/out/ (gitignored)
# and measures the CSV importer against libcsv on them. Run from the build
# directory after `make bench/gen_audience bench/csv_import` (or `make bench`).
set -eu
bindir=${BENCH_BIN:-bench}
out=${BENCH_OUT:-bench/out}
mkdir -p "$out"
for rows in 1000000 100000; do
	f="$out/audience_$rows.csv"
	[ -s "$f" ] || "$bindir/gen_audience" "$f" "$rows"
done
# the 1M-row file first; the 100k one shows peak RSS does not follow the size
"$bindir/csv_import" "$out/audience_1000000.csv"
echo
"$bindir/csv_import" "$out/audience_100000.csv"
