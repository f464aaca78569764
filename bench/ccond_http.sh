#!/bin/sh
# bench/ccond_http.sh BUILD_DIR - ccond's HTTP benchmark (issue 3): starts
# BUILD_DIR/ccond on 127.0.0.1:0 with a temporary data directory, seeds it
# through the API, runs wrk against it and prints a table; stops ccond.
# Builds nothing: BUILD_DIR needs ccond, bench/ccond_seed and
# bench/gen_audience (see bench/README.md). Needs wrk and curl.
#
# Environment (all optional):
#   BENCH_DURATION    each wrk run (default 10s)
#   BENCH_CONNS       connection counts (default "1 16")
#   BENCH_CAMPAIGNS   campaigns stored for the summaries (default 10000)
#   BENCH_ROWS        rows of the CSV send (default 1000000)
#   BENCH_THREADS     ccond --threads (default: ccond's own)
#   BENCH_SERVER_CPUS / BENCH_WRK_CPUS   taskset CPU lists for ccond / wrk
#   BENCH_ONLY        "summaries", "send" or "csv": one part only
set -eu

build=${1:?usage: bench/ccond_http.sh BUILD_DIR}
build=$(cd "$build" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNS:-1 16}
campaigns=${BENCH_CAMPAIGNS:-10000}
rows=${BENCH_ROWS:-1000000}
only=${BENCH_ONLY:-}
out=${BENCH_OUT:-$build/bench/out}

for tool in wrk curl; do
	command -v $tool >/dev/null || { echo "ccond_http: $tool is not installed" >&2; exit 2; }
done
for f in ccond bench/ccond_seed bench/gen_audience; do
	[ -x "$build/$f" ] || { echo "ccond_http: $build/$f is missing (see bench/README.md)" >&2; exit 2; }
done

