#!/bin/bash
# bench/cli_validate.sh [BUILD_DIR] [ROWS] - `ccon validate` on bench/
# gen_audience's file (1,000,000 rows by default), issue 7's benchmark.
#
# In a configured build directory (BUILD_DIR, else the current one; -O2 for
# meaningful numbers) after `make ccon bench/gen_audience`, as
# `make bench-cli-validate` does. RUNS runs (default 3) of
#   ccon validate FILE --layout L.json --json --no-progress
# (offline: no engine, no server), timed whole (process start to exit) with
# the peak memory (VmHWM via /usr/bin/time when present); the figures are
# min / median / max. Its own count of rows is checked against ROWS.
set -u
B=$PWD
if [ -d "${1:-}" ]; then
	B=$(cd "$1" && pwd)
	shift
fi
ROWS=${1:-1000000}
RUNS=${RUNS:-3}
OUT="$B/bench/out"
for f in ccon bench/gen_audience; do
	[ -x "$B/$f" ] || { echo "build $f first (make ccon bench/gen_audience)"; exit 1; }
done
mkdir -p "$OUT"
CSV="$OUT/cli_validate_$ROWS.csv"
LAYOUT="$OUT/cli_validate_layout.json"
[ -s "$CSV" ] || "$B/bench/gen_audience" "$CSV" "$ROWS" >/dev/null
head -1 "$CSV" | grep -q '^contactCode,channelType' || { echo "unexpected header: $(head -1 "$CSV")"; exit 1; }
printf '{"contact":{"contactCode":"{{contactCode}}","channelType":"{{channelType}}"}}\n' >"$LAYOUT"
export HOME="$OUT/home" XDG_CONFIG_HOME="$OUT/home/.config" XDG_DATA_HOME="$OUT/home/.local/share"
mkdir -p "$HOME"

times=()
for i in $(seq "$RUNS"); do
	start=$(date +%s.%N)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$OUT/cli_validate.mem" "$B/ccon" validate "$CSV" \
			--layout "$LAYOUT" --json --no-progress >"$OUT/cli_validate.json"
	else
		"$B/ccon" validate "$CSV" --layout "$LAYOUT" --json --no-progress >"$OUT/cli_validate.json"
	fi
	rc=$?
	end=$(date +%s.%N)
	[ "$rc" -le 3 ] || { echo "ccon validate failed ($rc)"; exit 1; }
	times+=("$(echo "$end - $start" | bc)")
done
rows=$(sed -n 's/.*"rows":[[:space:]]*\([0-9]*\).*/\1/p' "$OUT/cli_validate.json")
[ "$rows" = "$ROWS" ] || { echo "ccon validate counted $rows rows, not $ROWS"; exit 1; }
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
min=$(echo "$sorted" | head -1)
max=$(echo "$sorted" | tail -1)
med=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
size=$(stat -c %s "$CSV")
echo "ccon validate, $ROWS rows ($((size / 1000000)) MB), $RUNS runs"
printf 'wall time      min %.3f s  median %.3f s  max %.3f s\n' "$min" "$med" "$max"
printf 'rows/s         %.0f (median)\n' "$(echo "$ROWS / $med" | bc -l)"
[ -s "$OUT/cli_validate.mem" ] && echo "peak memory    $(( $(cat "$OUT/cli_validate.mem") / 1024 )) MB"
grep -E '"(valid|invalid|duplicates|errorsTotal)"' "$OUT/cli_validate.json" | tr -d '\t\n,'; echo
