#!/bin/bash
# The command-envelope campaign (seed 002, set /campaign/full) composed in
# the send wizard's envelope editor against a real ccond (--clock manual):
# :send, the kind "Command-envelope campaign", its audience step; the
# campaign part (name, template, language, parameter names, source,
# tags) checked as typed; three audiences (one typed, two pasted) with
# their messageParams and contextVariables (plain and JSON) in the table;
# a parameter value over 250 code points refused in place naming its path;
# an Individual campaign refused a second audience (a, p) and a Batch of
# three refused the switch to Individual; then the review (6) and the
# dispatch (Enter, y); ccond's store then holds exactly the three
# recipients (get /audiences/{id}) with their messageParams and, in
# ccond.db (the audience read does not show them), their contextVariables.
. "$(dirname "$0")/lib.sh"

# type_text TEXT - typed literally (into the prompt or the paste).
type_text() { tui_keys -l "$1"; }

# set_cell TEXT - e on the cursor's cell, the old text cleared, TEXT, Enter.
set_cell() {
	tui_keys e C-u
	type_text "$1"
	tui_keys Enter
}

# cmd URI - a command envelope (get) to ccond; its answer.
cmd() {
	curl -sS -H "Authorization: Key $TUI_KEY" -H 'Content-Type: application/json' \
		--data "{\"id\":\"t\",\"to\":\"postmaster@msging.net\",\"method\":\"get\",\"uri\":\"$1\"}" \
		"$TUI_URL/commands"
}

command -v jq >/dev/null || { echo "jq is required (apt-get install jq)"; exit 99; }
tui_ccond_start --clock manual || exit 99
tui_api POST /v1/admin/clock '{"set":"2027-01-04T09:00:00Z"}' >/dev/null

tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
	--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID"
tui_expect "the console is up" "connected"

# ---- the wizard, the envelope kind, its editor
tui_command send
tui_expect "the wizard asks the kind" "What kind of send?"
tui_keys j j j Enter
tui_expect "the envelope kind's audience step" "Send wizard: Command-envelope campaign"
tui_keys Enter
tui_expect "Enter opens the envelope editor" \
	"Envelope campaign  set /campaign/full  Batch, WhatsApp"
tui_expect "a new campaign is not ready: the codec names the field" \
	"Not ready: campaign.name: required field is missing"

# ---- part 1: the campaign
tui_keys e
type_text "Spring promo"
tui_expect "the prompt names the field" "campaign.name: Spring promo"
tui_keys Enter
tui_expect "the next fault is the WhatsApp template" \
	"Not ready: message.messageTemplate: a WhatsApp message needs a non-empty messageTemplate"
tui_keys j j Enter
tui_expect "Enter switches the channel" "channelType GoogleRcs"
tui_expect "a GoogleRcs message needs its content, not a template" \
	"Not ready: message.messageContent: a GoogleRcs message needs a non-empty messageContent"
tui_keys Enter
tui_expect "and back to WhatsApp" "channelType WhatsApp"
tui_keys j
set_cell "promo_tpl"
tui_keys j j
set_cell "es"
tui_keys j
set_cell "1, 1"
tui_expect "a parameter named twice is refused by the codec as typed" \
	'Not ready: message.messageParams[1]: parameter "1" is listed twice'
set_cell "1, name"
tui_expect_re "the message's parameters" "messageParams 1, name"
tui_keys j j j j
set_cell "ccon"
tui_keys j
set_cell "spring, test"
tui_expect_re "the campaign part holds them" "sourceApplication ccon"
tui_expect_re "and the tags" "tags spring, test"
tui_expect "with no audience yet the codec says so" \
	"Not ready: audiences: at least one audience is needed"

# ---- part 2: audiences; Tab moves there
tui_keys Tab
tui_expect "Tab moves to the audiences" "> Audiences  Batch: 0"
tui_expect "one column per message parameter" \
	"recipient        E.164            1              name"