pin() { # CPU-LIST COMMAND...: taskset when a list is given
	cpus=$1
	shift
	if [ -n "$cpus" ]; then taskset -c "$cpus" "$@"; else "$@"; fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ccond_http.XXXXXX")
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

# ------------------------------------------------------------ the server
app=$("$build/ccond" --data-dir "$tmp/data" --create-app bench)
app_id=$(printf '%s' "$app" | sed -n 's/.*"appId":\([0-9]*\).*/\1/p')
key=$(printf '%s' "$app" | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')
# A manual clock that nobody moves: the dispatcher sends nothing, so the
# figures are the API's alone (bench/ccond_dispatch measures dispatching).
set -- --data-dir "$tmp/data" --listen 127.0.0.1:0 --clock manual
[ -z "${BENCH_THREADS:-}" ] || set -- "$@" --threads "$BENCH_THREADS"
# (taskset execs ccond: $! is ccond's own pid, for /proc/PID)
if [ -n "${BENCH_SERVER_CPUS:-}" ]; then
	taskset -c "$BENCH_SERVER_CPUS" "$build/ccond" "$@" >"$tmp/ccond.out" 2>"$tmp/ccond.err" &
else
	"$build/ccond" "$@" >"$tmp/ccond.out" 2>"$tmp/ccond.err" &
fi
pid=$!
i=0
until grep -q 'listening on' "$tmp/ccond.out" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "ccond_http: ccond did not start:" >&2
		cat "$tmp/ccond.err" >&2
		exit 1
	fi
	sleep 0.1
done
url=$(sed -n 's/^ccond listening on //p' "$tmp/ccond.out")
export CCOND_KEY="$key" CCOND_APP="$app_id"

api() { # METHOD PATH BODY: the answer's body; fails on an HTTP error
	curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $key" \
		-H 'Content-Type: application/json' -d "$3" "$url$2"
}

# Slots wide enough that every send is planned (not canceled for want of
# room): the benchmark measures the normal path.
api PUT "/v1/applications/$app_id/slots/config" \
	'{"channel":"whatsapp","slotLengthSeconds":900,"capacity":1000000000}' >/dev/null
campaign=$(api POST "/v1/applications/$app_id/campaigns" \
	'{"name":"bench send","channel":"whatsapp","templateName":"bench_v1","templateBody":"Hi {{name}}, ticket {{ticketId}}, age {{age}}"}' |
	sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
export CCOND_CAMPAIGN="$campaign"

# ------------------------------------------------------------ measuring
ticks=$(getconf CLK_TCK)
cpu_ticks() { # utime + stime of ccond
	awk '{ print $14 + $15 }' "/proc/$pid/stat"
}

results="$tmp/results"
: >"$results"

# run NAME SCRIPT CONNS: one wrk run, one table row
run() {
	name=$1 script=$2 c=$3
	before=$(cpu_ticks)
	pin "${BENCH_WRK_CPUS:-}" wrk -t1 -c"$c" -d"$duration" --latency -s "$here/ccond_http/$script" \
		"$url" >"$tmp/wrk.out" 2>"$tmp/wrk.err" || true
	after=$(cpu_ticks)
	line=$(grep '^RESULT' "$tmp/wrk.out" || true)
	if [ -z "$line" ]; then
		echo "ccond_http: wrk failed:" >&2
		cat "$tmp/wrk.out" "$tmp/wrk.err" >&2
		exit 1
	fi
	if [ -s "$tmp/wrk.err" ]; then
		echo "ccond_http: $name: $(head -c 400 "$tmp/wrk.err")" >&2
	fi
	secs=$(printf '%s' "$line" | sed -n 's/.* secs=\([0-9.]*\).*/\1/p')
	printf '%s %s %s %s\n' "$name" "$c" "$line" \
		"cpu=$(awk -v a="$before" -v b="$after" -v t="$ticks" -v s="$secs" \
			'BEGIN { printf "%.2f", (b - a) / t / s }')" >>"$results"
}

field() { # LINE KEY
	printf '%s' "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"
}

if [ -z "$only" ] || [ "$only" = summaries ]; then
	"$build/bench/ccond_seed" "$url" "$key" "$campaigns" 3 2 >"$tmp/seed.out"
	seeded=$(cat "$tmp/seed.out")
	check=$(curl -sS -X POST -H "Authorization: Key $key" -H 'Content-Type: application/json' \
		-d '{"id":"c","method":"get","uri":"/campaigns/summaries"}' "$url/commands")
	case $check in
	*'"status":"success"'*'"total":'"$((campaigns + 1))"*) ;; # and the send campaign
	*) echo "ccond_http: summaries check failed: $(printf '%s' "$check" | head -c 300)" >&2; exit 1 ;;
	esac
	for c in $conns; do run "summaries" summaries.lua "$c"; done
fi
if [ -z "$only" ] || [ "$only" = send ]; then
	for c in $conns; do run "send-100" send.lua "$c"; done
fi
if [ -z "$only" ] || [ "$only" = csv ]; then
	mkdir -p "$out"
	csv="$out/audience_$rows.csv"
	[ -s "$csv" ] || "$build/bench/gen_audience" "$csv" "$rows"
	printf '%s' '{"contact":{"contactCode":"{{contactCode}}","channelType":"{{channelType}}"},"customFields":{"name":"{{nombre}}","ticketId":"{{ticket_id}}","age":"{{edad}}"}}' \
		>"$tmp/layout.json"
	csv_answer=$(curl -sS -H "Authorization: Bearer $key" -H 'Expect:' \
		-F "layout=<$tmp/layout.json" -F "file=@$csv;type=text/csv" \
		-w '\nTIME %{time_total}\nHTTP %{http_code}\n' \
		"$url/v1/applications/$app_id/campaigns/$campaign/send/csv")
	csv_http=$(printf '%s\n' "$csv_answer" | sed -n 's/^HTTP //p')
	csv_time=$(printf '%s\n' "$csv_answer" | sed -n 's/^TIME //p')
	csv_accepted=$(printf '%s\n' "$csv_answer" | sed -n 's/.*"accepted":\([0-9]*\).*/\1/p')
	if [ "$csv_http" != 202 ]; then
		echo "ccond_http: the CSV send answered $csv_http: $(printf '%s' "$csv_answer" | head -c 300)" >&2
		exit 1
	fi
fi
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
stop

# ------------------------------------------------------------ the table
echo "$("$build/ccond" --version | head -n 1), $(nproc) CPUs," \
	"ccond threads ${BENCH_THREADS:-default}, wrk -t1, $duration a run" \
	"(ccond CPUs: ${BENCH_SERVER_CPUS:-any}, wrk CPUs: ${BENCH_WRK_CPUS:-any})"
[ -z "${seeded:-}" ] || echo "$seeded"
printf '%-10s %5s %9s %8s %8s %9s %6s  %s\n' benchmark conns 'req/s' 'p50 ms' 'p99 ms' \
	'ccond CPU' errors goal
while read -r name c line; do
	case $name in
	summaries) goal='>= 5000 req/s' ;;
	*) goal='>= 500 req/s' ;;
	esac
	printf '%-10s %5s %9s %8s %8s %9s %6s  %s\n' "$name" "$c" "$(field " $line" rps)" \
		"$(field " $line" p50_ms)" "$(field " $line" p99_ms)" "$(field " $line" cpu)" \
		"$(($(field " $line" errors) + $(field " $line" non2xx)))" "$goal"
done <"$results"
if [ -n "${csv_time:-}" ]; then
	printf 'csv-%s: accepted %s recipients in %.2f s (goal < 15 s)\n' "$rows" "$csv_accepted" \
		"$csv_time"
fi
printf 'ccond peak memory (VmHWM, whole run): %.1f MB (goal < 200 MB)\n' \
	"$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')"
