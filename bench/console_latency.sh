#!/bin/bash
# bench/console_latency.sh BUILD_DIR - the console's speed (issue 5):
# keystroke-to-screen latency for moving the cursor in a list of 10,000
# campaigns, with ccond healthy and with ccond stopped by SIGSTOP, and the
# time from start to the first full screen with the embedded engine.
#
# ccon runs in a private tmux server (100x30, xterm-256color, C.UTF-8);
# bench/console_latency talks to it in tmux's control mode: a key goes in
# with send-keys and the time runs until tmux reports the pane's next
# output. Needs tmux and curl; BUILD_DIR needs ccon, ccond,
# bench/console_latency and bench/ccond_seed (make bench-console).
#
# Environment: BENCH_CAMPAIGNS (default 10000), BENCH_SAMPLES (default 500),
# BENCH_VALGRIND=1 also runs a scripted session under valgrind's memcheck.
set -eu

build=${1:?usage: bench/console_latency.sh BUILD_DIR}
build=$(cd "$build" && pwd)
campaigns=${BENCH_CAMPAIGNS:-10000}
samples=${BENCH_SAMPLES:-500}

for tool in tmux curl; do
	command -v $tool >/dev/null || { echo "console_latency: $tool is not installed" >&2; exit 2; }
done
for f in ccon ccond bench/console_latency bench/ccond_seed; do
	[ -x "$build/$f" ] || { echo "console_latency: $build/$f is missing" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/console_latency.XXXXXX")
sock="$tmp/tmux.sock"
pid=
cleanup() {
	tmux -S "$sock" kill-server 2>/dev/null || true
	if [ -n "$pid" ]; then
		kill -CONT "$pid" 2>/dev/null || true
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share" \
	XDG_STATE_HOME="$tmp/home/.local/state" LANG=C.UTF-8 LC_ALL=C.UTF-8
mkdir -p "$HOME"

# ------------------------------------------------------------ the server
app=$("$build/ccond" --data-dir "$tmp/data" --create-app bench)
app_id=$(printf '%s' "$app" | sed -n 's/.*"appId":\([0-9]*\).*/\1/p')
key=$(printf '%s' "$app" | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')
"$build/ccond" --data-dir "$tmp/data" --listen 127.0.0.1:0 --clock manual \
	>"$tmp/ccond.out" 2>"$tmp/ccond.err" &
pid=$!
i=0
until grep -q 'listening on' "$tmp/ccond.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 100 ] && kill -0 "$pid" 2>/dev/null || { cat "$tmp/ccond.err" >&2; exit 1; }
	sleep 0.1
done
url=$(sed -n 's/^ccond listening on //p' "$tmp/ccond.out")
"$build/bench/ccond_seed" "$url" "$key" "$campaigns" 3 2 >"$tmp/seed.out"

# ------------------------------------------------------------ the console
tmux -S "$sock" -f /dev/null new-session -d -s t -x 100 -y 30 \
	-e TERM=xterm-256color -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e HOME="$HOME" \
	-e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" -e XDG_DATA_HOME="$XDG_DATA_HOME" \
	-e XDG_STATE_HOME="$XDG_STATE_HOME" -e CCON_BENCH_TOKEN="$key" \
	"$build/ccon --url $url --token-env CCON_BENCH_TOKEN --app $app_id; sleep 600"
until tmux -S "$sock" capture-pane -p -t t | grep -q "/$campaigns"; do
	i=$((i + 1))
	[ $i -le 400 ] || { echo "console_latency: the list never showed" >&2;
		tmux -S "$sock" capture-pane -p -t t >&2; exit 1; }
	sleep 0.1
done

healthy=$("$build/bench/console_latency" keys "$sock" t "$samples" j k)
kill -STOP "$pid"
sleep 3    # the console notices: requests in flight, status bar says so
stalled=$("$build/bench/console_latency" keys "$sock" t "$samples" j k)
kill -CONT "$pid"

# first screen with the embedded engine: a fresh store (the demo data is
# made), then the same store again
marker="Black Friday"
first=$("$build/bench/console_latency" start "$sock" t "$marker" "$build/ccon; sleep 600")
tmux -S "$sock" send-keys -t t q
sleep 0.5
again=$("$build/bench/console_latency" start "$sock" t "$marker" "$build/ccon; sleep 600")
tmux -S "$sock" send-keys -t t q

field() { printf '%s' "$1" | sed -n "s/.*$2=\([^ ]*\).*/\1/p"; }
echo "$("$build/ccon" --version), $(nproc) CPUs, tmux $(tmux -V | cut -d' ' -f2), $campaigns campaigns, $samples keys a run"
printf '%-22s %8s %8s %8s %8s  %s\n' "cursor j/k" p50_ms p90_ms p99_ms max_ms goal
printf '%-22s %8s %8s %8s %8s  %s\n' "ccond healthy" "$(field "$healthy" p50_ms)" \
	"$(field "$healthy" p90_ms)" "$(field "$healthy" p99_ms)" "$(field "$healthy" max_ms)" \
	"p99 < 16 ms"
printf '%-22s %8s %8s %8s %8s  %s\n' "ccond stopped (STOP)" "$(field "$stalled" p50_ms)" \
	"$(field "$stalled" p90_ms)" "$(field "$stalled" p99_ms)" "$(field "$stalled" max_ms)" \
	"p99 < 50 ms"
echo "first full screen, embedded engine: $(field "$first" first_screen_ms) ms on a new store" \
	"(demo data made), $(field "$again" first_screen_ms) ms on the same store again (goal < 150 ms)"

if [ "${BENCH_VALGRIND:-}" = 1 ]; then
	command -v valgrind >/dev/null || { echo "console_latency: valgrind is not installed" >&2; exit 2; }
	tmux -S "$sock" respawn-pane -k -t t "valgrind --leak-check=full --errors-for-leak-kinds=definite --log-file=$tmp/vg.log $build/ccon --url $url --token-env CCON_BENCH_TOKEN --app $app_id; sleep 600"
	until tmux -S "$sock" capture-pane -p -t t | grep -q "/$campaigns"; do sleep 0.5; done
	for k in j j j k G g / a Enter s S Enter Escape '?' '?' q; do
		tmux -S "$sock" send-keys -t t "$k"
		sleep 0.3
	done
	sleep 3
	echo "valgrind memcheck: $(grep -E 'ERROR SUMMARY|definitely lost' "$tmp/vg.log" | sed 's/^==[0-9]*== //' | tr '\n' ';')"
fi
