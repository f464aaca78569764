#!/bin/sh
# bench/ccond_dispatch.sh BUILD_DIR - ccond's dispatch benchmark (issue 4):
# recipients per second from `scheduled` to `processed` with the sim driver
# and unlimited slot capacity, for one send of BENCH_ROWS recipients.
#
# ccond runs on a manual clock: the CSV send is stored first (not timed),
# then one POST /v1/admin/clock {"advance":"PT0S"} dispatches everything due
# before it answers; that request is the figure. Needs curl. Builds nothing:
# BUILD_DIR needs ccond and bench/gen_audience (make bench-dispatch).
#
# Environment: BENCH_ROWS (default 1000000), BENCH_OUT (where the CSV is
# kept, default BUILD_DIR/bench/out), BENCH_PERF=FILE (perf record -g of
# ccond during the dispatch, into FILE), BENCH_PERF_STAT=FILE (perf stat:
# instructions and task clock, which other load on the machine moves less
# than the wall clock).
set -eu

build=${1:?usage: bench/ccond_dispatch.sh BUILD_DIR}
build=$(cd "$build" && pwd)
rows=${BENCH_ROWS:-1000000}
out=${BENCH_OUT:-$build/bench/out}

command -v curl >/dev/null || { echo "ccond_dispatch: curl is not installed" >&2; exit 2; }
for f in ccond bench/gen_audience; do
	[ -x "$build/$f" ] || { echo "ccond_dispatch: $build/$f is missing" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ccond_dispatch.XXXXXX")
pid=
stop() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		pid=
	fi
}
trap 'stop; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

app=$("$build/ccond" --data-dir "$tmp/data" --create-app bench)
app_id=$(printf '%s' "$app" | sed -n 's/.*"appId":\([0-9]*\).*/\1/p')
key=$(printf '%s' "$app" | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')
"$build/ccond" --data-dir "$tmp/data" --listen 127.0.0.1:0 --clock manual \
	>"$tmp/ccond.out" 2>"$tmp/ccond.err" &
pid=$!
i=0
until grep -q 'listening on' "$tmp/ccond.out" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "ccond_dispatch: ccond did not start:" >&2
		cat "$tmp/ccond.err" >&2
		exit 1
	fi
	sleep 0.1
done
url=$(sed -n 's/^ccond listening on //p' "$tmp/ccond.out")

api() { # METHOD PATH BODY
	curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $key" \
		-H 'Content-Type: application/json' -d "$3" "$url$2"
}

# "Unlimited" capacity: one slot takes the whole send.
api PUT "/v1/applications/$app_id/slots/config" \
	'{"channel":"whatsapp","slotLengthSeconds":900,"capacity":1000000000}' >/dev/null
api POST /v1/admin/clock '{"set":"2027-01-04T09:00:00Z"}' >/dev/null
campaign=$(api POST "/v1/applications/$app_id/campaigns" \
	'{"name":"dispatch bench","channel":"whatsapp","templateName":"bench_v1","templateBody":"Hi {{name}}, ticket {{ticketId}}, age {{age}}"}' |
	sed -n 's/^{"id":\([0-9]*\),.*/\1/p')

mkdir -p "$out"
csv="$out/audience_$rows.csv"
[ -s "$csv" ] || "$build/bench/gen_audience" "$csv" "$rows"
printf '%s' '{"contact":{"contactCode":"{{contactCode}}","channelType":"{{channelType}}"},"customFields":{"name":"{{nombre}}","ticketId":"{{ticket_id}}","age":"{{edad}}"}}' \
	>"$tmp/layout.json"
sent=$(curl -sS -H "Authorization: Bearer $key" -H 'Expect:' \
	-F "layout=<$tmp/layout.json" -F "file=@$csv;type=text/csv" \
	-w '\nHTTP %{http_code}\n' "$url/v1/applications/$app_id/campaigns/$campaign/send/csv")
case $sent in
*'HTTP 202'*) ;;
*) echo "ccond_dispatch: the send failed: $(printf '%s' "$sent" | head -c 300)" >&2; exit 1 ;;
esac
accepted=$(printf '%s\n' "$sent" | sed -n 's/.*"accepted":\([0-9]*\).*/\1/p')
hwm_before=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")

perf_pid=
if [ -n "${BENCH_PERF_STAT:-}" ]; then
	perf stat -e instructions,task-clock -o "$BENCH_PERF_STAT" -p "$pid" 2>/dev/null &
	perf_pid=$!
	sleep 0.5
elif [ -n "${BENCH_PERF:-}" ]; then
	perf record -q ${BENCH_PERF_ARGS:--g} -o "$BENCH_PERF" -p "$pid" 2>/dev/null &
	perf_pid=$!
	sleep 0.5
fi
ticks=$(getconf CLK_TCK)
cpu_before=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
timing=$(curl -sS --fail-with-body -X POST -H "Authorization: Bearer $key" \
	-H 'Content-Type: application/json' -d '{"advance":"PT0S"}' \
	-w '\nTIME %{time_total}\n' "$url/v1/admin/clock")
secs=$(printf '%s\n' "$timing" | sed -n 's/^TIME //p')
cpu_after=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
if [ -n "$perf_pid" ]; then
	kill -INT "$perf_pid"
	wait "$perf_pid" || true
fi

summary=$(curl -sS -X POST -H "Authorization: Key $key" -H 'Content-Type: application/json' \
	-d "{\"id\":\"s\",\"method\":\"get\",\"uri\":\"/campaigns/$campaign/summaries\"}" "$url/commands")
count() { printf '%s' "$summary" | sed -n "s/.*\"counts\":{[^}]*\"$1\":\([0-9]*\).*/\1/p"; }
pending=$(count pending)
handed=$((accepted - pending))
stop

echo "$("$build/ccond" --version | head -n 1), $(nproc) CPUs, sim driver, manual clock"
printf 'recipients: %s accepted; after the dispatch %s pending (rate-limited, retried later), %s processed, %s failed at send\n' \
	"$accepted" "$pending" "$(count processed)" "$(count failed)"
awk -v n="$handed" -v s="$secs" -v c=$((cpu_after - cpu_before)) -v t="$ticks" 'BEGIN {
	printf "dispatch: %d recipients handed to the driver in %.2f s = %.0f recipients/s (goal >= 20000)\n", n, s, n / s
	printf "ccond CPU time during the dispatch: %.2f s (%.0f recipients per CPU second)\n", c / t, n / (c / t) }'
printf 'ccond peak memory (VmHWM): %.1f MB after the send, %.1f MB after the dispatch\n' \
	"$(awk -v k="$hwm_before" 'BEGIN { print k / 1024 }')" "$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')"
