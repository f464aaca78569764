#!/bin/bash
# bench/csv_preview.sh [BUILD_DIR] [ROWS] - the CSV import preview on a large
# file, and VisiData on the same file in the same run (issue 6's benchmark).
#
# In a configured build directory (BUILD_DIR, else the current one; -O2 for
# meaningful numbers) after `make ccon ccond bench/gen_audience`, as
# `make bench-csv-preview` does. Needs tmux; installs visidata
# (Debian package) when `vd` is missing and apt-get can.
#
# The file: `gen_audience --wide` (1,000,000 rows: 64 MB; UTF-8 names and
# cities). Each program runs in a tmux server (120x40) that is already up,
# as a terminal is before a command is typed: "launch" is the respawn of the
# tmux pane with the command, and the screen is polled from there. The
# floor row is the same measure for `head -2 FILE` (a program that prints
# the row at once): what tmux and the polling take of every figure.
#
# ccon runs RUNS times (default 3) against a ccond of its own (so its peak
# memory is the console's alone), with CCON_BENCH_LOG: the preview pane
# appends "open T", "first-rows T" and "validated T ROWS" (CLOCK_REALTIME
# seconds) to that file; then RUNS times in its default embedded mode (the
# engine in-process, its store made by one run first). The figures:
#   first screen        launch -> the first data row visible in tmux
#   pane open -> rows   the pane's own log
#   validation          launch -> every row validated (the pane's log)
#   peak memory         VmHWM of the ccon process after validation
#   vd first screen     launch -> the first data row visible
#   vd full load        launch -> its status shows all ROWS rows loaded
# ccon figures are min / median / max of the runs. Goals: first screen
# < 50 ms, validation >= 10x faster than VisiData's full load, peak
# < 100 MB. RUNS_VD (default 1) sets VisiData's runs.
set -u
B=$PWD
if [ -d "${1:-}" ]; then
	B=$(cd "$1" && pwd)
	shift
fi
ROWS=${1:-1000000}
RUNS=${RUNS:-3}
RUNS_VD=${RUNS_VD:-1}
OUT="$B/bench/out"
CSV="$OUT/preview_wide_$ROWS.csv"
TMP=$(mktemp -d)
SOCK="$TMP/tmux0.sock"
servers=0
CCOND_PID=

cleanup() {
	local s

	for s in "$TMP"/tmux*.sock; do
		[ -S "$s" ] && tmux -S "$s" kill-server 2>/dev/null
	done
	[ -n "$CCOND_PID" ] && kill "$CCOND_PID" 2>/dev/null && wait "$CCOND_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

for f in ccon ccond bench/gen_audience; do
	[ -x "$B/$f" ] || { echo "build $f first (make ccon ccond bench/gen_audience)"; exit 1; }
done
command -v tmux >/dev/null || { echo "tmux is required"; exit 1; }
if ! command -v vd >/dev/null; then
	echo "installing visidata..."
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q visidata >/dev/null 2>&1 ||
		echo "visidata could not be installed: its figures are skipped"
fi

mkdir -p "$OUT"
[ -s "$CSV" ] || "$B/bench/gen_audience" --wide "$CSV" "$ROWS" >/dev/null
cat "$CSV" >/dev/null # all read it from the page cache
FIRST=$(sed -n 2p "$CSV" | cut -d, -f1)
SIZE_MB=$(awk -v b="$(stat -c %s "$CSV")" 'BEGIN { printf "%.1f", b / 1e6 }')

now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%.1f", (b - a) * 1000 }'; }

# on_screen TEXT - one capture of the pane (one fork), matched in the shell
on_screen() { [[ $(tmux -S "$SOCK" capture-pane -p -t t 2>/dev/null) == *"$1"* ]]; }

# wait_screen TEXT SECONDS [PAUSE] - polls the screen; prints when TEXT showed.
wait_screen() {
	local deadline=$(($(date +%s) + $2))

	while [ "$(date +%s)" -le "$deadline" ]; do
		if on_screen "$1"; then now; return 0; fi
		sleep "${3:-0.002}"
	done
	echo "timeout"
	return 1
}

# new_tmux - a tmux server of its own, its pane idle (one that is ending may
# still hold a socket for a moment)
new_tmux() {
	tmux -S "$SOCK" kill-server 2>/dev/null
	SOCK="$TMP/tmux$((++servers)).sock"
	tmux -S "$SOCK" -f /dev/null new-session -d -s t -x 120 -y 40 "sleep 100000"
	sleep 0.2
}

# launch CMD - the command in the idle pane; prints the launch time
launch() {
	now
	tmux -S "$SOCK" respawn-pane -k -t t -e TERM=xterm-256color -e LANG=C.UTF-8 \
		-e LC_ALL=C.UTF-8 -e HOME="$TMP/home" -e XDG_CONFIG_HOME="$TMP/home/.config" \
		-e XDG_DATA_HOME="$TMP/home/.local/share" -e XDG_STATE_HOME="$TMP/home/.local/state" "$@"
}

pane_pid() { tmux -S "$SOCK" display-message -p -t t '#{pane_pid}'; }
hwm() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }

# stats V... - "min / median / max" (or the one value)
stats() {
	printf '%s\n' "$@" | grep -v '^-$' | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "-"; exit }
			if (NR == 1) { print v[1]; exit }
			printf "%s / %s / %s", v[1], v[int((NR + 1) / 2)], v[NR]
		}'
}

