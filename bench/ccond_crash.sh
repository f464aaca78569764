#!/bin/sh
# bench/ccond_crash.sh BUILD_DIR - issue 4's crash test at full size: a
# send of 20,000 recipients dispatched by BUILD_DIR/ccond on a manual clock,
# kill -9 at random moments during the first sends and again while retries
# and statuses are applied, restarted each time on the same data directory.
# Then every recipient must be in exactly one final state, the sim driver's
# ledger must hold each recipient and attempt at most once, the summary's
# counts must be the table's, and recipient by recipient the outcome must be
# that of a run never killed. Prints each kill with what it found, the
# checks and the elapsed time; exits 1 on any violation.
# Builds nothing: BUILD_DIR needs ccond and bench/gen_audience (see
# bench/README.md). Needs curl and the sqlite3 command-line shell.
#
# Environment (all optional):
#   BENCH_CRASH_RECIPIENTS   rows of the CSV send (default 20000)
#   BENCH_CRASH_KILLS        kills wanted mid-dispatch while sending (default 6)
#   BENCH_CRASH_EVENT_KILLS  kills wanted mid-way while delivering (default 3)
#   BENCH_CRASH_SEED         the delays' seed (printed; give it to replay)
set -eu

build=${1:?usage: bench/ccond_crash.sh BUILD_DIR}
build=$(cd "$build" && pwd)
rows=${BENCH_CRASH_RECIPIENTS:-20000}
want_send=${BENCH_CRASH_KILLS:-6}
want_events=${BENCH_CRASH_EVENT_KILLS:-3}
seed=${BENCH_CRASH_SEED:-$(( $(date +%s) % 100000 * 100 + $$ % 100 ))}
max_tries=20
t0=2027-01-04T09:00:00Z
t2h=2027-01-04T11:00:00Z

for tool in curl sqlite3; do
	command -v $tool >/dev/null || { echo "ccond_crash: $tool is not installed" >&2; exit 2; }
