#!/bin/bash
# The send wizard's transactional SMS and single WhatsApp message against a
# real ccond (--clock manual):
# (1) two contacts composed in the transactional form (one by phoneNumber
#     and countryCode, one by e164), flash on; the live encoding and
#     segment readout for a GSM-7 text (one segment and two), a UCS-2 text
#     and a Spanish-shift text under each nlsMode, with the figures worked
#     out by hand below; a bad number refused in place; dispatched; ccond's
#     store holds the two recipients and the task's flash; the report opens.
# (2) the WhatsApp form: a text one character over the seed's 4069 refused
#     in place with the limit named; each message type composed (text,
#     image + caption, document + file name, location, template) and a
#     caption without media refused; one text message sent, and the
#     trackingId on screen is ccond's.
# (3) Tab skips the campaign, timing and slicing steps of a WhatsApp
#     message (and S-Tab comes back the same way), and those steps say why.
# (4) the envelope's slicing step, which has no dry run: the plan of
#     ccond's planner over the slots of its channel.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || { echo "jq is required (apt-get install jq)"; exit 99; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is required (apt-get install sqlite3)"; exit 99; }

# db SQL - a query on ccond's store (read-only, while it runs: WAL).
db() { sqlite3 -readonly "$TUI_TMP/ccond/ccond.db" "$1"; }

# edit TEXT - the prompt open on the cell under the cursor: its text
# replaced with TEXT, as typed (the prompt's check runs on every key).
edit() {
	tui_keys e C-u
	tui_keys -l -- "$1"
}

tui_ccond_start --clock manual || exit 99
tui_api POST /v1/admin/clock '{"set":"2027-01-04T09:00:00Z"}' >/dev/null
sms=$(tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
	'{"name":"Tx codes","channel":"sms","templateBody":"Code {{code}}"}' | jq -r .id)
[ -n "$sms" ] && [ "$sms" != null ] || { echo "no campaign"; exit 99; }

tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
	--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID" --refresh 1
tui_expect "the campaigns are listed" "Tx codes"

# ---- (1) transactional SMS
tui_keys n
tui_wait_for "What kind of send?" 5
tui_keys j j Enter
tui_expect "the transactional kind on the SMS campaign" "Audience: 0 contacts"
tui_keys Enter
tui_expect "the transactional form opens" "Transactional SMS  0 contacts"
tui_expect "its variables are listed" "Template variables: 1"

# contact 1: a national number alone is refused in place, then its country code
tui_keys a
tui_keys -l "612 345 678"
tui_expect_re "a national number without a country code is marked on its row" "^ +! +1 +612 345 678 +phoneNumber"
tui_expect "the reason is shown in place as it is typed" "contacts[0].phoneNumber: phoneNumber has no country code"
tui_keys Enter Tab
edit "34"
tui_expect "with countryCode 34 it sends to the E.164 number" "+34612345678"
tui_keys Enter Tab Tab Tab Tab
edit "1234"
# "Code 1234": 9 characters of the default alphabet, 9 septets, one
# segment of 160
tui_expect "GSM-7: 9 septets, one segment" "GSM-7, 9 septets, 1 segment (160 a segment)"
tui_expect "the message is rendered with the contact's field" "Code 1234"
tui_keys C-u
tui_keys -l "$(printf 'x%.0s' $(seq 156))"
# "Code " + 156 x = 161 septets: over 160, so concatenated: 153 a segment,
# 161 / 153 -> 2 segments
tui_expect "GSM-7: 161 septets, two segments of 153" "GSM-7, 161 septets, 2 segments (153 a segment)"
tui_keys C-u
tui_keys -l "日本"
# "Code 日本": 7 code points outside GSM-7 -> UCS-2, 7 UTF-16 units, 70 a segment
tui_expect "CJK: UCS-2, 7 units, one segment of 70" "UCS-2, 7 UTF-16 units, 1 segment (70 a segment)"
tui_keys C-u
tui_keys -l "😀😀"
# "Code 😀😀": 5 units + two surrogate pairs = 9 UTF-16 units
tui_expect "emoji: UCS-2, each a surrogate pair: 9 units" "UCS-2, 9 UTF-16 units, 1 segment (70 a segment)"
tui_keys C-u
tui_keys -l "mañana á"
# "Code mañana á" under nlsMode auto: ñ is in the default alphabet, á only
# in the Spanish shift table (2 septets): 5 + 6 + 1 + 2 = 14 septets, 155
# a segment (3 octets of the shift table's header)
tui_expect "nlsMode auto: Spanish shift, 14 septets, 155 a segment" \
	"GSM-7 + Spanish shift, 14 septets, 1 segment (155 a segment)"
