# tests/tui/lib.sh - drive ccon in a private tmux server, like a person would.
# Pinned terminal: 100x30 (TUI_COLS, TUI_ROWS), TERM=xterm-256color, C.UTF-8,
# a scratch HOME. Sourced by the tests/tui/*.sh scripts.
# TEST_SLOW=N (a whole number, default 1) multiplies every wait of these
# helpers, for slow runs such as tests/static/valgrind.sh.

: "${CCON_BIN:?CCON_BIN must point at the ccon binary}"
command -v tmux >/dev/null || { echo "tmux is required (apt-get install tmux)"; exit 99; }

TUI_TMP=$(mktemp -d)
TUI_SOCK="$TUI_TMP/tmux.sock"
tui_servers=0
export HOME="$TUI_TMP/home" XDG_CONFIG_HOME="$TUI_TMP/home/.config" \
	XDG_DATA_HOME="$TUI_TMP/home/.local/share" LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR
mkdir -p "$HOME"
TEST_SLOW=${TEST_SLOW:-1}
tui_failures=0
tui_checks=0
TUI_CCOND_PID=

tui_cleanup() {
	local sock

	for sock in "$TUI_TMP"/tmux*.sock; do
		[ -S "$sock" ] && tmux -S "$sock" kill-server 2>/dev/null
	done
	# a program still running gets the hang-up; one that has not ended 3 s
	# later is killed (a sanitizer build's exit-time leak check can spin
	# forever in a process that lost its terminal)
	if [ -s "$TUI_TMP/pids" ]; then
		local pid left
		for _ in $(seq 30); do
			left=
			for pid in $(cat "$TUI_TMP/pids"); do
				kill -0 "$pid" 2>/dev/null && left=1
			done
			[ -z "$left" ] && break
			sleep 0.1
		done
		for pid in $(cat "$TUI_TMP/pids"); do
			kill -KILL "$pid" 2>/dev/null
		done
	fi
	if [ -n "$TUI_CCOND_PID" ]; then
		kill -CONT "$TUI_CCOND_PID" 2>/dev/null
		kill "$TUI_CCOND_PID" 2>/dev/null
		wait "$TUI_CCOND_PID" 2>/dev/null
	fi
	rm -rf "$TUI_TMP"
}
trap tui_cleanup EXIT

# tui_start CMD... - runs the command in a new session "t" (TUI_COLS x
# TUI_ROWS). The command's pid goes to $TUI_TMP/pid; when it ends, the pane
# shows "[tty restored]" (or "[tty changed]": stty settings before and after
# differ) and "[exit STATUS]". Environment for the command: `env VAR=x CMD`.
tui_start() {
	rm -f "$TUI_TMP/pid"
	# a tmux server of its own each time: a killed one may still hold its
	# socket for a moment, and a new client would reach the dying server
	tui_servers=$((tui_servers + 1))
	TUI_SOCK="$TUI_TMP/tmux$tui_servers.sock"
	{
		echo 'stty -g >"$TUI_TMP/tty.before"'
		printf 'sh -c '\''echo $$ >"$0"; exec "$@"'\'' "$TUI_TMP/pid"'
		printf ' %q' "$@"
		echo
		echo 'rc=$?'
		echo 'stty -g >"$TUI_TMP/tty.after"'
		echo 'if cmp -s "$TUI_TMP/tty.before" "$TUI_TMP/tty.after"; then echo "[tty restored]"; else echo "[tty changed]"; fi'
		echo 'echo "[exit $rc]"'
		echo 'sleep 60'
	} >"$TUI_TMP/run.sh"
	# the pane's TERM is tmux's default-terminal, whatever -e TERM says
	tmux -S "$TUI_SOCK" -f /dev/null start-server \; \
		set-option -g default-terminal "${TUI_TERM:-xterm-256color}" \; \
		new-session -d -s t -x "${TUI_COLS:-100}" -y "${TUI_ROWS:-30}" \
		-e TERM=xterm-256color -e HOME="$HOME" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
		-e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" -e XDG_DATA_HOME="$XDG_DATA_HOME" \
		-e TUI_TMP="$TUI_TMP" "bash $TUI_TMP/run.sh"
	tmux -S "$TUI_SOCK" set-option -t t remain-on-exit on >/dev/null
	for _ in $(seq $((50 * TEST_SLOW))); do
		[ -s "$TUI_TMP/pid" ] && break
		sleep 0.1
	done
	TUI_PID=$(cat "$TUI_TMP/pid" 2>/dev/null)
	[ -n "$TUI_PID" ] && echo "$TUI_PID" >>"$TUI_TMP/pids"
}

