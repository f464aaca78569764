#!/bin/bash
# tests/summary.sh BUILDDIR... - sums the results of `make check` in each
# build tree: every Check assertion group ("Checks: N, Failures: F, Errors: E")
# the "ok - "/"not ok - " lines of the test scripts (a script without
# them counts as one result), and prints one plain line.
set -u
passed=0 failed=0
for dir in "$@"; do
	while IFS= read -r log; do
		trs="${log%.log}.trs"
		line=$(grep -Eo 'Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | tail -1)
		if [ -n "$line" ]; then
			read -r n f e < <(echo "$line" | tr -dc '0-9 ' | tr -s ' ')
			passed=$((passed + n - f - e))
			failed=$((failed + f + e))
		elif grep -qE '^(not )?ok - ' "$log"; then
			passed=$((passed + $(grep -c '^ok - ' "$log")))
			failed=$((failed + $(grep -c '^not ok - ' "$log")))
			grep -qE ':test-result: (FAIL|ERROR)' "$trs" 2>/dev/null &&
				! grep -q '^not ok - ' "$log" && failed=$((failed + 1))
		elif [ -f "$trs" ]; then
			p=$(grep -c ':test-result: PASS' "$trs")
			x=$(grep -c -E ':test-result: (FAIL|ERROR|XPASS)' "$trs")
			passed=$((passed + p))
			failed=$((failed + x))
		fi
	done < <(find "$dir" \( -path "$dir/ccon-*" -o -path "$dir/_build*" \) -prune -o -name '*.log' -path '*tests/*' -print)
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