tui_keys a
type_text "+34 666 000 101"
tui_expect "the recipient's E.164 form shows as typed" "+34666000101"
tui_keys Enter
tui_expect "a missing parameter is named with its path" \
	"audiences[0].messageParams.1: the message template takes parameter \"1\""
tui_keys l
set_cell "Hola"
tui_keys l
set_cell "Ana"
tui_keys l e
type_text "cpf=123; =x"
tui_expect "context pairs are checked as typed, with the character" \
	"audiences[0].contextVariables, character 10: a context variable needs a name before '='"
tui_keys C-u
type_text "cpf=123456789001; plan = gold"
tui_keys Enter
tui_expect "the context variables are in the row" "cpf=123456789001; plan=gold"
tui_expect "one valid audience: ready" "Ready: set /campaign/full, Batch, 1 audience"

# ---- Individual: exactly one audience
tui_keys Tab g j Enter
tui_expect "campaignType switched" "campaignType Individual"
tui_expect "the table says so" "Audience  Individual: exactly one audience (1)"
tui_expect "an Individual campaign is ready with its one audience" \
	"Ready: set /campaign/full, Individual, 1 audience"
tui_keys Tab a
tui_expect "a second audience is refused" \
	"an Individual campaign takes exactly one audience: switch campaignType to Batch for more"
tui_keys p
tui_expect "and so is a paste" "paste is for Batch campaigns"
tui_expect_re "still one audience" "Individual: exactly one audience \(1\) +Valid 1"
tui_keys Tab Enter
tui_expect "back to Batch" "campaignType Batch"

# ---- two more pasted, their cells filled
tui_keys Tab p
type_text $'+34 666 000 102\n+34666000103\n+34 666 000 101\n'
tui_keys C-d
tui_expect "the paste adds two, the repeated number is not added" \
	"Pasted 3 items: 2 added, 1 duplicate (not added), 0 invalid"
tui_expect_re "three audiences, two lacking parameters" "Batch: 3 +Valid 1 +Invalid 2"
tui_keys l
set_cell "Buenas"
tui_keys l
set_cell "Bea"
tui_keys l
set_cell 'cpf=456; vip={"level":2,"note":"a;b"}'
tui_expect "a JSON context value is kept whole" 'cpf=456; vip={"level":2,"note":"a;b"}'
tui_keys j h h e C-u
long=$(printf 'é%.0s' $(seq 251))
type_text "$long"
tui_expect "a value over 250 code points is refused in place, naming the path" \
	"audiences[2].messageParams.1: a message parameter holds at most 250 characters, this one has 251"
tui_keys Enter
tui_expect "Enter keeps the prompt open on it" "audiences[2].messageParams.1: éééé"
tui_expect_re "and the row is marked" "^ ! +3 \+34666000103"
tui_keys BSpace Enter
tui_expect_re "250 of them are taken (the row still lacks its name)" \
	"^ ! +3 \+34666000103 +\+34666000103 +é{13}… +\(missing\)"
tui_expect_not "the prompt is closed" "audiences[2].messageParams.1: éééé"
tui_keys l
set_cell "Cy"
tui_keys l
set_cell "cpf=789"
tui_expect "three valid audiences: ready" "Ready: set /campaign/full, Batch, 3 audiences"
tui_expect_re "none invalid" "Batch: 3 +Valid 3 +Invalid 0"

# ---- duplicate and delete a row; add and remove a parameter column
tui_keys c
tui_expect "c duplicates the row" "row 3 duplicated as row 4"
tui_expect "the copy is marked a duplicate, sent once" "Duplicate numbers 1 (sent once)"
tui_expect_re "and says which row it repeats" "^ = +4 \+34666000103 += row 3"
tui_keys d
tui_expect "d deletes it" "row 4 deleted"
tui_expect_re "three again" "Batch: 3 +Valid 3 +Invalid 0   \(a adds"
tui_keys +
type_text "1"
tui_expect "a parameter name already listed is refused as typed" \
	'message.messageParams[2]: parameter "1" is listed twice'
