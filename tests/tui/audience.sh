#!/bin/bash
# The audience editor (the contacts of a JSON send), reached as an operator
# reaches it: campaign list, n (the send wizard on the campaign), the kind
# "campaign from JSON contacts", the audience step, Enter. Against a real
# ccond whose campaign's message uses {{name}} and {{ticketId}}: rows added
# with their E.164 form shown; an invalid number marked as it is typed and
# fixed in place; the template variables listed with the rows that lack
# them; a paste of many numbers (typed through the terminal, Enter
# included, ended by Ctrl-D) with its duplicates and invalid items reported
# by position; duplicate and delete; custom field columns added (a bad name
# refused as typed), renamed and removed; 250 contacts split into 3
# requests; and nothing reaches ccond while editing.
. "$(dirname "$0")/lib.sh"

# tui_gone TEXT [SECONDS] - waits until TEXT is no longer on screen.
tui_gone() {
	local deadline=$((SECONDS + ${2:-5}))
	while [ $SECONDS -lt $deadline ]; do
		tui_screen | grep -qF -- "$1" || return 0
		sleep 0.1
	done
	! tui_screen | grep -qF -- "$1"
}

# type TEXT - typed literally (into the prompt or the paste).
type_text() { tui_keys -l "$1"; }

# open_audience - from the campaign list (cursor on the campaign): n opens
# the send wizard, Enter picks the first kind ("Campaign from JSON
# contacts") and moves to the audience step, Enter opens the editor.
open_audience() {
	tui_keys n
	tui_wait_for "What kind of send?" 5
	tui_keys Enter
	tui_wait_for "(Enter edits them)" 5
	tui_keys Enter
	tui_wait_for "Duplicate numbers" 5
}

tui_ccond_start --clock manual || exit 99
id=$(tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
	'{"name":"Ticket notice","channel":"whatsapp","templateName":"t","templateBody":"Hi {{name}}, ticket {{ticketId}}"}' |
	sed -n 's/^{"id":\([0-9]*\).*/\1/p')
[ -n "$id" ] || { echo "no campaign"; exit 99; }

tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
	--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID"
tui_expect "the campaign is listed" "Ticket notice"

open_audience
tui_expect "the editor opens on an empty audience" "no contacts yet: a adds one, p pastes many"
tui_expect "the campaign's variables are listed" "Template variables: 2"

# ---- rows added, E.164 shown
tui_keys a
tui_expect "a asks for the number" "Row 1 contactCode:"
tui_keys Enter
tui_expect "Enter with nothing typed adds no row" "nothing typed: no contact added"
tui_expect_re "still empty" "Rows 0 +Valid 0"
tui_keys a
type_text "0034 666-777-888"
tui_expect "E.164 form shown as it is typed" "+34666777888"
tui_keys Enter
tui_expect_re "one valid row" "Rows 1 +Valid 1 +Invalid 0"
tui_expect "one contact, one request" "1 contact → 1 request, with its own idempotency key"
tui_keys a
type_text "+34 1"
tui_expect_re "a second row while it is typed" "Rows 2 +Valid 1 +Invalid 1"
tui_keys Escape
tui_expect_re "Esc drops the row being added" "Rows 1 +Valid 1 +Invalid 0"
tui_keys e C-u
type_text "x"
tui_expect_re "an edit shows at once" "Rows 1 +Valid 0 +Invalid 1"
tui_keys Escape
tui_expect_re "Esc puts the number back" "Rows 1 +Valid 1 +Invalid 0"
tui_expect "as it was typed" "0034 666-777-888"

# ---- an invalid number marked as typed, kept, fixed in place
tui_keys a
type_text "0612"
tui_expect "the reason shows in place while typing" "has no country code"
tui_expect_re "and the row is counted invalid at once" "Rows 2 +Valid 1 +Invalid 1"
tui_keys Enter
tui_expect_re "kept as typed, marked" "^ ! +2 +0612 "
tui_expect "the detail line gives the path and the reason" "Row 2 contactCode:"
tui_keys e C-u
type_text "+44 (0)20 7946 0958"
tui_expect "fixed in place: E.164 with the trunk 0 dropped" "+442079460958"
tui_keys Enter
tui_expect_re "no invalid row left" "Rows 2 +Valid 2 +Invalid 0"
tui_expect_not "the mark is gone" " !    2 "

