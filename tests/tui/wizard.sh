#!/bin/bash
# The send wizard against a real ccond (--clock manual, an access log):
# three contacts composed in the audience editor and sent now reach
# read/failed in the report; scheduleAt four months ahead and scheduleAt
# with delay are refused on screen and no send request reaches ccond; each
# slicing condition's preview (the 48 h timeline) equals what ccond
# allocated after the dispatch, including a consecutive condition that
# cannot be placed (the cancel reason shown before and found after);
# :cancel of a scheduled send from the wizard's result and from the
# campaign list (n keeps it, y cancels it); and a send whose answer a proxy
# dropped is retried with the same key and exists once.
. "$(dirname "$0")/lib.sh"

PROXY_BIN=${FAULTPROXY_BIN:-$(dirname "$CCON_BIN")/tests/tools/faultproxy}

# campaign NAME - a WhatsApp campaign without template variables; its id.
campaign() {
	tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
		"{\"name\":\"$1\",\"channel\":\"whatsapp\",\"templateName\":\"plain\"}" |
		sed -n 's/^{"id":\([0-9]*\).*/\1/p'
}

# compose NAME NUMBER... - from the campaign list: the wizard on NAME, the
# JSON kind, the numbers pasted in the audience editor, back to the wizard.
compose() {
	local name=$1 n
	shift
	tui_keys Escape Escape Escape /
	tui_keys -l "$name"
	tui_keys Enter
	tui_wait_for "Campaigns  1/1 of" 5
	tui_keys n
	tui_wait_for "What kind of send?" 5
	tui_keys Enter
	tui_wait_for "Audience: 0 contacts" 5
	tui_keys Enter
	tui_wait_for "a adds one" 5
	tui_keys p
	sleep 0.2
	for n in "$@"; do
		tui_keys -l "$n"
		tui_keys Enter
	done
	tui_keys C-d
	tui_wait_for "$# added" 5
	tui_keys Escape
	tui_wait_for "Audience: $# contacts" 5
}

# slicing N - the slicing step, condition N (1..3) chosen.
slicing() {
	tui_keys 5 g
	for _ in $(seq 2 "$1"); do tui_keys j; done
	tui_keys Enter
}

# dispatch - the review step, Enter, y.
dispatch() {
	tui_keys 6
	tui_expect "the review is shown" "Review: Enter sends" 5
	tui_keys Enter
	tui_expect_re "the send asks first, naming the campaign" "Send to [0-9]+ recipients? of campaign '[^']*[^ ']' in [0-9]+ requests?\? y/N" 5
	tui_keys y
}

# status ID - the campaign's status as ccond's summaries give it.
status() {
	curl -sS -H "Authorization: Key $TUI_KEY" -H 'Content-Type: application/json' \
		--data "{\"id\":\"s\",\"to\":\"postmaster@msging.net\",\"method\":\"get\",\"uri\":\"/campaigns/$1/summaries\"}" \
		"$TUI_URL/commands" | jq -r '.resource.status'
}

# reserved SLOT - what ccond's slots view says slot SLOT (HH:MM on
# 2027-01-04) holds, reserved.
reserved() {
	tui_api GET "/v1/applications/$TUI_APP_ID/slots?channel=whatsapp&from=2027-01-04T09:00:00Z" |
		jq -r ".slots[] | select(.start == \"2027-01-04T$1:00Z\") | .reserved"
}

command -v jq >/dev/null || { echo "jq is required (apt-get install jq)"; exit 99; }
tui_ccond_start --clock manual --access-log "$TUI_TMP/access.log" || exit 99
tui_api POST /v1/admin/clock '{"set":"2027-01-04T09:00:00Z"}' >/dev/null
three=$(campaign "Three now")
refused=$(campaign "Refused times")
frag=$(campaign "Fragmented")
immediate=$(campaign "Immediate")
deferred=$(campaign "Deferred")
other=$(campaign "Other sends")
later=$(campaign "Later one")
later2=$(campaign "Later two")
[ -n "$three" ] && [ -n "$other" ] && [ -n "$deferred" ] || { echo "no campaigns"; exit 99; }

tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
	--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID" --refresh 1
tui_expect "the campaigns are listed" "Other sends"

