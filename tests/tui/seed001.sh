#!/bin/bash
# Seed 001 end to end from the screen, against a real ccond (--clock
# manual): for each of the seed's four layout examples, its CSV exactly as
# the seed shows it (plus a few rows and one broken row) is opened in ccon,
# the example's layout is built with the mapping editor's keys (never
# :load-layout), u hands the file and layout to the send wizard, a campaign
# whose template has the example's variables (made through ccond's REST API)
# is chosen, the send goes out now with y, and ccond's audience is then
# read back: every recipient's contactCode, channelType and customFields
# equal what the example describes. The expected audience is computed here
# from the CSV and the seed's layout (each {{column}} replaced by the row's
# value, fixed values as they are, a contactCode in international form
# normalised to E.164 with a '+'), less the broken row, which the preview
# lists with its line and ccond rejects.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "jq is required (apt-get install jq)"; exit 99; }

tui_ccond_start --clock manual --access-log "$TUI_TMP/access.log" || exit 99
tui_api POST /v1/admin/clock '{"set":"2027-01-04T09:00:00Z"}' >/dev/null

# campaign NAME TEMPLATE [VAR...] - a WhatsApp campaign whose template has
# the variables VAR...; its id.
campaign() {
	local name=$1 tpl=$2 params
	shift 2
	params=$(printf '%s\n' "$@" | jq -R . | jq -sc 'map(select(. != ""))')
	tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
		"{\"name\":\"$name\",\"channel\":\"whatsapp\",\"templateName\":\"$tpl\",\"templateParams\":$params}" |
		jq -r '.id // empty'
}

# on_screen_re REGEX - REGEX matches the screen now or within 3 s.
on_screen_re() {
	local deadline=$((SECONDS + 3))
	until tui_screen | grep -qE -- "$1"; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.1
	done
}

# console - ccon on its campaign list against the ccond.
console() {
	tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
		--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID"
	tui_wait_for "Campaigns" 5
}

# csv FILE - ccon on FILE against the ccond.
csv() {
	tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
		--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID" "$1"
}

# type_in TEXT - literal text into the open prompt, then Enter.
type_in() {
	tui_keys -l "$1"
	tui_keys Enter
}

# field NAME COLUMN - a custom field added and mapped to a column (a field
# of that name there already: + goes to it, m maps it).
field() {
	tui_keys +
	type_in "$1"
	tui_keys m C-u
	type_in "$2"
}

# fixed_field NAME VALUE - a custom field added with a fixed value.
fixed_field() {
	tui_keys +
	type_in "$1"
	tui_keys f
	type_in "$2"
}