tui_keys Enter N
tui_expect "nlsMode standard is shown" "nlsMode standard"
# standard: á does not fit the default alphabet -> UCS-2, 13 code points
tui_expect "nlsMode standard: UCS-2, 13 units" "UCS-2, 13 UTF-16 units, 1 segment (70 a segment)"
tui_keys N
tui_expect "nlsMode spanish: the shift table again" \
	"GSM-7 + Spanish shift, 14 septets, 1 segment (155 a segment)"

# contact 2 by e164: a bad e164 refused in place, then a good one
tui_keys a Enter Tab Tab
edit "+34 69x"
tui_expect_re "a bad e164 is refused in place" "^ +! +2 .*\+34 69x"
tui_keys C-u
tui_keys -l "+34699000002"
tui_keys Enter Tab Tab Tab
edit "5678"
tui_keys Enter
tui_expect "contact 2 sends to its e164" "+34699000002"
tui_keys F
tui_expect "flash on" "flash ON"
tui_expect "both contacts pass the send's checks" "ready: every contact passes"
tui_keys Escape
tui_expect "the wizard's audience step sums it up" "Audience: 2 contacts"
tui_expect "with the options" "flash on, nlsMode spanish, sendTypeOverride list"
tui_keys Tab
tui_expect "timing: scheduleAt only" "(none for this kind: its seed has scheduleAt only)"
tui_keys Tab
tui_expect "slicing: ccond's default, said plainly" "Its seed has no slicingCondition"
tui_expect "the dry run's plan for the two" "2 of 2 recipients placed" 10
tui_keys Tab
tui_expect "the review shows the transactional request" "POST /v1/campaigns/transactional/send"
tui_expect_re "with flash" '"flash": +true'
tui_keys Enter
tui_expect "the question is the transactional one" "to 2 contacts (flash)? y/N"
tui_keys y
tui_expect "the report opens" "Report: Tx codes" 10
sleep 1
task=$(db "SELECT id FROM tasks WHERE campaign_id = $sms ORDER BY id DESC LIMIT 1")
tui_check "ccond holds one task for the campaign" test -n "$task"
tui_check "the task has flash and nlsMode spanish" \
	test "$(db "SELECT json_extract(options, '\$.flash') || ' ' || json_extract(options, '\$.nlsMode') FROM tasks WHERE id = $task")" = "1 spanish"
tui_check "its recipients are the two numbers" \
	test "$(db "SELECT group_concat(recipient, ' ') FROM (SELECT recipient FROM recipients WHERE task_id = $task ORDER BY recipient)")" = "+34612345678 +34699000002"

# ---- (3) a WhatsApp message's steps: Tab skips what it has not
tui_keys Escape Escape
tui_wait_for "Tx codes" 5
tui_command "send"
tui_wait_for "What kind of send?" 5
tui_keys j j j j Enter
tui_expect "the WhatsApp kind goes straight to its message" "One message to (nobody yet)"
tui_keys BTab
tui_expect "S-Tab from the message skips the campaign step" "What kind of send?"
tui_keys Tab
tui_expect "Tab from the kind skips it too" "One message to (nobody yet)"
tui_keys 2
tui_expect "the campaign step says why it is empty" "needs no campaign: Tab skips this step"
tui_keys 4
tui_expect "the timing step says there is none" "has no timing: it is sent now"
tui_keys 5
tui_expect "the slicing step says there is none" "has no slots and no slicing"
tui_keys 3

# ---- (2) the WhatsApp form
tui_keys Enter
tui_expect "the WhatsApp form opens" "Single WhatsApp message (seed 004)"
tui_expect "it is not ready while empty" "not ready: from"
edit "+34600000000"
tui_keys Enter j
edit "+34666000777"
tui_keys Enter j
edit "$(printf 'a%.0s' $(seq 4070))"
tui_expect "the text's count is live" "text 4070/4069" 20
tui_expect "one character over the limit is refused in place, the limit named" \
	"4070 characters long, at most 4069 allowed"