tui_keys BSpace
type_text "code"
tui_keys Enter
tui_expect "the new parameter is a column every audience lacks" \
	"Not ready: audiences[0].messageParams.code: the message template takes parameter \"code\""
tui_keys h -
tui_expect "- asks before removing it" \
	"Remove the message parameter code and its values from every audience? y/N"
tui_keys y
tui_expect "it is gone" "Ready: set /campaign/full, Batch, 3 audiences"

# ---- a Batch of three cannot become Individual
tui_keys Tab g j Enter
tui_expect "the switch to Individual is refused" \
	"an Individual campaign takes exactly one audience; this one has 3: delete 2 first"
tui_expect "it stays Batch" "campaignType Batch"

# ---- nothing sent while editing; review and dispatch
tui_check "ccond has no campaign yet" \
	test "$(cmd /campaigns/summaries | jq -r '.resource.total // (.resource.items | length)')" = 0
tui_keys Escape
tui_expect "back in the wizard" "Send wizard: Command-envelope campaign"
tui_keys 6
tui_expect "the review shows the command" "/campaign/full"
tui_keys Enter
tui_expect "an explicit confirmation" "Create the campaign 'Spring promo"
tui_keys y
sleep 1

# ---- ccond's store: exactly the three recipients with their params and variables
id=""
for _ in $(seq 50); do
	id=$(cmd /campaigns/summaries | jq -r '.resource.items[]? | select(.name == "Spring promo") | .id')
	[ -n "$id" ] && break
	sleep 0.1
done
tui_check "ccond holds the campaign" test -n "$id"
aud=$(cmd "/audiences/$id")
tui_check "its audience holds exactly three recipients" \
	test "$(printf '%s' "$aud" | jq '[.resource.items[].recipient] | unique | length')" = 3
tui_check "the three numbers, in E.164" \
	test "$(printf '%s' "$aud" | jq -r '[.resource.items[].recipient] | unique | join(",")')" = \
	"+34666000101,+34666000102,+34666000103"
printf '%s\n' "$aud" >"$TUI_TMP/audience.json"
# row RECIPIENT - its item of the audience read
row() {
	jq -c --arg r "$1" '[.resource.items[] | select(.recipient == $r)][0]' "$TUI_TMP/audience.json"
}
# ctx RECIPIENT JQ - a jq filter over its stored context variables (ccond.db)
ctx() {
	sqlite3 "file:$TUI_TMP/ccond/ccond.db?mode=ro" \
		"SELECT context FROM recipients WHERE campaign_id = $id AND recipient = '$1'" | jq -r "$2"
}
tui_check "ccond stored exactly three recipients" \
	test "$(sqlite3 "file:$TUI_TMP/ccond/ccond.db?mode=ro" \
		"SELECT COUNT(*) FROM recipients WHERE campaign_id = $id")" = 3
tui_check "row 1's messageParams" \
	test "$(row +34666000101 | jq -r '.messageParams["1"] + "|" + .messageParams.name')" = "Hola|Ana"
tui_check "row 1's contextVariables" \
	test "$(ctx +34666000101 '.cpf + "|" + .plan + "|" + (keys | length | tostring)')" = \
	"123456789001|gold|2"
tui_check "row 2's messageParams" \
	test "$(row +34666000102 | jq -r '.messageParams["1"] + "|" + .messageParams.name')" = "Buenas|Bea"
tui_check "row 2's JSON context variable, stored as JSON" \
	test "$(ctx +34666000102 '"\(.cpf)|\(.vip.level)|\(.vip.note)"')" = "456|2|a;b"
tui_check "row 3's 250-character parameter, whole" \
	test "$(row +34666000103 | jq -r '.messageParams["1"] | length')" = 250
tui_check "row 3's name and context variable" \
	test "$(row +34666000103 | jq -r .messageParams.name)|$(ctx +34666000103 .cpf)" = "Cy|789"

tui_keys Q
tui_expect "ccon exits" "[exit 0]"
tui_done