done
for f in ccond bench/gen_audience; do
	[ -x "$build/$f" ] || { echo "ccond_crash: $build/$f is missing (see bench/README.md)" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ccond_crash.XXXXXX")
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

now_ms() { date +%s%3N; }
started=$(now_ms)
failures=0
violation() {
	echo "VIOLATION: $*"
	failures=$((failures + 1))
}

# ------------------------------------------------------------ the server

# start DIR: ccond on DIR with a manual clock; sets pid and url
start() {
	: >"$tmp/ccond.out"      # (not in the background job: no stale line to find)
	"$build/ccond" --data-dir "$1" --listen 127.0.0.1:0 --clock manual \
		>>"$tmp/ccond.out" 2>>"$tmp/ccond.err" &
	pid=$!
	i=0
	until grep -q 'listening on' "$tmp/ccond.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 500 ] || ! kill -0 "$pid" 2>/dev/null; then
			echo "ccond_crash: ccond did not start:" >&2
			cat "$tmp/ccond.err" >&2
			exit 1
		fi
		sleep 0.01
	done
	url=$(sed -n 's/^ccond listening on //p' "$tmp/ccond.out")
}

# kill9: kill -9 and reap; ccond must not have ended on its own before
kill9() {
	if ! kill -KILL "$pid" 2>/dev/null; then
		violation "ccond ended on its own before kill -9"
	fi
	status=0
	wait "$pid" 2>/dev/null || status=$?
	[ "$status" -eq 137 ] || violation "ccond ended with status $status, not by kill -9"
	pid=
}

api() { # METHOD PATH BODY
	curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $key" \
		-H 'Content-Type: application/json' -d "$3" "$url$2"
}

# setup DIR: app, unlimited slots, campaign, the CSV send; sets key,
# app_id, campaign, n (recipients accepted)
setup() {
	app=$("$build/ccond" --data-dir "$1" --create-app crash)
	app_id=$(printf '%s' "$app" | sed -n 's/.*"appId":\([0-9]*\).*/\1/p')
	key=$(printf '%s' "$app" | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')
	start "$1"
	api POST /v1/admin/clock "{\"set\":\"$t0\"}" >/dev/null
	api PUT "/v1/applications/$app_id/slots/config" \
		'{"channel":"whatsapp","slotLengthSeconds":900,"capacity":1000000000}' >/dev/null
	campaign=$(api POST "/v1/applications/$app_id/campaigns" \
		'{"name":"crash","channel":"whatsapp","templateName":"crash_v1","templateBody":"Hi {{name}}, ticket {{ticketId}}"}' |
		sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
	answer=$(curl -sS -H "Authorization: Bearer $key" -H 'Expect:' \
		-F "layout=<$tmp/layout.json" -F "file=@$csv;type=text/csv" \
		"$url/v1/applications/$app_id/campaigns/$campaign/send/csv")
	n=$(printf '%s' "$answer" | sed -n 's/.*"accepted":\([0-9]*\).*/\1/p')
	case $answer in
	*'"status":"scheduled"'*) ;;
	*) echo "ccond_crash: the send failed: $(printf '%s' "$answer" | head -c 300)" >&2; exit 1 ;;
	esac
}

# ------------------------------------------------------------ the store

q() { # SQL on the current data dir (read-only)
	sqlite3 -readonly -cmd '.timeout 5000' "$data/ccond.db" "$1"
}

# progress: ledger|in flight|taken|waiting|pending|processed|final|
# recipients with statuses to come
progress() {
	q "SELECT (SELECT COUNT(*) FROM sim_ledger),
	   (SELECT COUNT(*) FROM recipients WHERE status = 'pending' AND send_key IS NOT NULL),
	   (SELECT COUNT(*) FROM recipients r JOIN sim_ledger l ON l.send_key = r.send_key
	    WHERE r.status = 'pending'),
	   (SELECT COUNT(*) FROM recipients WHERE status = 'pending' AND send_key IS NULL
	    AND next_attempt_us IS NOT NULL),
	   (SELECT COUNT(*) FROM recipients WHERE status = 'pending'),
	   (SELECT COUNT(*) FROM recipients WHERE status = 'processed'),
	   (SELECT COUNT(*) FROM recipients WHERE status IN ('received', 'read', 'failed')),
	   (SELECT COUNT(*) FROM recipients WHERE next_event_us IS NOT NULL)"
}

field() { printf '%s' "$1" | cut -d'|' -f"$2"; }

# work_left PROGRESS PHASE: first sends still to do (send) or anything (events)
work_left() {
	if [ "$2" = events ]; then
		echo $(($(field "$1" 5) + $(field "$1" 8)))
	else
		echo $(($(field "$1" 5) - $(field "$1" 4)))
	fi
}

# Each recipient's status rank (pending 0, processed 1, received 2, read 3,
# failed 4) and reason code, by id.
snapshot() {
	q "SELECT id, CASE status WHEN 'pending' THEN 0 WHEN 'processed' THEN 1 WHEN 'received'
	   THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 4 ELSE -1 END, COALESCE(reason_code, 0)
	   FROM recipients ORDER BY id" >"$1"
}

# forward OLD NEW: statuses only moved forward (read and failed are final,
# a failure keeps its code)
forward() {
	bad=$(paste -d'|' "$1" "$2" | awk -F'|' '
		$1 != $4 || $5 < 0 || $5 < $2 || ($2 >= 3 && $5 != $2) || ($2 == 4 && $6 != $3) { n++ }
		END { print n + 0 }')
	[ "$bad" -eq 0 ] || violation "$bad recipients went back between two kills"
	[ "$(wc -l <"$2")" -eq "$n" ] || violation "recipients appeared or vanished"
}

# The counters a dispatch keeps beside the rows, true after any crash:
# each task's recipients waiting for statuses, each slot's sent count.
counters="SELECT (SELECT COUNT(*) FROM tasks t WHERE events_left <> (SELECT COUNT(*) FROM
 recipients r WHERE r.task_id = t.id AND next_event_us IS NOT NULL)) + (SELECT COUNT(*)
 FROM slot_use s WHERE sent <> (SELECT COUNT(*) FROM recipients r JOIN tasks t ON t.id =
 r.task_id JOIN campaigns c ON c.id = t.campaign_id WHERE t.app_id = s.app_id AND
 c.channel = s.channel AND r.slot_start_us = s.slot_start_us AND r.status NOT IN
 ('pending', 'canceled')))"