# ---- timing refused on screen, no request made
compose "Refused times" +34666000201
tui_keys 4 g j Enter
tui_keys -l "2027-05-04T09:00:00Z"
tui_expect "scheduleAt 4 months ahead is refused as typed" "more than 3 months ahead"
tui_keys Enter G Enter
tui_keys -l "PT30M"
tui_expect "scheduleAt with delay is refused as typed" "together with scheduleAt"
tui_keys Enter 6
tui_expect "the review refuses it" "not ready:"
tui_keys Enter
tui_expect "Enter sends nothing" "not ready:"
tui_keys 5
tui_expect "no plan is asked for" "no plan yet:"
tui_keys 4 G Enter C-u Enter
tui_keys g j Enter C-u
tui_keys -l "2027-04-04T09:00:00Z"
tui_expect "exactly 3 months ahead is taken" "sent as 2027-04-04T09:00:00Z"
tui_keys C-u
tui_keys -l "2027-04-04T09:00:01Z"
tui_expect "one second more is refused" "more than 3 months ahead"
tui_keys Escape
sleep 1
tui_check "no request of that campaign reached ccond" \
	test "$(grep -c "/campaigns/$refused/send" "$TUI_TMP/access.log")" = 0

# ---- slicing: capacity 2 a slot; 09:15 held by another send
tui_api PUT "/v1/applications/$TUI_APP_ID/slots/config" \
	'{"channel":"whatsapp","slotLengthSeconds":900,"capacity":2}' >/dev/null
tui_api POST "/v1/applications/$TUI_APP_ID/campaigns/$other/send" \
	'{"contacts":[{"contactCode":"+34666000901","channelType":"cloud_api"},{"contactCode":"+34666000902","channelType":"cloud_api"}],"scheduleAt":"2027-01-04T09:15:00Z"}' |
	grep -q '"accepted":2' || { echo "the other send was refused"; exit 99; }

compose "Immediate" +34666000301 +34666000302 +34666000303 +34666000304 +34666000305
slicing 2
tui_expect "immediateConsecutiveSlots: the preview says it would be canceled" "would be CANCELED" 10
reason=$(tui_screen | sed -n 's/.*would be CANCELED: \(.\{20\}\).*/\1/p')
dispatch
tui_expect "the canceled send is dispatched all the same" "Report: Immediate" 10
tui_check "ccond canceled it" test "$(status "$immediate")" = canceled
tui_check "the preview gave the reason" test -n "$reason"
tui_expect "the report gives the same reason" "${reason:-(no reason read)}" 5

compose "Deferred" +34666000401 +34666000402 +34666000403 +34666000404 +34666000405
slicing 3
tui_expect "deferredConsecutiveSlots: the plan is drawn" "Plan of deferredConsecutiveSlots: 5 of 5" 10
tui_expect "09:30 holds 2 of this send" "09:30 [" 2
screen=$(tui_screen)
for s in "09:30 2" "09:45 2" "10:00 1"; do
	set -- $s
	tui_check "the preview puts $2 in $1" sh -c "printf '%s\n' \"\$0\" | grep -Eq 'Mon 04 $1 .*mine $2 '" "$screen"
done
dispatch
tui_expect "the deferred send is dispatched" "Report: Deferred" 10
tui_check "ccond allocated 09:30, 09:45, 10:00 as previewed" \
	test "$(reserved 09:30) $(reserved 09:45) $(reserved 10:00)" = "2 2 1"

compose "Fragmented" +34666000501 +34666000502 +34666000503
slicing 1
tui_expect "fragmentedSlots: slicing activates" "Slicing activates" 10
screen=$(tui_screen)
for s in "09:00 2" "10:00 1"; do
	set -- $s
	tui_check "the preview puts $2 in $1" sh -c "printf '%s\n' \"\$0\" | grep -Eq 'Mon 04 $1 .*mine $2 '" "$screen"
done
dispatch
tui_expect "the fragmented send is dispatched" "Report: Fragmented" 10
tui_check "ccond allocated 09:00 and 10:00 as previewed" \
	test "$(reserved 09:00) $(reserved 10:00)" = "2 2"
tui_api PUT "/v1/applications/$TUI_APP_ID/slots/config" \
	'{"channel":"whatsapp","slotLengthSeconds":900,"capacity":1000}' >/dev/null
