# tests/cli/lib.sh - ccon's subcommands against the REAL ccond, no screen.
# A scratch HOME (so no configuration and no embedded store of the user's),
# C.UTF-8. Sourced by the tests/cli/*.sh scripts.
# TEST_SLOW=N (a whole number, default 1) multiplies the helpers' waits, for
# slow runs such as tests/static/valgrind.sh.

: "${CCON_BIN:?CCON_BIN must point at the ccon binary}"
: "${CCOND_BIN:?CCOND_BIN must point at the ccond binary}"
command -v jq >/dev/null || { echo "jq is required (apt-get install jq)"; exit 99; }

CLI_TMP=$(mktemp -d)
export HOME="$CLI_TMP/home" XDG_CONFIG_HOME="$CLI_TMP/home/.config" \
	XDG_DATA_HOME="$CLI_TMP/home/.local/share" LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR
mkdir -p "$HOME"
TEST_SLOW=${TEST_SLOW:-1}
cli_failures=0
cli_checks=0
CLI_PIDS=()

cli_cleanup() {
	local p
	for p in "${CLI_PIDS[@]}"; do
		kill -CONT "$p" 2>/dev/null
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$CLI_TMP"
}
trap cli_cleanup EXIT

# cli_check NAME COMMAND... - one check: passes when COMMAND succeeds.
cli_check() {
	local name=$1
	shift
	cli_checks=$((cli_checks + 1))
	if "$@"; then
		echo "ok $cli_checks - $name"
	else
		cli_failures=$((cli_failures + 1))
		echo "not ok $cli_checks - $name"
		echo "# stdout: $(head -c 2000 "$CLI_TMP/out")"
		echo "# stderr: $(head -c 2000 "$CLI_TMP/err")"
	fi
}

# cli_run ARGS... - runs ccon; stdout in $CLI_TMP/out, stderr in
# $CLI_TMP/err, the exit status in $CLI_RC.
cli_run() {
	"$CCON_BIN" "$@" >"$CLI_TMP/out" 2>"$CLI_TMP/err"
	CLI_RC=$?
}

# cli_remote ARGS... - cli_run against the ccond of cli_ccond_start.
cli_remote() {
	CCON_TEST_KEY=$CLI_KEY cli_run "$@" --url "$CLI_URL" --token-env CCON_TEST_KEY --app "$CLI_APP_ID"
}

rc_is() { [ "$CLI_RC" -eq "$1" ]; }
out_has() { grep -qF -- "$1" "$CLI_TMP/out"; }
err_has() { grep -qF -- "$1" "$CLI_TMP/err"; }
out() { cat "$CLI_TMP/out"; }

# cli_ccond_start [--demo] [ccond options...] - a real ccond on 127.0.0.1:0
# with a scratch data dir (manual clock unless told); sets CLI_URL,
# CLI_APP_ID, CLI_KEY, CLI_CCOND_DIR.
cli_ccond_start() {
	local dir="$CLI_TMP/ccond$((${#CLI_PIDS[@]} + 1))" created what=(--create-app cli) pid
	if [ "$1" = --demo ]; then
		what=(--demo)
		shift
	fi
	mkdir -p "$dir"
	created=$("$CCOND_BIN" --data-dir "$dir" "${what[@]}") || return 1
	CLI_APP_ID=$(printf '%s' "$created" | sed -n 's/.*"appId":\([0-9]*\).*/\1/p')
	CLI_KEY=$(printf '%s' "$created" | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')
	"$CCOND_BIN" --data-dir "$dir" --listen 127.0.0.1:0 --clock manual "$@" \
		>"$dir/log" 2>&1 &
	pid=$!
	CLI_PIDS+=("$pid")
	CLI_CCOND_DIR=$dir
	for _ in $(seq $((100 * TEST_SLOW))); do
		CLI_URL=$(sed -n 's/^ccond listening on \(http[^ ]*\).*/\1/p' "$dir/log")
		[ -n "$CLI_URL" ] && return 0
		sleep 0.05
	done
	echo "ccond did not start:"
	cat "$dir/log"
	return 1
}

# cli_api METHOD PATH [JSON] - a REST call to that ccond.
cli_api() {
	curl -sS -X "$1" -H "Authorization: Bearer $CLI_KEY" -H 'Content-Type: application/json' \
		${3:+--data-binary "$3"} "$CLI_URL$2"
}

# cli_cmd METHOD URI - a seed 002 command to that ccond; its answer.
cli_cmd() {
	curl -sS -H "Authorization: Key $CLI_KEY" -H 'Content-Type: application/json' \
		--data-binary "{\"id\":\"t\",\"to\":\"postmaster@activecampaign.msging.net\",\"method\":\"$1\",\"uri\":\"$2\"}" \
		"$CLI_URL/commands"
}

cli_done() {
	echo "1..$cli_checks"
	echo "$cli_checks checks, $cli_failures failed"
	[ "$cli_failures" -eq 0 ]
}