doubles() {
	q "SELECT COUNT(*) FROM (SELECT 1 FROM sim_ledger GROUP BY recipient_id, attempt
	   HAVING COUNT(*) > 1)"
}

outcome() { # recipient by recipient: status, code, attempts, ledger rows
	q "SELECT recipient || ':' || status || ':' || COALESCE(reason_code, '-') || ':' ||
	   attempts || ':' || (SELECT COUNT(*) FROM sim_ledger l WHERE l.recipient_id = r.id)
	   FROM recipients r ORDER BY recipient"
}

# ------------------------------------------------------------ kills

delay() { # LO HI: a random delay in ms from the seeded sequence
	draws=$((draws + 1))
	awk -v s="$seed" -v k="$draws" -v lo="$1" -v hi="$2" \
		'BEGIN { srand(s * 1000 + k); print int(lo + rand() * (hi - lo + 1)) }'
}

# phase NAME BODY WANT FULL_MS: moves the clock with BODY, kill -9 after a
# random delay, restart; until WANT kills landed mid-way (work started
# since the last look and not finished), at most max_tries. Each delay is
# up to three quarters of the time the rest took the uninterrupted run,
# and past any delay that found nothing done (a restart warms up first).
phase() {
	name=$1 body=$2 want=$3 full=$4
	last=$(progress)
	total=$(work_left "$last" "$name")
	snapshot "$tmp/seen"
	lo=1 mid=0 tries=0
	while [ $mid -lt "$want" ] && [ $tries -lt $max_tries ]; do
		tries=$((tries + 1))
		left=$(work_left "$last" "$name")
		[ "$left" -gt 0 ] || break
		hi=$((full * 3 / 4 * left / total))
		[ $hi -gt $((lo + 10)) ] || hi=$((lo + 10))
		ms=$(delay $lo $hi)
		curl -sS -o "$tmp/answer" -w '%{http_code}' -X POST -H "Authorization: Bearer $key" \
			-H 'Content-Type: application/json' -d "$body" "$url/v1/admin/clock" \
			>"$tmp/code" 2>"$tmp/curl.err" &
		cpid=$!
		sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
		if ! kill -0 $cpid 2>/dev/null; then
			wait $cpid || true
			echo "  $name: the clock request answered ($(cat "$tmp/code")) within $ms ms: no kill $(cat "$tmp/curl.err")"
			[ "$(cat "$tmp/code")" = 200 ] || violation "the clock request answered $(cat "$tmp/code")"
			break
		fi
		kill9
		wait $cpid 2>/dev/null || true
		kills=$((kills + 1))
		p=$(progress)
		snapshot "$tmp/now"
		forward "$tmp/seen" "$tmp/now"
		mv "$tmp/now" "$tmp/seen"
		[ "$(field "$p" 1)" -ge "$(field "$last" 1)" ] || violation "ledger rows vanished"
		[ "$(doubles)" -eq 0 ] || violation "the ledger holds a recipient's attempt twice"
		[ "$(q "$counters")" -eq 0 ] || violation "task or slot counters are not their rows'"
		note=""
		if [ "$p" = "$last" ]; then
			note=" (nothing done yet)"
			lo=$((ms + 1))
		elif [ "$(work_left "$p" "$name")" -gt 0 ]; then
			mid=$((mid + 1))
			note=" (mid-way)"
		fi
		printf '  kill %d (%s, %4d ms): ledger %s, pending %s (%s in flight, %s of them taken by the driver, %s waiting to retry), processed %s, final %s, waiting for statuses %s%s\n' \
			$kills "$name" "$ms" "$(field "$p" 1)" "$(field "$p" 5)" "$(field "$p" 2)" \
			"$(field "$p" 3)" "$(field "$p" 4)" "$(field "$p" 6)" "$(field "$p" 7)" \
			"$(field "$p" 8)" "$note"
		last=$p
		start "$data"
	done
	echo "  $name: $mid kills mid-way (wanted $want)"
	[ $mid -ge "$want" ] || violation "only $mid of $want kills landed mid-way while in $name"
}