# ---- (capacity back to 1,000) three contacts, now, to read/failed (sim: 01 read, 13 failed 131026, 65 received)
compose "Three now" +34666000101 +34666000113 +34666000165
tui_expect "the audience step counts them" "3 valid, 0 invalid"
tui_keys 4
tui_expect "the timing step says now" "  * now" 5
dispatch
tui_expect "the dispatch opens the report" "Report: Three now" 10
tui_api POST /v1/admin/clock '{"advance":"PT2H"}' >/dev/null
tui_expect "a recipient reaches read" "+34666000101     read" 10
tui_expect "a recipient failed with its reason" "131026" 5
tui_check "ccond holds the three once" \
	test "$(grep -c "POST /v1/applications/$TUI_APP_ID/campaigns/$three/send " "$TUI_TMP/access.log")" = 1

# ---- :cancel of a scheduled send, from the wizard's result and from the list
compose "Later one" +34666000701 +34666000702
tui_keys 4 g j Enter
tui_keys -l "2027-01-05T09:00:00Z"
tui_keys Enter
dispatch
tui_expect "the scheduled send opens its report" "Report: Later one" 10
tui_keys Escape
tui_expect "Esc goes back to the wizard's result" "Sent: 1 request accepted" 5
tui_command cancel
tui_expect "the wizard's :cancel asks first" \
	"Cancel the campaign \"Later one\" and its 2 pending recipients? y/N" 5
tui_keys y
tui_expect "y cancels it" "campaign canceled" 10
tui_check "ccond says canceled" test "$(status "$later")" = canceled

tui_api POST "/v1/applications/$TUI_APP_ID/campaigns/$later2/send" \
	'{"contacts":[{"contactCode":"+34666000801","channelType":"cloud_api"}],"scheduleAt":"2027-01-05T09:00:00Z"}' |
	grep -q '"accepted":1' || { echo "the scheduled API send was refused"; exit 99; }
tui_keys Escape Escape Escape /
tui_keys -l "Later two"
tui_keys Enter
tui_expect "the list shows it scheduled" "scheduled" 5
tui_command cancel
tui_expect "the list's :cancel asks first" "Cancel the campaign \"Later two\"" 5
tui_keys n
tui_expect "n keeps it" "not canceled" 5
tui_check "ccond still has it scheduled" test "$(status "$later2")" = scheduled
tui_command cancel
tui_keys y
tui_expect "y cancels it from the list" "campaign canceled" 10
tui_check "ccond says canceled" test "$(status "$later2")" = canceled

tui_keys q q q q q q
sleep 0.5

# ---- an answer lost on the way: retried with the same key, sent once
lost=$(campaign "Lost answer")
"$PROXY_BIN" --upstream "${TUI_URL#http://}" \
	--rule "POST /v1/applications/$TUI_APP_ID/campaigns/$lost/send drop-response x1" \
	>"$TUI_TMP/proxy.out" 2>"$TUI_TMP/proxy.log" &
proxy=$!
for _ in $(seq 50); do
	PROXY_URL=$(sed -n 's/^faultproxy listening on \(http[^ ]*\).*/\1/p' "$TUI_TMP/proxy.out")
	[ -n "$PROXY_URL" ] && break
	sleep 0.1
done
tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$PROXY_URL" \
	--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID" --refresh 1
tui_expect "the console runs through the proxy" "Lost answer"
compose "Lost answer" +34666000601 +34666000602 +34666000603
dispatch
tui_expect "the lost answer is retried and the report opens" "Report: Lost answer" 20
tui_check "the proxy dropped one answer" grep -q dropped "$TUI_TMP/proxy.log"
tui_check "ccond got the send twice (the retry)" \
	test "$(grep -c "POST /v1/applications/$TUI_APP_ID/campaigns/$lost/send " "$TUI_TMP/access.log")" = 2
total=$(curl -sS -H "Authorization: Key $TUI_KEY" -H 'Content-Type: application/json' \
	--data "{\"id\":\"t1\",\"to\":\"postmaster@msging.net\",\"method\":\"get\",\"uri\":\"/audiences/$lost\"}" \
	"$TUI_URL/commands" | jq -r '.resource.total')
tui_check "the send exists once: 3 recipients, not 6 (got $total)" test "$total" = 3
kill "$proxy" 2>/dev/null
wait "$proxy" 2>/dev/null

tui_done
