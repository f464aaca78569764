#!/bin/bash
# ccon's subcommands against the real ccond (demo data, manual clock): every
# --json answer against ccond's own answers, the tables, the exit codes.
. "$(dirname "$0")/lib.sh"

cli_ccond_start --demo || exit 1

# ---- campaigns: every page, the same rows as get /campaigns/summaries
cli_remote campaigns --json
cli_check "campaigns --json exits 0" rc_is 0
cli_cmd get '/campaigns/summaries?$take=100' | jq -S '[.resource.items[] | {id, name, status, counts}]' >"$CLI_TMP/want"
out | jq -S '[.items[] | {id, name, status, counts}]' >"$CLI_TMP/got"
cli_check "campaigns --json has ccond's rows" cmp -s "$CLI_TMP/want" "$CLI_TMP/got"
cli_check "campaigns --json total" [ "$(out | jq .total)" = "$(cli_cmd get /campaigns/summaries | jq .resource.total)" ]
cli_remote campaigns
cli_check "campaigns table has a head" out_has "ID  NAME"
cli_check "campaigns table: one line a campaign" [ "$(out | wc -l)" -eq $(( $(jq length "$CLI_TMP/want") + 1 )) ]
cli_check "campaigns table: no colour into a pipe" bash -c "! grep -q $'\e' '$CLI_TMP/out'"
# options after or before the subcommand
CCON_TEST_KEY=$CLI_KEY cli_run --url "$CLI_URL" --token-env CCON_TEST_KEY campaigns --json
cli_check "global options before the subcommand" rc_is 0

# ---- report
cli_remote report 1 --json
cli_check "report --json exits 0" rc_is 0
cli_cmd get /campaigns/1/summaries | jq -S '.resource.counts' >"$CLI_TMP/want"
out | jq -S '.campaign.counts' >"$CLI_TMP/got"
cli_check "report --json counts are ccond's" cmp -s "$CLI_TMP/want" "$CLI_TMP/got"
cli_cmd get '/campaigns/1/failures' | jq -S '[.resource.items[] | {reasonCode, count}]' >"$CLI_TMP/want"
out | jq -S '[.failures[] | {reasonCode, count}]' >"$CLI_TMP/got"
cli_check "report --json failures are ccond's" cmp -s "$CLI_TMP/want" "$CLI_TMP/got"
cli_remote report 1
cli_check "report table: failed line" bash -c "grep -Eq '^failed +$(cli_cmd get /campaigns/1/summaries | jq .resource.counts.failed) ' '$CLI_TMP/out'"
cli_check "report table: reason 131026" out_has "131026"

# ---- audience: paged through the server until done (2000 > one page)
cli_remote audience 1 --json
total=$(cli_cmd get '/audiences/1?$take=1' | jq .resource.total)
cli_check "audience --json: every row ($total)" [ "$(out | jq '.items | length')" = "$total" ]
cli_check "audience --json total" [ "$(out | jq .total)" = "$total" ]
cli_cmd get '/audiences/1?$skip=1500&$take=1' | jq -S '.resource.items[0]' >"$CLI_TMP/want"
out | jq -S '.items[1500]' >"$CLI_TMP/got"
cli_check "audience --json row 1500 is ccond's" cmp -s "$CLI_TMP/want" "$CLI_TMP/got"
cli_remote audience 1 --status failed --json
failed=$(cli_cmd get '/audiences/1?status=failed&$take=1' | jq .resource.total)
cli_check "audience --status failed: $failed rows" [ "$(out | jq '.items | length')" = "$failed" ]
cli_check "audience --status failed: all failed" [ "$(out | jq '[.items[].status] | unique | join(",")')" = '"failed"' ]
cli_remote audience 1 --status failed
cli_check "audience table" [ "$(out | wc -l)" -eq $((failed + 1)) ]
cli_remote audience 1 --status bogus
cli_check "audience --status bogus: usage (2)" rc_is 2

# ---- cancel: a scheduled campaign
cli_remote cancel 3 --json
cli_check "cancel exits 0" rc_is 0
cli_check "cancel: ccond says canceled" [ "$(cli_cmd get /campaigns/3/summaries | jq -r .resource.status)" = canceled ]
cli_remote cancel 3
cli_check "cancel again: the server refuses (5)" rc_is 5
cli_check "cancel again: why on stderr" err_has "already canceled"

