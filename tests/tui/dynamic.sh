#!/bin/bash
# Seed 002's dynamic audiences (Beta) against a real ccond (manual clock,
# an access log): the send wizard's last kind opens the pane's form, a
# /campaign/v2 campaign is created on screen, round 1 is typed (2
# audiences), round 2 read from a CSV with #contextvariables# (3 rows,
# previewed), the pane shows what ccond holds (compared with ccond's own
# get /audiences/{id}), dispatch after y, the plain "no audience can be
# added" message, a further round refused with no request reaching ccond
# (its access log), and n on the campaign in the campaign list opens the
# same pane.
. "$(dirname "$0")/lib.sh"

type_text() { tui_keys -l "$1"; }

# command URI - a seed 002 command's answer (get), with the key.
command() {
	curl -sS -X POST -H "Authorization: Key $TUI_KEY" -H 'Content-Type: application/json' \
		--data-binary "{\"id\":\"t\",\"method\":\"get\",\"uri\":\"$1\"}" "$TUI_URL/commands"
}

commands_logged() { grep -c "POST /commands " "$TUI_TMP/access.log"; }

# edit LABEL TEXT - Enter (or e) opened a prompt LABEL: type TEXT, Enter.
answer() {
	tui_wait_for "$1" 5 || tui_not_ok "prompt '$1' not shown"
	type_text "$2"
	tui_keys Enter
}

tui_ccond_start --clock manual --access-log "$TUI_TMP/access.log" || exit 99
tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
	--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID" --refresh 3600
tui_expect "the campaign list is up" "Campaigns"

# ---- the wizard's last kind: the form
tui_command "send"
tui_expect "the wizard asks the kind" "What kind of send?"
tui_keys G Enter
tui_expect "the dynamic pane's form" "New /campaign/v2 campaign"
tui_expect "an empty name is refused as typed" "campaign.name"
tui_keys Enter
answer "Name:" "Spring promo"
tui_keys j j Enter
answer "Template:" "welcome"
tui_keys j Enter
tui_wait_for "Parameters:" 5
type_text "na"
tui_keys BSpace BSpace
type_text "name,name"
tui_expect "a duplicate parameter is refused as typed" "message.messageParams[1]"
tui_keys BSpace BSpace BSpace BSpace BSpace Enter
tui_expect "the form is complete" "ready: Enter on the last line creates it"
tui_keys j Enter
tui_expect_re "the campaign is created" "campaign [0-9]+ created"
id=$(tui_screen | sed -n 's/.*campaign \([0-9]*\) created.*/\1/p' | head -1)
tui_check "ccond has it as a v2 draft" \
	test "$(command "/campaigns/$id/summaries" | grep -o '"status":"draft"')" = '"status":"draft"'
tui_expect "it is a draft" "Draft: a adds"
tui_expect "its parameters are listed" "parameters: name"

# ---- round 1: two typed audiences
tui_keys a
answer "Row 1 recipient:" "031 9"
tui_expect "a bad number is refused as typed" "Row 1 recipient"
tui_keys a
tui_wait_for "Row 2 recipient:" 5
tui_keys Escape
tui_keys k e
tui_wait_for "Row 1 recipient:" 5
tui_keys C-u
type_text "+5531999990001"
tui_keys Enter
tui_keys Tab e
answer "Row 1 name:" "Ana"
tui_keys a
answer "Row 2 recipient:" "+5531999990002"
tui_expect "the missing parameter is shown" "(missing)"
tui_keys W
tui_expect "a round with an invalid row is not sent" "row 2 messageParams.name"
tui_keys Tab e
answer "Row 2 name:" "Bia"
tui_expect "both rows valid" "2 audiences, 0 invalid"
tui_keys W
tui_expect "round 1 accepted by ccond" "round 1: the server accepted 2"
tui_expect "the server holds 2" "The server holds 2 audiences"

# ---- round 2: a CSV with #contextvariables#
csv="$TUI_TMP/round2.csv"
cat >"$csv" <<'EOF'
recipient,name,#contextvariables#
+5531999990003,Cy,"{""cpf"":""123""}"
+5531999990004,Di,"{\""cpf\"":\""456\"",\""vip\"":true}"
5531999990005,Ed,
EOF
tui_keys o
answer "CSV file:" "$csv"
tui_expect "the CSV preview shows what will be sent" "3 rows to send, 0 errors"
tui_expect "its context variables are read" "context: cpf=456 vip=true"
tui_keys W
tui_expect "round 2 accepted by ccond" "round 2: the server accepted 3"
total=$(command "/audiences/$id" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
tui_check "ccond holds 5" test "$total" = 5
tui_expect "the pane shows what ccond holds" "The server holds $total audiences"
tui_expect "the CSV's rows are on the server's list" "+5531999990005"

# ---- dispatch
tui_keys D
tui_expect "dispatch asks first" "No audience can be added afterwards. y/N"
tui_keys n
tui_expect "n does not dispatch" "not dispatched"
tui_keys D
tui_wait_for "y/N" 5
tui_keys y
tui_expect "dispatched, said plainly" "DISPATCHED (status scheduled): no audience can be added any more"
tui_check "ccond dispatched it" \
	test "$(command "/campaigns/$id/summaries" | grep -o '"status":"scheduled"')" = '"status":"scheduled"'

# ---- a further round: refused here, nothing reaches ccond
sleep 0.5
before=$(commands_logged)
tui_keys a
tui_expect "a further audience is refused" "was dispatched: no audience can be added"
tui_keys W o
sleep 1
tui_check "no request reached ccond" test "$(commands_logged)" = "$before"
total=$(command "/audiences/$id" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
tui_check "ccond still holds 5" test "$total" = 5

# ---- n on the campaign in the campaign list opens the same pane
tui_keys Escape
tui_wait_for "What kind of send?" 5
tui_keys Escape
tui_keys r
tui_expect "the campaign is listed" "Spring promo"
tui_keys n
tui_expect "n opens the dynamic pane" "Dynamic audiences (Beta)  campaign $id"
tui_expect "it says the campaign was dispatched" "no audience can be added any more"

tui_keys Q
tui_expect "ccon quits cleanly (no sanitizer report)" "[exit 0]"
tui_done
