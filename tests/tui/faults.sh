#!/bin/bash
# The console under network faults: ccon talks to the real ccond through
# tests/tools/faultproxy, whose rules change while it runs (--control FILE
# and SIGHUP). 503 and 429 with Retry-After: the status bar says retrying
# with the status and the Retry-After, the last good report and list stay
# on screen marked STALE; connections dropped, answers cut or truncated:
# the same; back to pass: the polls recover by themselves (no key pressed)
# within the back-off's bound. A stalled server: the status bar says "no
# answer for Ns", the keys are answered at once (the time a key takes to
# show is measured and printed), and the console recovers by itself once
# the server answers again.
. "$(dirname "$0")/lib.sh"
: "${CCOND_BIN:?CCOND_BIN must point at the ccond binary}"
: "${FAULTPROXY_BIN:?FAULTPROXY_BIN must point at tests/tools/faultproxy}"

tui_ccond_start --clock manual || exit 99
for name in Alpha Beta Gamma; do
	tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
		"{\"name\":\"$name\",\"channel\":\"sms\",\"templateBody\":\"hi\"}" >/dev/null
done
control="$TUI_TMP/rules"
: >"$control"
"$FAULTPROXY_BIN" --upstream "${TUI_URL#http://}" --control "$control" \
	>"$TUI_TMP/proxy.out" 2>"$TUI_TMP/proxy.log" &
proxy=$!
for _ in $(seq 100); do
	PROXY_URL=$(sed -n 's/^faultproxy listening on \(http[^ ]*\).*/\1/p' "$TUI_TMP/proxy.out")
	[ -n "$PROXY_URL" ] && break
	sleep 0.05
done
[ -n "$PROXY_URL" ] || { echo "the proxy did not start"; cat "$TUI_TMP/proxy.log"; exit 99; }
stop_proxy() {
	kill "$proxy" 2>/dev/null
	wait "$proxy" 2>/dev/null
	tui_cleanup
}
trap stop_proxy EXIT
# rules RULE... - the proxy's rules from now on (a request sent after the
# signal sees them)
rules() {
	printf '%s\n' "$@" >"$control"
	kill -HUP "$proxy"
	sleep 0.1
}
status_line() { tui_screen | sed -n "$((${TUI_ROWS:-30} - 1))p"; }

# now_ms - milliseconds since the epoch
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# key_ms KEY TEXT - presses KEY, prints the milliseconds until TEXT shows
key_ms() {
	local t0
	t0=$(now_ms)
	tui_keys "$1"
	for _ in $(seq 500); do
		tui_screen | grep -qF -- "$2" && break
	done
	echo $(($(now_ms) - t0))
}

tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$PROXY_URL" \
	--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID" --refresh 1
tui_expect "through the proxy: the list" "Alpha"
tui_expect "through the proxy: connected" "| connected | polled"

# ---- 503: retrying, the status shown, the report and the list kept and
# marked stale
tui_keys Enter
tui_expect "the report of the first campaign" "Report: Gamma"
tui_expect "the report is polled" "Status new"
rules "* / status=503"
tui_expect "503: the report is marked stale" "STALE, updated" 5
tui_expect "503: the report's data stays" "Status new"
tui_keys Escape
tui_expect "503: the status bar says retrying" "| retrying |" 5
tui_expect "503: ... and the status" "error: HTTP 503" 5
tui_expect "503: the list is marked stale" "STALE, updated" 5
tui_expect "503: the last good list stays" "Gamma"
# ---- 429 with Retry-After
rules "* / status=429 retry-after=3"
tui_expect "429: the status and its Retry-After" "HTTP 429, Retry-After 3s" 8
tui_expect "429: still retrying" "| retrying |"
tui_expect "429: the list stays" "Alpha"
# ---- back to pass: recovered with no key pressed, within the back-off's
# bound (10 s) and a poll period
rules "# pass"
tui_expect "after 429: recovered by itself" "| connected | polled" 12
tui_expect "after 429: not stale any more" "sort: created desc  updated" 3
# ---- connections dropped, answers cut mid-body, JSON truncated
for fault in drop-request cut-body truncate=12 drop-response; do
	rules "* / $fault"
	tui_expect_re "$fault: the status bar says so" "\| (retrying|server down) \|" 8
	tui_expect "$fault: the list stays, stale" "STALE, updated" 5
	tui_expect "$fault: the last good data" "Beta"
	rules "# pass"
	tui_expect "$fault: recovered by itself" "| connected | polled" 12
done
tui_check "the proxy did drop and cut" grep -q "dropped" "$TUI_TMP/proxy.log"

# ---- a stalled server: the keys answered at once, the state shown
rules "* / stall"
tui_expect_re "stall: the status bar says no answer" "\| no answer for [0-9]+s \|" 5
tui_expect "stall: the list stays, stale" "STALE, updated"
worst=0
total=0
for i in 1 2 3 4 5; do
	a=$(key_ms j "Campaigns  2/3")
	b=$(key_ms k "Campaigns  1/3")
	total=$((total + a + b))
	[ "$a" -gt "$worst" ] && worst=$a
	[ "$b" -gt "$worst" ] && worst=$b
done
echo "# stalled server: a key shows on screen in $((total / 10)) ms on average, $worst ms at worst (10 keys, tmux capture included)"
tui_check "stall: every key answered within 500 ms (worst $worst ms)" test "$worst" -lt $((500 * ${TEST_SLOW:-1}))
tui_keys '?'
tui_expect "stall: the help opens" "move-down"
tui_keys x
for _ in $(seq 20); do tui_screen | grep -qF move-down || break; sleep 0.1; done
tui_expect_not "stall: any key closes the help" "move-down"
tui_expect_re "stall: still no answer, the age grows" "\| no answer for ([3-9]|[1-9][0-9])s \|" 10
# the stalled request gives up after its timeout (15 s) and is tried again
rules "# pass"
tui_expect "stall: recovered by itself after the timeout" "| connected | polled" 30
tui_expect "stall: fresh data" "sort: created desc  updated" 3
tui_check "ccon is still running" kill -0 "$TUI_PID"
# quit before the proxy and ccond stop (a console killed with the tmux
# server, requests in flight, could hang in an ASan build's leak check)
tui_keys Q
tui_expect "Q quits cleanly after the faults" "[exit 0]" 10

tui_done
