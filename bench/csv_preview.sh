#!/bin/bash
# bench/csv_preview.sh [ROWS] - the CSV import preview on a large file, and
# VisiData on the same file in the same run (issue 6's benchmark).
#
# Run from a configured build directory (-O2 for meaningful numbers) after
# `make ccon ccond bench/gen_audience`. Needs tmux; installs visidata
# (Debian package) when `vd` is missing and apt-get can.
#
# ccon runs in a private tmux server (120x40) against a ccond of its own
# (so its peak memory is the console's alone), with CCON_BENCH_LOG: the
# preview pane appends "open T", "first-rows T" and "validated T ROWS"
# (CLOCK_REALTIME seconds) to that file. The figures:
#   ccon first screen   launch -> the first data row visible in tmux (the
#                       script polls the screen, as it does for VisiData),
#                       and pane open -> rows drawn (the pane's own log)
#   ccon validation     launch -> every row validated (the pane's log)
#   ccon peak memory    VmHWM of the ccon process after validation
#   vd first screen     launch -> the first data row visible
#   vd full load        launch -> its status shows all ROWS rows loaded
# Goals: first screen < 50 ms, validation >= 10x faster than VisiData's
# full load, peak < 100 MB.
set -u
ROWS=${1:-1000000}
B=$PWD
OUT="$B/bench/out"
CSV="$OUT/preview_$ROWS.csv"
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
[ -s "$CSV" ] || "$B/bench/gen_audience" "$CSV" "$ROWS" >/dev/null
cat "$CSV" >/dev/null # both read it from the page cache
FIRST=$(sed -n 2p "$CSV" | cut -d, -f1)
SIZE_MB=$(awk -v b="$(stat -c %s "$CSV")" 'BEGIN { printf "%.1f", b / 1e6 }')

now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
screen() { tmux -S "$SOCK" capture-pane -p -t t 2>/dev/null; }

# wait_screen TEXT SECONDS - polls the screen; prints when TEXT showed.
wait_screen() {
	local deadline=$(($(date +%s) + $2))
	while [ "$(date +%s)" -le "$deadline" ]; do
		if screen | grep -qF -- "$1"; then now; return 0; fi
		sleep 0.005
	done
	echo "timeout"
	return 1
}

# start_tmux CMD - a tmux server of its own each time (one that is ending
# may still hold a socket for a moment)
start_tmux() {
	tmux -S "$SOCK" kill-server 2>/dev/null
	SOCK="$TMP/tmux$((++servers)).sock"
	tmux -S "$SOCK" -f /dev/null new-session -d -s t -x 120 -y 40 \
		-e TERM=xterm-256color -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e HOME="$TMP" "$@"
}

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
LOG="$TMP/ccon.log"
t0=$(now)
start_tmux "exec env CCON_BENCH_LOG=$LOG BENCH_KEY=$KEY $B/ccon --url $URL --token-env BENCH_KEY $CSV"
t_first=$(wait_screen "$FIRST" 10)
for _ in $(seq 6000); do
	grep -q '^validated' "$LOG" 2>/dev/null && break
	sleep 0.01
done
PID=$(tmux -S "$SOCK" display-message -p -t t '#{pane_pid}')
HWM=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status" 2>/dev/null)
t_open=$(awk '$1 == "open" { print $2 }' "$LOG")
t_rows=$(awk '$1 == "first-rows" { print $2 }' "$LOG")
t_valid=$(awk '$1 == "validated" { print $2 }' "$LOG")
tmux -S "$SOCK" send-keys -t t Q
ccon_first=$(ms "$t0" "$t_first")
ccon_pane=$(ms "$t_open" "$t_rows")
ccon_valid=$(ms "$t0" "$t_valid")
ccon_pane_valid=$(ms "$t_open" "$t_valid")

# ------------------------------------------------------------ VisiData
vd_first=skipped vd_full=skipped vd_hwm=skipped
if command -v vd >/dev/null; then
	t0=$(now)
	start_tmux "exec vd --config=/dev/null $CSV"
	t_first=$(wait_screen "$FIRST" 60)
	t_full=$(wait_screen "$ROWS rows" 600)
	vd_first=$(ms "$t0" "$t_first")
	vd_full=$(ms "$t0" "$t_full")
	PID=$(tmux -S "$SOCK" display-message -p -t t '#{pane_pid}')
	vd_hwm=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status" 2>/dev/null)
fi

ratio=$(awk -v v="$vd_full" -v c="$ccon_valid" 'BEGIN { if (v + 0 > 0 && c + 0 > 0) printf "%.1f", v / c; else print "-" }')
echo "file: $CSV ($ROWS rows, $SIZE_MB MB)"
printf '%-34s %12s %12s   %s\n' "" "ccon" "VisiData" "goal"
printf '%-34s %12s %12s   %s\n' "first screen of rows (ms)" "$ccon_first" "$vd_first" "< 50 (ccon)"
printf '%-34s %12s %12s\n' "  pane open -> rows drawn (ms)" "$ccon_pane" "-"
printf '%-34s %12s %12s   %s\n' "validation / full load (ms)" "$ccon_valid" "$vd_full" ">= 10x faster: ${ratio}x"
printf '%-34s %12s %12s\n' "  pane open -> validated (ms)" "$ccon_pane_valid" "-"
printf '%-34s %12s %12s   %s\n' "peak memory VmHWM (MB)" "$HWM" "$vd_hwm" "< 100 (ccon)"
