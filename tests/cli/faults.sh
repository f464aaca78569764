#!/bin/bash
# The scriptable face under network faults (tests/tools/faultproxy between
# ccon and the real ccond): the network exit code with a clear message,
# and a send whose answer was lost retried with the same Idempotency-Key,
# existing once on the server.
. "$(dirname "$0")/lib.sh"
: "${FAULTPROXY_BIN:?FAULTPROXY_BIN must point at tests/tools/faultproxy}"

cli_ccond_start || exit 1
camp=$(cli_api POST "/v1/applications/$CLI_APP_ID/campaigns" \
	'{"name":"Promo","channel":"whatsapp","templateName":"promo","templateParams":["name"]}' | jq .id)
server=$CLI_URL
control="$CLI_TMP/rules"
: >"$control"
"$FAULTPROXY_BIN" --upstream "${server#http://}" --control "$control" \
	>"$CLI_TMP/proxy.out" 2>"$CLI_TMP/proxy.log" &
CLI_PIDS+=("$!")
for _ in $(seq 100); do
	proxy=$(sed -n 's/^faultproxy listening on \(http[^ ]*\).*/\1/p' "$CLI_TMP/proxy.out")
	[ -n "$proxy" ] && break
	sleep 0.05
done
rules() { printf '%s\n' "$@" >"$control"; kill -HUP "${CLI_PIDS[-1]}"; sleep 0.2; }
CLI_URL=$proxy

rules "POST /commands stall"
cli_remote campaigns --timeout 1 --retries 1
cli_check "a stalled server: network (6)" rc_is 6
cli_check "a stalled server: a clear message" err_has "no answer from $proxy after 2 tries"

rules "POST /commands drop-request"
cli_remote campaigns --retries 1 --json
cli_check "connections dropped: network (6)" rc_is 6
cli_check "--json: the error object" [ "$(out | jq -r .error.exit)" = network ]

rules "POST /commands status=503 retry-after=1 x1"
cli_remote campaigns --json
cli_check "one 503 with Retry-After: retried, 0" rc_is 0

cat >"$CLI_TMP/contacts.json" <<'J'
{"contacts":[{"contactCode":"+5511999990001","customFields":{"name":"Ana"}},
{"contactCode":"+5511999990002","customFields":{"name":"Bo"}}]}
J
# the first answer to the send is lost: the client sends it again with
# the same Idempotency-Key, the server answers from its store
rules "POST /v1/applications/$CLI_APP_ID/campaigns/$camp/send drop-response x1"
cli_remote send --campaign "$camp" "$CLI_TMP/contacts.json" --json
cli_check "a lost answer: the send still succeeds" rc_is 0
cli_check "the proxy dropped one answer" grep -q "dropped" "$CLI_TMP/proxy.log"
CLI_URL=$server
cli_check "a lost answer: the recipients exist once" [ "$(cli_cmd get "/campaigns/$camp/summaries" | jq .resource.counts.total)" = 2 ]
CLI_URL=$proxy

# every answer lost: the network code, and the key to run it again with
rules "POST /v1/applications/$CLI_APP_ID/campaigns/$camp/send drop-response"
cli_remote send --campaign "$camp" "$CLI_TMP/contacts.json" --idempotency-key lost-1 --retries 1
cli_check "every answer lost: network (6)" rc_is 6
cli_check "... and how to retry safely" err_has "--idempotency-key lost-1"
rules "# no rule"
cli_remote send --campaign "$camp" "$CLI_TMP/contacts.json" --idempotency-key lost-1 --json
cli_check "run again with the key: 0" rc_is 0
CLI_URL=$server
cli_check "run again with the key: the send exists once" [ "$(cli_cmd get "/campaigns/$camp/summaries" | jq .resource.counts.total)" = 4 ]
cli_check "run again with the key: one task for it" [ "$(cli_api GET "/v1/applications/$CLI_APP_ID/campaigns/$camp" >/dev/null; cli_cmd get "/audiences/$camp?\$take=100" | jq '[.resource.items[].taskId] | unique | length')" = 2 ]

cli_done
