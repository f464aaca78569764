# tests/tui/lib.sh - drive ccon in a private tmux server, like a person would.
# Pinned terminal: 100x30, TERM=xterm-256color, C.UTF-8, a scratch HOME.
# Sourced by the tests/tui/*.sh scripts.

: "${CCON_BIN:?CCON_BIN must point at the ccon binary}"
command -v tmux >/dev/null || { echo "tmux is required (apt-get install tmux)"; exit 99; }

TUI_TMP=$(mktemp -d)
TUI_SOCK="$TUI_TMP/tmux.sock"
export HOME="$TUI_TMP/home" XDG_CONFIG_HOME="$TUI_TMP/home/.config" \
	XDG_DATA_HOME="$TUI_TMP/home/.local/share" LANG=C.UTF-8 LC_ALL=C.UTF-8
mkdir -p "$HOME"
tui_failures=0

tui_cleanup() {
	tmux -S "$TUI_SOCK" kill-server 2>/dev/null
	rm -rf "$TUI_TMP"
}
trap tui_cleanup EXIT

# tui_start CMD... - runs the command in a new 100x30 session "t".
tui_start() {
	tmux -S "$TUI_SOCK" -f /dev/null new-session -d -s t -x 100 -y 30 \
		-e TERM=xterm-256color -e HOME="$HOME" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
		-e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" -e XDG_DATA_HOME="$XDG_DATA_HOME" \
		"$@; echo \"[exit \$?]\"; sleep 30"
	tmux -S "$TUI_SOCK" set-option -t t remain-on-exit on >/dev/null
}

tui_keys() { tmux -S "$TUI_SOCK" send-keys -t t "$@"; }
tui_screen() { tmux -S "$TUI_SOCK" capture-pane -p -t t; }

# tui_wait_for TEXT [SECONDS] - waits until TEXT is on screen.
tui_wait_for() {
	local deadline=$((SECONDS + ${2:-10}))
	while [ $SECONDS -lt $deadline ]; do
		tui_screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

# tui_expect DESCRIPTION TEXT [SECONDS] - one check, reported TAP-like.
tui_expect() {
	if tui_wait_for "$2" "${3:-10}"; then
		echo "ok - $1"
	else
		echo "not ok - $1: '$2' not on screen:"
		tui_screen | sed 's/^/    | /'
		tui_failures=$((tui_failures + 1))
	fi
}

tui_expect_not() {
	if tui_screen | grep -qF -- "$2"; then
		echo "not ok - $1: '$2' is on screen"
		tui_failures=$((tui_failures + 1))
	else
		echo "ok - $1"
	fi
}

tui_done() {
	echo "$TUI_CHECKS_RUN checks, $tui_failures failed"
	[ "$tui_failures" -eq 0 ]
}
