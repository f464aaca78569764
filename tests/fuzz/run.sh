#!/bin/bash
# tests/fuzz/run.sh SECONDS TARGET... - runs each built libFuzzer target for
# SECONDS on a scratch copy of its seed corpus; fails on the first finding.
set -u
secs=$1; shift
srcdir=$(cd "$(dirname "$0")" && pwd)
status=0
for t in "$@"; do
	work=$(mktemp -d)
	cp "$srcdir/corpus/$t"/* "$work"/ 2>/dev/null || true
	echo "== $t ($secs s)"
	"tests/fuzz/$t" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="tests/fuzz/$t-" "$work" >"$work.log" 2>&1
	rc=$?
	grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' "$work.log"
	[ $rc -eq 0 ] || { tail -40 "$work.log"; status=$rc; }
	rm -rf "$work" "$work.log"
done
exit $status