tui_keys BSpace
tui_expect "at the limit it is taken" "text 4069/4069"
tui_expect_not "and the reason is gone" "at most 4069 allowed"
tui_keys C-u
tui_keys -l "Hola"
tui_keys Enter
tui_expect "a text message is ready" "ready to send"
# caption (line 8) before any media: refused in place
tui_keys g j j j j j j j
edit "A caption"
tui_expect "a caption without media is refused in place" "a caption needs an image, a video or a document"
tui_keys Enter g j j j
edit "https://example.com/a b.png"
tui_expect "a URL with a space is refused in place" "a URL has no spaces or control characters"
tui_keys C-u
tui_keys -l "https://example.com/a.png"
tui_keys Enter
tui_expect "image + caption is ready" "ready to send"
tui_keys j j
edit "https://example.com/terms.pdf"
tui_keys Enter j
edit "terms.pdf"
tui_keys Enter
tui_expect "document + file name is ready" "ready to send"
tui_keys g j j j j j j j j j j
edit "-3.7038"
tui_expect "a lone longitude is refused, the latitude asked for" "a location needs latitude with longitude"
tui_keys Enter j
edit "200"
tui_expect "a latitude out of range is refused in place" "200 is outside -180..180"
tui_keys C-u
tui_keys -l "40.4168"
tui_keys Enter j
edit "Puerta del Sol"
tui_keys Enter j
edit "Madrid"
tui_keys Enter
tui_expect "location with name and address is ready" "ready to send"
tui_keys G
edit '{"name":"promo"'
tui_expect "a template that is no JSON object is refused" "template must be a JSON object"
tui_keys C-u
tui_keys -l '{"name":"promo","language":"es","parameters":["Ana"]}'
tui_keys Enter
tui_expect "template + its parameters is ready" "ready to send"
tui_keys Escape
tui_expect "the wizard sums the message up" "media: image, document with a caption; location: yes"
tui_expect "and finds it ready" " ready"

# everything but the text cleared (Del): one text message is sent
tui_keys Enter g j j j DC j j DC j DC j DC j j j DC j DC j DC j DC j DC
tui_expect "the text alone is ready" "ready to send"
tui_keys Escape
tui_expect "no media left" "media: none; location: none; template: none"
tui_keys Tab
tui_expect "Tab from the message goes straight to the review" "Review: Enter sends"
tui_expect "the review shows the request" "POST /v1/whatsapp/messages"
tui_expect_not "with no image" '"image"'
tui_keys BTab
tui_expect "S-Tab from the review comes back to the message" "One message to +34666000777"
tui_keys Tab Enter
tui_expect "the question is the WhatsApp one" "Send this WhatsApp message to +34666000777 now? y/N"
tui_keys y
tui_expect "the result shows the trackingId" "trackingId: wa-" 10
tui_expect "and createdAt" "createdAt:  2027-01-04T09:00:00"
shown=$(tui_screen | sed -n 's/.*trackingId: \(wa-[0-9]*\).*/\1/p')
wa_task=$(db "SELECT max(id) FROM tasks")
tui_check "the trackingId on screen is ccond's (wa-<task>)" test "$shown" = "wa-$wa_task"
tui_check "ccond holds the message for the recipient" \
	test "$(db "SELECT recipient FROM recipients WHERE task_id = $wa_task")" = "+34666000777"
tui_check "and only the one message" test "$(db "SELECT count(*) FROM recipients WHERE task_id = $wa_task")" = 1

# ---- (4) the envelope's slicing step: no dry run, ccond's planner over
# its slots. Capacity 2 a slot, and 09:00 already holds the WhatsApp
# message sent above: of three recipients one fits 09:00, two go to 09:15.
tui_api PUT "/v1/applications/$TUI_APP_ID/slots/config" \
	'{"channel":"whatsapp","slotLengthSeconds":900,"capacity":2}' >/dev/null
tui_keys Escape
tui_wait_for "Tx codes" 5
tui_command "send"
tui_wait_for "What kind of send?" 5
tui_keys j j j Enter
tui_wait_for "Audience: 0 recipients" 5
tui_keys Enter a
tui_keys -l "+34666000101"
tui_keys Enter a
tui_keys -l "+34666000102"
tui_keys Enter a
tui_keys -l "+34666000103"
tui_keys Enter Escape
tui_expect "the wizard counts the envelope's recipients" "Audience: 3 recipients of a new Batch campaign"
tui_keys 5
tui_expect "the envelope's slicing step says it has no dry run" "set /campaign/full has no dry run"
tui_expect "the plan places the three" "Plan of fragmentedSlots: 3 of 3 recipients placed; slots of 15 min, 2 each"
tui_expect "slicing activates" "Slicing activates"
tui_expect_re "one beside the WhatsApp message in the start slot" "09:00 .*others 1 +mine 1 +free 0"
tui_expect_re "two in the next" "09:15 .*others 0 +mine 2 +free 0"

tui_keys Q
tui_expect "ccon exits cleanly (a sanitizer build reports nothing)" "[exit 0]"
tui_done
