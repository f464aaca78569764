#!/bin/bash
# The console against a real ccond (--clock manual) through --url and
# --token-env: the list, a campaign whose name carries ESC [2J, BEL and an
# OSC 52 sequence drawn as harmless text, the cursor kept on its campaign
# across refreshes, ccond stopped (SIGSTOP) said in the status bar within
# seconds while keys still work, recovery after SIGCONT and after a kill
# and a restart, and SIGTERM.
. "$(dirname "$0")/lib.sh"

tui_ccond_start --clock manual || exit 99
for name in "Alpha notice" "Bravo notice" "Delta notice"; do
	tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
		"{\"name\":\"$name\",\"channel\":\"sms\",\"templateBody\":\"hi\"}" >/dev/null
done
# ESC [2J (clear screen), BEL, OSC 52 (set the clipboard to "owned"):
# the REST route refuses control characters in a name, seed 002's
# set /campaign/v2 takes them
evil=$(curl -sS -H "Authorization: Key $TUI_KEY" -H 'Content-Type: application/json' \
	--data-binary '{"id":"1","to":"postmaster@activecampaign.msging.net","method":"set",
	"uri":"/campaign/v2","type":"application/vnd.iris.activecampaign.campaign-v2+json",
	"resource":{"campaign":{"name":"Evil \u001b[2J clear \u0007 bell \u001b]52;c;b3duZWQ=\u0007 end",
	"campaignType":"Batch"},"message":{"messageTemplate":"t"}}}' "$TUI_URL/commands")
case "$evil" in
*'"status":"success"'*) ;;
*) echo "could not create the campaign: $evil"; exit 99 ;;
esac

tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
	--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID" --refresh 1
tui_expect "the server's campaigns are listed" "Alpha notice"
tui_expect "the status bar names the server" "remote | $TUI_URL"
tui_expect "connected" "connected"
tui_expect "the hostile name is drawn as text" "clear"
tui_expect "its end is drawn too" "end"
tui_expect "the screen was not cleared: other rows stay" "Bravo notice"
tui_expect "the title bar stays" "? help  q quit"
tui_check "no raw escape reached the screen" \
	sh -c "! tmux -S '$TUI_SOCK' capture-pane -p -t t | grep -q \"\$(printf '\\033')\""
tui_check "no OSC 52 reached the terminal (tmux has no paste buffer)" \
	test -z "$(tmux -S "$TUI_SOCK" list-buffers 2>/dev/null)"
tui_check "no BEL reached the terminal" test "$(tui_pane '#{window_bell_flag}')" = 0
tui_expect_not "the token is never drawn" "$TUI_KEY"

# the cursor stays on its campaign across refreshes that add rows above it
for _ in $(seq 12); do
	tui_screen | grep -q "sort: name " && break
	tui_keys s
	sleep 0.1
done
tui_screen | grep -q "sort: name asc" || tui_keys S
tui_wait_for "sort: name asc"
tui_keys g j
tui_expect "j: on the second row" "Campaigns  2/4"
tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
	'{"name":"Aardvark notice","channel":"sms","templateBody":"hi"}' >/dev/null
tui_expect "a refresh brings the new campaign" "Aardvark notice" 5
tui_expect "the cursor moved down with its campaign" "Campaigns  3/5"
tui_keys Enter
tui_expect "Enter opens the same campaign" "Report: Bravo notice"
tui_keys Escape
tui_wait_for "Campaigns  3/5"

# ccond stalls: said within about 2 s, keys still work
kill -STOP "$TUI_CCOND_PID"
start=$SECONDS
tui_expect "ccond stopped: the status bar says no answer" "no answer for" 4
echo "# said after $((SECONDS - start)) s"
tui_keys j
tui_expect "keys still move the cursor" "Campaigns  4/5" 1
tui_keys k
tui_expect "and back" "Campaigns  3/5" 1
tui_keys '?'
tui_expect "the help opens while the server is stopped" "Sort by the next column" 1
tui_keys Escape
kill -CONT "$TUI_CCOND_PID"
tui_expect "ccond back: it recovers by itself" "| connected |" 15
tui_expect_not "the stall is no longer shown" "no answer for"

# ccond stopped, then killed: said, keys work; started again on the same
# address and data: the console recovers by itself
kill -STOP "$TUI_CCOND_PID"
tui_expect "ccond stopped again: said" "no answer for" 4
kill -KILL "$TUI_CCOND_PID"
wait "$TUI_CCOND_PID" 2>/dev/null
tui_expect "ccond killed: the status bar shows the failed poll" "error: campaign list" 15
tui_check "... retrying or down, no longer connected" \
	sh -c "! tmux -S '$TUI_SOCK' capture-pane -p -t t | grep -q '| connected |'"
tui_keys j
tui_expect "keys still move the cursor" "Campaigns  4/5" 1
"$CCOND_BIN" --data-dir "$TUI_TMP/ccond" --listen "${TUI_URL#http://}" --clock manual \
	>"$TUI_TMP/ccond2.log" 2>&1 &
TUI_CCOND_PID=$!
tui_expect "ccond back: it recovers by itself" "| connected |" 20
tui_expect "and lists the campaigns again" "Aardvark notice"

kill -TERM "$TUI_PID"
tui_expect "SIGTERM: exits with status 0" "[exit 0]"
tui_expect "SIGTERM: the terminal is restored" "[tty restored]"
tui_check "SIGTERM: the alternate screen is left" test "$(tui_pane '#{alternate_on}')" = 0
tui_done