# audience ID - ccond's audience of campaign ID as
# [{contactCode,channelType,customFields}] sorted by contactCode.
audience() {
	curl -sS -H "Authorization: Key $TUI_KEY" -H 'Content-Type: application/json' \
		--data "{\"id\":\"a$1\",\"to\":\"postmaster@msging.net\",\"method\":\"get\",\"uri\":\"/audiences/$1?\$take=100\"}" \
		"$TUI_URL/commands" |
		jq -S '[.resource.items[] | {contactCode: .recipient, channelType,
			customFields: (.messageParams // {})}] | sort_by(.contactCode)'
}

# expected CSV LAYOUT BADLINE - the audience the seed's layout describes for
# the CSV's rows (BADLINE, the broken row's line, left out): each
# "{{column}}" is the row's value of that column, any other text is taken
# as it is, and a contactCode given as digits with the country code is
# E.164 with a '+'.
expected() {
	jq -S -R -s --argjson layout "$(cat "$2")" --argjson bad "$3" '
		def fill($row): gsub("\\{\\{(?<c>[^}]*)\\}\\}"; $row[.c] // "");
		def e164: if test("^[0-9]+$") then "+" + . else . end;
		(split("\n") | map(sub("\r$"; ""))) as $lines
		| ($lines[0] | split(",")) as $head
		| [range(1; $lines | length) as $i
			| select($lines[$i] != "" and $i + 1 != $bad)
			| ($lines[$i] | split(",")) as $f
			| ([range(0; $head | length) | {key: $head[.], value: $f[.]}] | from_entries) as $row
			| {contactCode: ($layout.contact.contactCode | fill($row) | e164),
			   channelType: ($layout.contact.channelType | fill($row)),
			   customFields: (($layout.customFields // {}) | map_values(fill($row)))}]
		| sort_by(.contactCode)' "$1"
}

# same_audience CAMPAIGN CSV LAYOUT BADLINE - ccond holds what the example
# describes.
same_audience() {
	local got want
	got=$(audience "$1")
	want=$(expected "$2" "$3" "$4")
	[ -n "$want" ] && [ "$got" = "$want" ] || {
		echo "    | ccond:    $(printf '%s' "$got" | jq -c . 2>&1)"
		echo "    | expected: $(printf '%s' "$want" | jq -c . 2>&1)"
		return 1
	}
}

# on_screen TEXT - TEXT is on screen now or within 3 s.
on_screen() { tui_wait_for "$1" 3; }

# choose NAME FILE - from the preview: u, the campaign NAME (the newest, so
# the first of the wizard's list).
choose() {
	tui_keys u
	tui_expect "$1: u opens the wizard on its campaigns" "Which campaign?" 5
	tui_expect "$1: the campaign is listed first" "$1" 5
	tui_keys g Enter
	tui_expect "$1: the campaign is chosen" "Send wizard: Campaign from CSV, campaign $1" 5
	tui_expect "$1: the file is the audience" "file:   $2" 5
}

# dispatch NAME ID FILE LAYOUT BADLINE BADCOLUMN - from the wizard: the
# review, Enter, y; the report opens; Esc back to the wizard's result, which
# counts the rows ccond took and names the one it rejected.
dispatch() {
	local name=$1 id=$2 file=$3 bad=$5 col=$6 good
	good=$(expected "$file" "$4" "$bad" | jq length)
	tui_keys 6
	tui_expect "$name: the review" "Review: Enter sends" 5
	tui_expect "$name: to that campaign" "Campaign from CSV to campaign $id ($name)" 5
	tui_expect "$name: the request is the seed's multipart form" \
		"POST /v1/applications/$TUI_APP_ID/campaigns/$id/send/csv" 5
	tui_expect "$name: its parts are shown" "Content-Disposition: form-data" 5
	tui_expect_not "$name: its CRLF line ends show as line ends, not ^M" "^M"
	tui_keys Enter
	tui_expect "$name: it asks first" "Send the file to campaign '$name'? y/N" 5
	tui_keys y
	tui_expect "$name: the dispatch opens the report" "Report: $name" 10
	tui_keys Escape
	tui_expect "$name: the result counts the rows ccond took and the one it rejected" \
		"$good accepted, 1 rejected" 5
	tui_expect "$name: the result names the rejected row's line and column" \
		"line $bad, column $col: " 5
}

quit() {
	tui_keys Escape Escape Escape Escape Q
	tui_expect "$1: Q quits" "[exit 0]"
}

# ---------------------------------------------------------------- example 1
# contactCode and channelType from the header's names (guessed), the three
# custom fields added and mapped with keys; line 6's phone is broken.
cat >"$TUI_TMP/ex1.csv" <<'EOF'
contactCode,channelType,nombre,ticket_id,edad
34666777888,cloud_api,John,5123,30
34666555666,cloud_api,Jane,5528,25
34666111222,cloud_api,Alice,4125,28
34666000104,cloud_api,Bob,6001,41
34x66000105,cloud_api,Eve,6002,33
34666000106,cloud_api,Carol,6003,52
EOF
cat >"$TUI_TMP/ex1.layout.json" <<'EOF'
{
  "contact": {
    "contactCode": "{{contactCode}}",
    "channelType": "{{channelType}}"
  },
  "customFields": { 
      "name": "{{nombre}}",
      "ticketId": "{{ticket_id}}",
      "age": "{{edad}}"
  }
}
EOF
c1=$(campaign "Seed one" seed_one name ticketId age)
[ -n "$c1" ] || { echo "no campaign"; exit 99; }
csv "$TUI_TMP/ex1.csv"
tui_expect "example 1 opens" "34666777888" 5
field name edad
field ticketId ticket_id
field age edad
tui_expect "example 1: a custom field mapped" "column edad" 5
tui_keys +
type_in name
tui_expect "example 1: + on a field there already goes to it" \
	"customFields.name is there already: the cursor is on it" 5
tui_expect_re "example 1: the cursor is on it" ">name +column edad" 5
tui_keys m C-u
type_in nombre
tui_expect_re "example 1: and m maps it again" ">name +column nombre" 5
tui_expect "example 1: the resolved custom field of the row" "= John" 5
tui_expect "example 1: the broken row is listed with its line" "line 6 col 1" 10
tui_expect "example 1: the other rows are valid" "valid 5  invalid 1" 5
choose "Seed one" "$TUI_TMP/ex1.csv"
dispatch "Seed one" "$c1" "$TUI_TMP/ex1.csv" "$TUI_TMP/ex1.layout.json" 6 1
tui_check "example 1: ccond's audience is what the example describes" \
	same_audience "$c1" "$TUI_TMP/ex1.csv" "$TUI_TMP/ex1.layout.json" 6
quit "example 1"

# ---------------------------------------------------------------- example 2
# One column: contactCode guessed from the header, channelType fixed to
# cloud_api with keys, no custom fields (the campaign has no variables);
# line 4's number is too short.
cat >"$TUI_TMP/ex2.csv" <<'EOF'
contactCode
34666777888
34666555666
3466
34666111222
34666000204
EOF
cat >"$TUI_TMP/ex2.layout.json" <<'EOF'
{
  "contact": {
    "contactCode": "{{contactCode}}",
    "channelType": "cloud_api"
  }
}
EOF
c2=$(campaign "Seed two" seed_two)
console
tui_command "open $TUI_TMP/ex2.csv"
tui_expect "example 2 opens with :open" "34666777888" 5
tui_keys Tab j f C-u
type_in "cloud_api"
tui_expect "example 2: channelType is fixed" 'fixed "cloud_api"' 5
tui_expect "example 2: the broken row is listed with its line" "line 4 col 1" 10
tui_expect "example 2: the other rows are valid" "valid 4  invalid 1" 5
choose "Seed two" "$TUI_TMP/ex2.csv"
dispatch "Seed two" "$c2" "$TUI_TMP/ex2.csv" "$TUI_TMP/ex2.layout.json" 4 1
tui_check "example 2: ccond's audience is what the example describes" \
	same_audience "$c2" "$TUI_TMP/ex2.csv" "$TUI_TMP/ex2.layout.json" 4
quit "example 2"

# ---------------------------------------------------------------- example 3
# Other names: nothing is guessed, every value is mapped by hand; line 3's
# channel is not a channel. This one starts in the wizard: the campaign
# from the list, n, the CSV kind, its audience step opens the preview; a
# layout without the campaign's variable "age" is refused in the review.
cat >"$TUI_TMP/ex3.csv" <<'EOF'
phoneNumber,channel,nombre_cliente,edad_cliente
34666777888,cloud_api,John,30
34666000302,sms,Mallory,44
34666555666,cloud_api,Jane,25
34666111222,cloud_api,Alice,28
34666000305,cloud_api,Dave,61
EOF
cat >"$TUI_TMP/ex3.layout.json" <<'EOF'
{
  "contact": {
    "contactCode": "{{phoneNumber}}",
    "channelType": "{{channel}}"
  },
  "customFields": { 
      "name": "{{nombre_cliente}}",
      "age": "{{edad_cliente}}"
  }
}
EOF
c3=$(campaign "Seed three" seed_three name age)
console
tui_keys /
tui_keys -l "Seed three"
tui_keys Enter
tui_expect "example 3: the campaign in the list" "Campaigns  1/1 of" 5
tui_keys n
tui_expect "example 3: n opens the wizard" "What kind of send?" 5
tui_keys j Enter
tui_expect "example 3: the CSV kind's audience step" "Audience: a CSV file and its layout" 5
tui_keys Enter
tui_check "example 3: it asks for the file at once" on_screen "CSV file:"
tui_keys -l "$TUI_TMP/ex3.csv"
tui_expect "example 3: the file's path is typed in the prompt" "CSV file: $TUI_TMP/ex3.csv" 5
tui_keys Enter
tui_expect "example 3 opens" "34666777888" 5
tui_expect "example 3: contactCode is not guessed" "(not set)" 5
tui_check "example 3: the campaign's variables are fields of the mapping" \
	on_screen_re "name +\(not set\)"
tui_keys m C-u
type_in "phoneNumber"
tui_keys Tab j m C-u
type_in "channel"
field name nombre_cliente
# the campaign's unset variable age is removed, so that the layout lacks it
tui_check "example 3: the variable age is a field, unset" on_screen_re "age +\(not set\)"
tui_keys j -
tui_keys u
tui_expect "example 3: u gives the file back to the wizard" "file:   $TUI_TMP/ex3.csv" 5
tui_keys 6
tui_expect "example 3: the review refuses a layout without the variable age" \
	"not ready: layout.customFields: missing variables: age" 5
tui_keys 3 Enter
tui_expect "example 3: Enter in the audience step opens the file again" "34666777888" 5
tui_check "example 3: the preview shows the layout the wizard holds" \
	on_screen "column nombre_cliente"
tui_keys m C-u
type_in "phoneNumber"
tui_keys Tab g j m C-u
type_in "channel"
field name nombre_cliente
field age edad_cliente
tui_expect "example 3: the resolved contact of the row" "+34666777888" 5
tui_expect "example 3: the broken row is listed with its line" "line 3 col 2" 10
tui_expect "example 3: the other rows are valid" "valid 4  invalid 1" 5
tui_keys u
tui_expect "example 3: the wizard has the file" "file:   $TUI_TMP/ex3.csv" 5
tui_expect "example 3: and its layout" 'layout: {"contact":{"contactCode":"{{phoneNumber}}"' 5
dispatch "Seed three" "$c3" "$TUI_TMP/ex3.csv" "$TUI_TMP/ex3.layout.json" 3 2
tui_check "example 3: ccond's audience is what the example describes" \
	same_audience "$c3" "$TUI_TMP/ex3.csv" "$TUI_TMP/ex3.layout.json" 3
quit "example 3"

# ---------------------------------------------------------------- example 4
# Fixed custom values, no columns for them; line 5 lacks its channel.
cat >"$TUI_TMP/ex4.csv" <<'EOF'
contactCode,channelType
34666777888,cloud_api
34666555666,cloud_api
34666111222,cloud_api
34666000405
34666000406,cloud_api
EOF
cat >"$TUI_TMP/ex4.layout.json" <<'EOF'
{
  "contact": {
    "contactCode": "{{contactCode}}",
    "channelType": "{{channelType}}"
  },
  "customFields": { 
      "name": "Dear client",
      "discount": "10%"
  }
}
EOF
c4=$(campaign "Seed four" seed_four name discount)
csv "$TUI_TMP/ex4.csv"
tui_expect "example 4 opens" "34666777888" 5
fixed_field name "Dear client"
fixed_field discount "10%"
tui_expect "example 4: the fixed value is the row's" "= Dear client" 5
tui_expect "example 4: the broken row is listed with its line" "line 5 col 2" 10
tui_expect "example 4: the other rows are valid" "valid 4  invalid 1" 5
choose "Seed four" "$TUI_TMP/ex4.csv"
dispatch "Seed four" "$c4" "$TUI_TMP/ex4.csv" "$TUI_TMP/ex4.layout.json" 5 2
tui_check "example 4: ccond's audience is what the example describes" \
	same_audience "$c4" "$TUI_TMP/ex4.csv" "$TUI_TMP/ex4.layout.json" 5
quit "example 4"

tui_done