# ---- retry-failed: campaign 1 is done with failures
cli_remote retry-failed 1 --dry-run --json
cli_check "retry-failed --dry-run exits 0" rc_is 0
n=$(out | jq .recipients)
cli_check "retry-failed --dry-run: recipients > 0" [ "$n" -gt 0 ]
cli_remote retry-failed 1 --json --idempotency-key retry-one
cli_check "retry-failed exits 0" rc_is 0
task=$(out | jq .taskId)
cli_check "retry-failed: the same count as the dry run" [ "$(out | jq .recipients)" = "$n" ]
cli_check "retry-failed: the task is on ccond" bash -c "curl -sS -H 'Authorization: Key $CLI_KEY' -H 'Content-Type: application/json' --data-binary '{\"id\":\"t\",\"method\":\"get\",\"uri\":\"/audiences/1?taskId=$task&\$take=1\"}' '$CLI_URL/commands' | jq -e '.resource.total == $n' >/dev/null"
cli_remote retry-failed 1 --json --idempotency-key retry-one
cli_check "retry-failed, same key: the same task" [ "$(out | jq .taskId)" = "$task" ]
cli_remote retry-failed 9
cli_check "retry-failed with nothing to retry: 5" rc_is 5
cli_check "retry-failed: nothing_to_retry" err_has "retry"

# ---- exit codes
cli_remote report 999
cli_check "report 999: not found (5)" rc_is 5
cli_check "report 999: the server's 404 on stderr" err_has "404"
cli_remote report 999 --json
cli_check "report 999 --json: error object" [ "$(out | jq -r '.error.exit + " " + (.error.status|tostring)')" = "server 404" ]
CCON_TEST_KEY=wrong-key cli_run campaigns --url "$CLI_URL" --token-env CCON_TEST_KEY
cli_check "a wrong token: auth (4)" rc_is 4
cli_check "a wrong token is never printed" bash -c "! grep -q wrong-key '$CLI_TMP/out' '$CLI_TMP/err'"
cli_run campaigns --bogus
cli_check "unknown option: usage (2)" rc_is 2
cli_run report
cli_check "report without ID: usage (2)" rc_is 2
cli_run report x1 --url "$CLI_URL"
cli_check "report with a bad ID: usage (2)" rc_is 2
cli_run validate x.csv --status failed
cli_check "an option of another subcommand: usage (2)" rc_is 2
cli_check "... says so" err_has "not an option of validate"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cli_run campaigns --url "http://127.0.0.1:$port" --retries 1 --timeout 2
cli_check "a dead port: network (6)" rc_is 6
cli_check "a dead port: a clear message" err_has "no answer from http://127.0.0.1:$port after 2 tries"

# ---- validate: offline, the importer's errors with line and column
cat >"$CLI_TMP/layout.json" <<'L'
{"contact":{"contactCode":"{{phone}}","channelType":"cloud_api"},"customFields":{"name":"{{name}}"}}
L
printf 'phone,name\n+5511999990011,Ana\n+5511999990012,"Bo\n123,x\n+5511999990011,Cy\n' >"$CLI_TMP/bad.csv"
cli_run validate "$CLI_TMP/bad.csv" --layout "$CLI_TMP/layout.json"
cli_check "validate a broken CSV: invalid (3)" rc_is 3
cli_check "validate: the quote error at line 3, column 2" out_has "line 3, column 2:"
cli_check "validate: the phone at line 4, column 1" out_has "line 4, column 1, contact.contactCode"
cli_check "validate: summary" out_has "4 rows: 1 valid, 2 invalid, 1 duplicates"
cli_run validate "$CLI_TMP/bad.csv" --layout "$CLI_TMP/layout.json" --json
cli_check "validate --json counts" [ "$(out | jq -c '[.rows,.valid,.invalid,.duplicates]')" = "[4,1,2,1]" ]
cli_check "validate --json errors" [ "$(out | jq -c '[.errors[] | [.line,.column,.code]]')" = '[[3,2,"csv_unbalanced_quote"],[4,1,"phone_too_short"]]' ]
printf 'phone,name\n+5511999990011,Ana\n+5511999990012,Bo\n' >"$CLI_TMP/good.csv"
cli_run validate "$CLI_TMP/good.csv" --layout "$CLI_TMP/layout.json"
cli_check "validate a good CSV: 0" rc_is 0
cli_check "validate: no progress bar into a pipe" bash -c "! grep -q $'\r' '$CLI_TMP/err'"
cli_run validate "$CLI_TMP/good.csv" --layout "$CLI_TMP/layout.json" --progress
cli_check "validate --progress: the bar on stderr only" bash -c "! grep -q $'\r' '$CLI_TMP/out'"
echo '{"contact":' >"$CLI_TMP/broken.json"
cli_run validate "$CLI_TMP/good.csv" --layout "$CLI_TMP/broken.json"
cli_check "validate with a broken layout: 3" rc_is 3
cli_run validate "$CLI_TMP/missing.csv" --layout "$CLI_TMP/layout.json"
cli_check "validate a missing file: 2" rc_is 2

# ---- a file named like a subcommand is told apart
cli_check "'campaigns' is a subcommand" [ "$(cd "$CLI_TMP" && "$CCON_BIN" campaigns --bogus 2>&1 | head -1)" = "ccon campaigns: unknown option '--bogus'" ]

cli_done