timed_clock() { # BODY: the clock request's time in ms
	s=$(now_ms)
	api POST /v1/admin/clock "$1" >/dev/null
	echo $(($(now_ms) - s))
}

# ------------------------------------------------------------ checks

check() { # WHAT SQL: SQL must count 0
	c=$(q "$2")
	if [ "$c" -eq 0 ]; then
		echo "  ok    $1"
	else
		violation "$c $1"
	fi
}

check_final() {
	[ "$(q 'SELECT COUNT(*) FROM recipients')" -eq "$n" ] || violation "recipients are not $n"
	check "recipients not in a final state" \
		"SELECT COUNT(*) FROM recipients WHERE status NOT IN ('read', 'received', 'failed')"
	check "recipients whose timestamps contradict their status" \
		"SELECT COUNT(*) FROM recipients WHERE NOT CASE status
		 WHEN 'read' THEN processed_us IS NOT NULL AND received_us IS NOT NULL AND read_us IS NOT
		  NULL AND failed_us IS NULL AND reason_code IS NULL
		 WHEN 'received' THEN processed_us IS NOT NULL AND received_us IS NOT NULL AND read_us IS
		  NULL AND failed_us IS NULL AND reason_code IS NULL
		 WHEN 'failed' THEN failed_us IS NOT NULL AND reason_code IS NOT NULL AND read_us IS NULL
		 ELSE 0 END"
	check "recipients with statuses never applied" \
		"SELECT COUNT(*) FROM recipients WHERE events IS NOT NULL OR next_event_us IS NOT NULL"
	check "task or slot counters that are not their rows'" "$counters"
	check "tasks not done" "SELECT COUNT(*) FROM tasks WHERE status <> 'done'"
	check "ledger rows for the same recipient and attempt" \
		"SELECT COUNT(*) FROM (SELECT 1 FROM sim_ledger GROUP BY recipient_id, attempt
		 HAVING COUNT(*) > 1)"
	check "recipients in the ledger twice without a retryable refusal" \
		"SELECT COUNT(*) FROM (SELECT 1 FROM sim_ledger GROUP BY recipient_id HAVING COUNT(*) > 1
		 AND SUM(outcome = 'failed' AND retryable) = 0)"
	check "ledger rows before the last attempt that are not retryable refusals" \
		"SELECT COUNT(*) FROM sim_ledger l WHERE l.attempt < (SELECT MAX(attempt) FROM sim_ledger
		 m WHERE m.recipient_id = l.recipient_id) AND NOT (outcome = 'failed' AND retryable)"
	check "recipients whose attempts are not their ledger rows 1..n" \
		"SELECT COUNT(*) FROM recipients r WHERE r.attempts <> (SELECT COUNT(*) FROM sim_ledger l
		 WHERE l.recipient_id = r.id) OR r.attempts <> (SELECT MAX(attempt) FROM sim_ledger l
		 WHERE l.recipient_id = r.id) OR r.attempts < 1"
	check "recipients whose outcome is not the ledger's last answer" \
		"SELECT COUNT(*) FROM recipients r JOIN sim_ledger l ON l.recipient_id = r.id AND
		 l.attempt = r.attempts WHERE l.send_key IS NOT r.send_key OR CASE l.outcome
		 WHEN 'failed' THEN r.status <> 'failed' OR r.reason_code IS NOT l.code OR r.failed_us
		  IS NOT l.at_us OR r.processed_us IS NOT NULL
		 ELSE r.processed_us IS NOT l.at_us END"
	check "recipients whose outcome is not the sim table's (ccond(8))" \
		"SELECT COUNT(*) FROM (SELECT status || '/' || COALESCE(reason_code, '') || '/' ||
		 attempts AS got, CAST(substr(recipient, -2) AS INTEGER) AS d FROM recipients) WHERE
		 got <> CASE WHEN d = 13 THEN 'failed/131026/1' WHEN d = 50 THEN 'failed/131050/1'
		 WHEN d = 29 THEN 'read//3' WHEN d = 47 THEN 'failed/131047/1' WHEN d = 49 THEN
		 'failed/131049/1' WHEN d BETWEEN 60 AND 79 THEN 'received//1' ELSE 'read//1' END"
	summary=$(curl -sS -X POST -H "Authorization: Key $key" -H 'Content-Type: application/json' \
		-d "{\"id\":\"c\",\"method\":\"get\",\"uri\":\"/campaigns/$campaign/summaries\"}" \
		"$url/commands")
	sum=0
	counts=""
	for s in pending processed received read failed canceled; do
		c=$(printf '%s' "$summary" | sed -n "s/.*\"counts\":{[^}]*\"$s\":\([0-9]*\).*/\1/p")
		t=$(q "SELECT COUNT(*) FROM recipients WHERE status = '$s'")
		[ "$c" = "$t" ] || violation "summary count $s is '$c', the table has $t"
		sum=$((sum + ${c:-0}))
		counts="$counts $s $c,"
	done
	total=$(printf '%s' "$summary" | sed -n 's/.*"counts":{[^}]*"total":\([0-9]*\).*/\1/p')
	if [ "$sum" -eq "$n" ] && [ "$total" = "$n" ]; then
		echo "  ok    summary counts are the table's and add up to $n:${counts%,}"
	else
		violation "summary counts add up to $sum (total '$total'), not $n"
	fi
}