# ---- template variables: which rows lack them
tui_expect "both rows lack {{name}}" "{{name}}  2 rows lack it: 1, 2"
tui_expect "and {{ticketId}}" "{{ticketId}}  2 rows lack it: 1, 2"
tui_keys g Tab Tab
tui_expect "Tab moves to the {{name}} column" "Row 1 has no field name (a template variable): e sets it"
tui_keys e
tui_expect "e edits the custom field of the row" "Row 1 name:"
type_text "Ana"
tui_keys Enter
tui_expect "row 1 has name now" "{{name}}  1 row lacks it: 2"
tui_expect "ticketId still lacks both" "{{ticketId}}  2 rows lack it: 1, 2"

# ---- paste: many numbers, duplicates and invalid ones by position
tui_keys p
tui_expect "p starts the paste" "PASTE: type or paste numbers"
type_text $'+34 600 000 001\n+34600000002\n+34 600 000 001\n0034666777888\n+34 abc 1\n'
tui_expect "everything typed is collected, Enter included" "(69 bytes so far)"
tui_expect_re "no row added while pasting" "Rows 2 +Valid 2"
tui_keys C-d
tui_expect "the paste's counts" "Pasted 5 items: 3 added, 2 duplicates (not added), 1 invalid"
tui_expect "duplicates by position, line and the row they repeat" \
	"Duplicates: #3 (line 3) = row 3, #4 (line 4) = row 1"
tui_expect "invalid items by position, line and column" "Invalid: #5 (line 5, column 1) row 5:"
tui_expect_re "the audience has them" "Rows 5 +Valid 4 +Invalid 1 +Duplicate numbers 0"
tui_expect_re "the invalid pasted row is marked" "^ ! +5 +\+34 abc 1"
tui_keys d
tui_expect_re "d deletes the row under the cursor (the invalid one)" "Rows 4 +Valid 4 +Invalid 0"

# ---- duplicate a row
tui_keys g c
tui_expect_re "c duplicates the row" "Rows 5 +Valid 5 +Invalid 0 +Duplicate numbers 1"
tui_expect "the copy says which row it repeats" "+34666777888 = row 1"
tui_expect "and dispatch is refused until it is fixed" "dispatch needs every row valid"
tui_keys d
tui_expect_re "d deletes the copy" "Rows 4 +Valid 4 +Invalid 0 +Duplicate numbers 0"
tui_expect "the copy's custom field went with it" "{{name}}  3 rows lack it: 2, 3, 4"

# ---- custom field columns: add (bad name refused as typed), rename, remove
tui_keys +
type_text "first-name"
tui_expect "a bad field name is refused as it is typed" "the custom field name has '-' at character 6"
tui_keys BSpace BSpace BSpace BSpace BSpace
type_text "_name"
tui_keys Enter
tui_expect "the column is added" "field first_name added"
tui_keys e
type_text "Eva"
tui_keys Enter
tui_expect_re "the value is in the row" "first_name"
tui_keys R C-u
type_text "given"
tui_expect "the rename shows in the column as typed" "given"
tui_keys Enter
tui_expect_not "the old name is gone" "first_name"
tui_keys -
tui_expect "- asks first" "Remove the field given from every row (1)? y/N"
tui_keys y
tui_expect "the field is removed" "field removed from 1 row"

# ---- 250 contacts: 3 requests
tui_keys p
type_text "$(seq -f '+3461%07g' 1 246 | tr '\n' ',')"
tui_keys C-d
tui_expect "250 contacts split into 3 requests" \
	"250 contacts → 3 requests of ≤100 (84, 83, 83), each with its own idempotency key"

# ---- nothing was sent while editing
list=$(tui_api GET "/v1/applications/$TUI_APP_ID/campaigns")
tui_check "ccond got no send (the campaign was not scheduled)" \
	sh -c 'printf "%s" "$1" | grep -q "Ticket notice" && ! printf "%s" "$1" | grep -q "\"scheduled\""' _ "$list"
tui_keys Escape
tui_check "Esc leaves the editor" tui_gone "Duplicate numbers"
tui_expect "back in the wizard, which keeps the audience" "Audience: 250 contacts (Enter edits them)"
tui_keys Enter
tui_expect_re "Enter opens the editor again on the same rows" "Rows 250 +Valid 250"

tui_keys Q
tui_expect "ccon exits" "[exit 0]"
tui_done