# ccon_run ARGS... - one run of ccon on the file; appends to the arrays
ccon_run() {
	local log="$TMP/ccon$((++servers)).log" t0 t_first pid t_open t_rows t_valid

	new_tmux
	t0=$(launch "exec env CCON_BENCH_LOG=$log $* $CSV")
	t_first=$(wait_screen "$FIRST" 10)
	for _ in $(seq 1200); do
		grep -q '^validated' "$log" 2>/dev/null && break
		sleep 0.05
	done
	pid=$(pane_pid)
	HWMS+=("$(hwm "$pid")")
	t_open=$(awk '$1 == "open" { print $2 }' "$log")
	t_rows=$(awk '$1 == "first-rows" { print $2 }' "$log")
	t_valid=$(awk '$1 == "validated" { print $2 }' "$log")
	tmux -S "$SOCK" send-keys -t t Q
	FIRSTS+=("$(ms "$t0" "$t_first")")
	PANES+=("$(ms "$t_open" "$t_rows")")
	VALIDS+=("$(ms "$t0" "$t_valid")")
	sleep 0.3
}

# ------------------------------------------------------------ floor
FLOORS=()
for _ in $(seq "$RUNS"); do
	new_tmux
	t0=$(launch "head -2 $CSV; exec sleep 100000")
	FLOORS+=("$(ms "$t0" "$(wait_screen "$FIRST" 10)")")
done

# ------------------------------------------------------------ ccon
"$B/ccond" --data-dir "$TMP/ccond" --create-app bench >"$TMP/app.json" 2>/dev/null || exit 1
KEY=$(sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p' "$TMP/app.json")
"$B/ccond" --data-dir "$TMP/ccond" --listen 127.0.0.1:0 --clock manual >"$TMP/ccond.log" 2>&1 &
CCOND_PID=$!
for _ in $(seq 100); do
	URL=$(sed -n 's/^ccond listening on \(http[^ ]*\).*/\1/p' "$TMP/ccond.log")
	[ -n "$URL" ] && break
	sleep 0.05
done
FIRSTS=() PANES=() VALIDS=() HWMS=()
for _ in $(seq "$RUNS"); do
	ccon_run BENCH_KEY="$KEY" "$B/ccon" --url "$URL" --token-env BENCH_KEY
done
R_FIRSTS=("${FIRSTS[@]}") R_PANES=("${PANES[@]}") R_VALIDS=("${VALIDS[@]}") R_HWMS=("${HWMS[@]}")

# the embedded engine: its first run makes the store and the demo data
FIRSTS=() PANES=() VALIDS=() HWMS=()
ccon_run "$B/ccon"
E_FIRST_RUN=${FIRSTS[0]}
FIRSTS=() PANES=() VALIDS=() HWMS=()
for _ in $(seq "$RUNS"); do
	ccon_run "$B/ccon"
done

# ------------------------------------------------------------ VisiData
VD_FIRSTS=() VD_FULLS=() VD_HWMS=()
if command -v vd >/dev/null; then
	for _ in $(seq "$RUNS_VD"); do
		new_tmux
		t0=$(launch "exec vd --config=/dev/null $CSV")
		VD_FIRSTS+=("$(ms "$t0" "$(wait_screen "$FIRST" 60)")")
		VD_FULLS+=("$(ms "$t0" "$(wait_screen "$ROWS rows" 600 0.05)")")
		VD_HWMS+=("$(hwm "$(pane_pid)")")
	done
fi
[ ${#VD_FIRSTS[@]} -gt 0 ] || VD_FIRSTS=(-) VD_FULLS=(-) VD_HWMS=(-)

median() { stats "$@" | awk '{ print ($3 != "" ? $3 : $1) }'; }
ratio=$(awk -v v="$(median "${VD_FULLS[@]}")" -v c="$(median "${R_VALIDS[@]}")" \
	'BEGIN { if (v + 0 > 0 && c + 0 > 0) printf "%.1f", v / c; else print "-" }')
echo "file: $CSV ($ROWS rows, $SIZE_MB MB); ccon: $RUNS runs (min / median / max), VisiData: $RUNS_VD"
row() { printf '%-36s %24s %24s   %s\n' "$@"; }
row "" "ccon" "VisiData" "goal"
row "floor: head -2 FILE on screen (ms)" "$(stats "${FLOORS[@]}")" "-" ""
row "first screen of rows (ms)" "$(stats "${R_FIRSTS[@]}")" "$(stats "${VD_FIRSTS[@]}")" "< 50 (ccon)"
row "  embedded engine (ms)" "$(stats "${FIRSTS[@]}")" "-" ""
row "  embedded, its first run (ms)" "$E_FIRST_RUN" "-" ""
row "  pane open -> rows drawn (ms)" "$(stats "${R_PANES[@]}")" "-" ""
row "validation / full load (ms)" "$(stats "${R_VALIDS[@]}")" "$(stats "${VD_FULLS[@]}")" \
	">= 10x faster: ${ratio}x (medians)"
row "  embedded engine (ms)" "$(stats "${VALIDS[@]}")" "-" ""
row "peak memory VmHWM (MB)" "$(stats "${R_HWMS[@]}")" "$(stats "${VD_HWMS[@]}")" "< 100 (ccon)"