# ------------------------------------------------------------ the runs

csv="$tmp/audience.csv"
"$build/bench/gen_audience" "$csv" "$rows"
printf '%s' '{"contact":{"contactCode":"{{contactCode}}","channelType":"{{channelType}}"},"customFields":{"name":"{{nombre}}","ticketId":"{{ticket_id}}"}}' \
	>"$tmp/layout.json"
echo "$("$build/ccond" --version | head -n 1), $(nproc) CPUs; $rows rows; seed $seed" \
	"(BENCH_CRASH_SEED=$seed replays the delays)"

echo "reference run (never killed):"
data="$tmp/ref"
setup "$data"
ref_send=$(timed_clock '{"advance":"PT0S"}')
ref_events=$(timed_clock "{\"set\":\"$t2h\"}")
echo "  $n recipients: first sends in $ref_send ms, retries and statuses in $ref_events ms"
check_final
outcome >"$tmp/ref.outcome"
stop

echo "crash run:"
data="$tmp/crash"
setup "$data"
kills=0 draws=0
phase send '{"advance":"PT0S"}' "$want_send" "$ref_send"
api POST /v1/admin/clock '{"advance":"PT0S"}' >/dev/null
snapshot "$tmp/before"
phase events "{\"set\":\"$t2h\"}" "$want_events" "$ref_events"
api POST /v1/admin/clock "{\"set\":\"$t2h\"}" >/dev/null
snapshot "$tmp/end"
forward "$tmp/seen" "$tmp/end"
echo "checks after $kills kills:"
check_final
outcome >"$tmp/crash.outcome"
if cmp -s "$tmp/ref.outcome" "$tmp/crash.outcome"; then
	echo "  ok    recipient by recipient, the outcome of the run never killed"
else
	violation "$(diff "$tmp/ref.outcome" "$tmp/crash.outcome" | grep -c '^>') recipients" \
		"ended otherwise than in the run never killed"
fi
q "SELECT 'final: ' || group_concat(s, ', ') FROM (SELECT COUNT(*) || ' ' || status AS s
   FROM recipients GROUP BY status ORDER BY status)"
stop
if [ -s "$tmp/ccond.err" ] && grep -v 'SIGTERM, stopping' "$tmp/ccond.err" | grep -q .; then
	echo "ccond's stderr:"
	grep -v 'SIGTERM, stopping' "$tmp/ccond.err" | head -20
fi
echo "elapsed $(( ($(now_ms) - started) / 1000 )).$(( ($(now_ms) - started) % 1000 / 100 )) s;" \
	"$failures violations"
[ $failures -eq 0 ]