tui_keys() { tmux -S "$TUI_SOCK" send-keys -t t "$@"; }
tui_screen() { tmux -S "$TUI_SOCK" capture-pane -p -t t; }
tui_resize() { tmux -S "$TUI_SOCK" resize-window -t t -x "$1" -y "$2"; }
# tui_pane FORMAT - a tmux format of the pane: '#{alternate_on}', '#{cursor_flag}'
tui_pane() { tmux -S "$TUI_SOCK" display-message -p -t t "$1"; }

# tui_wait_for TEXT [SECONDS] - waits until TEXT is on screen.
tui_wait_for() {
	local deadline=$((SECONDS + ${2:-10} * TEST_SLOW))
	while [ $SECONDS -lt $deadline ]; do
		tui_screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	tui_screen | grep -qF -- "$1"
}

tui_ok() { tui_checks=$((tui_checks + 1)); echo "ok $tui_checks - $1"; }
tui_not_ok() {
	tui_checks=$((tui_checks + 1))
	tui_failures=$((tui_failures + 1))
	echo "not ok $tui_checks - $1"
	tui_screen | sed 's/^/    | /'
}

# tui_expect DESCRIPTION TEXT [SECONDS] - one check, reported TAP-like.
tui_expect() {
	if tui_wait_for "$2" "${3:-10}"; then tui_ok "$1"; else tui_not_ok "$1: '$2' not on screen"; fi
}

# tui_expect_re DESCRIPTION REGEX [SECONDS] - like tui_expect, an ERE.
tui_expect_re() {
	local deadline=$((SECONDS + ${3:-10} * TEST_SLOW))
	while [ $SECONDS -lt $deadline ]; do
		tui_screen | grep -qE -- "$2" && { tui_ok "$1"; return; }
		sleep 0.1
	done
	tui_screen | grep -qE -- "$2" && { tui_ok "$1"; return; }
	tui_not_ok "$1: /$2/ not on screen"
}

# tui_command TEXT - a : command, as typed, then Enter.
tui_command() {
	tui_keys :
	tui_keys -l "$1"
	tui_keys Enter
}

tui_expect_not() {
	local deadline=$((SECONDS + TEST_SLOW / 2))

	# a slowed run (TEST_SLOW > 1) lets the screen catch up with the keys
	while [ "$TEST_SLOW" -gt 1 ] && [ $SECONDS -lt $deadline ] &&
		tui_screen | grep -qF -- "$2"; do
		sleep 0.1
	done
	if tui_screen | grep -qF -- "$2"; then tui_not_ok "$1: '$2' is on screen"; else tui_ok "$1"; fi
}

# tui_check DESCRIPTION COMMAND... - a check that a command succeeds.
tui_check() {
	local what=$1
	shift
	if "$@"; then tui_ok "$what"; else tui_not_ok "$what"; fi
}

# tui_line_of TEXT - the screen line number (1-based) where TEXT first is.
tui_line_of() { tui_screen | grep -nF -- "$1" | head -1 | cut -d: -f1; }

# tui_on_line TEXT LINE [SECONDS] - waits until TEXT is on line LINE.
tui_on_line() {
	local deadline=$((SECONDS + ${3:-5} * TEST_SLOW))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(tui_line_of "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	[ "$(tui_line_of "$1")" = "$2" ]
}

# tui_ccond_start [ccond options...] - a real ccond on 127.0.0.1:0 with a
# scratch data dir and an application; sets TUI_URL, TUI_APP_ID, TUI_KEY,
# TUI_CCOND_PID.
tui_ccond_start() {
	: "${CCOND_BIN:?CCOND_BIN must point at the ccond binary}"
	local dir="$TUI_TMP/ccond" created
	mkdir -p "$dir"
	created=$("$CCOND_BIN" --data-dir "$dir" --create-app tui) || return 1
	TUI_APP_ID=$(printf '%s' "$created" | sed -n 's/.*"appId":\([0-9]*\).*/\1/p')
	TUI_KEY=$(printf '%s' "$created" | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')
	"$CCOND_BIN" --data-dir "$dir" --listen 127.0.0.1:0 "$@" >"$TUI_TMP/ccond.log" 2>&1 &
	TUI_CCOND_PID=$!
	for _ in $(seq $((100 * TEST_SLOW))); do
		TUI_URL=$(sed -n 's/^ccond listening on \(http[^ ]*\).*/\1/p' "$TUI_TMP/ccond.log")
		[ -n "$TUI_URL" ] && return 0
		sleep 0.05
	done
	echo "ccond did not start:"
	cat "$TUI_TMP/ccond.log"
	return 1
}

# tui_api METHOD PATH [JSON] - a REST call to the ccond of tui_ccond_start.
tui_api() {
	curl -sS -X "$1" -H "Authorization: Bearer $TUI_KEY" -H 'Content-Type: application/json' \
		${3:+--data-binary "$3"} "$TUI_URL$2"
}

tui_done() {
	echo "1..$tui_checks"
	echo "$tui_checks checks, $tui_failures failed"
	[ "$tui_failures" -eq 0 ]
}
