#!/bin/bash
# The subcommands without --url or a profile: the embedded engine on the
# console's data directory, one engine per store (src/tui/connection.h).
. "$(dirname "$0")/lib.sh"
command -v flock >/dev/null || { echo "flock is required (util-linux)"; exit 99; }

data="$XDG_DATA_HOME/ccon"

# nobody runs the engine: the subcommand starts its own (demo data on the
# first run) and leaves no engine file behind
cli_run campaigns --json
cli_check "embedded: exits 0" rc_is 0
cli_check "embedded: the demo campaigns" [ "$(out | jq .total)" -ge 10 ]
cli_check "embedded: the store is there" [ -f "$data/ccond.db" ]
cli_check "embedded: no engine file left" [ ! -e "$data/engine" ]
cli_run report 1 --json
cli_check "embedded: report 1" [ "$(out | jq -r .campaign.id)" = 1 ]

# another process holds the engine (as a running console does): the
# subcommand talks to that engine through DATA/engine and starts none
cli_ccond_start || exit 1
cli_api POST "/v1/applications/$CLI_APP_ID/campaigns" \
	'{"name":"Only on the running engine","channel":"sms","templateBody":"hi"}' >/dev/null
exec 9>"$data/engine.lock"
flock -n 9 || { echo "could not take the lock"; exit 99; }
(umask 077; printf 'url %s\napp %s\nkey %s\nowner console\npid %s\n' "$CLI_URL" "$CLI_APP_ID" \
	"$CLI_KEY" $$ >"$data/engine")
before=$(stat -c %Y "$data/ccond.db")
cli_run campaigns --json
cli_check "attached: exits 0" rc_is 0
cli_check "attached: the running engine's campaigns" [ "$(out | jq -r '.items[0].name')" = "Only on the running engine" ]
cli_check "attached: the store untouched" [ "$(stat -c %Y "$data/ccond.db")" = "$before" ]
cli_check "attached: the key not printed" bash -c "! grep -qF '$CLI_KEY' '$CLI_TMP/out' '$CLI_TMP/err'"
cli_check "attached: the engine file kept" [ -e "$data/engine" ]
chmod 644 "$data/engine"
cli_run campaigns
cli_check "an engine file others may read: refused (1)" rc_is 1
cli_check "... with the reason" err_has "mode 0600"
exec 9>&-
rm -f "$data/engine"

# the lock is free again: a subcommand runs its own engine
cli_run campaigns --json
cli_check "lock released: own engine again" [ "$(out | jq .total)" -ge 10 ]

# a proxy in the environment (port 9: nothing listens) is never used for the
# engine on 127.0.0.1: its requests and key stay on this machine
http_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9 \
	cli_run campaigns --json --retries 1
cli_check "http_proxy set: the engine still answers" rc_is 0
cli_check "http_proxy set: its campaigns" [ "$(out | jq .total)" -ge 10 ]

cli_done
