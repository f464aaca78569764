#!/bin/bash
# The CSV import preview against a real ccond (--clock manual): a large
# file's first rows on screen at once while it is still indexed and
# validated (Esc cancels the validation); a CSV with broken rows lists its
# errors with the right lines and columns, and Enter on an error lands on
# its row; each seed 001 example's layout built on screen with keys and
# saved with :save-layout equals the example's layout (jq, order aside);
# :load-layout shows a layout back; the delimiter override; a file that is
# not UTF-8 is reported, never drawn raw; ~/ in :open and :save-layout.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "jq is required (apt-get install jq)"; exit 99; }

DATA=$(cd "$(dirname "$0")/../data" && pwd)

tui_ccond_start --clock manual || exit 99

# csv FILE - ccon on FILE against the ccond.
csv() {
	tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
		--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID" "$1"
}

# type TEXT - literal text into the open prompt, then Enter.
type_in() {
	tui_keys -l "$1"
	tui_keys Enter
}

# same_json A B - A and B are the same JSON (key order aside).
same_json() {
	[ "$(jq -S . "$1")" = "$(jq -S . "$2")" ] || {
		echo "    | $1: $(jq -c . "$1" 2>&1)"
		echo "    | $2: $(jq -c . "$2" 2>&1)"
		return 1
	}
}

quit() {
	tui_keys Q
	tui_expect "$1: Q quits" "[exit 0]"
}

# ---------------------------------------------------------------- a large file
# big ROWS - writes ROWS rows to $big.
big="$TUI_TMP/big.csv"
big() {
	awk -v n="$1" 'BEGIN { print "contactCode,channelType,nombre"; for (i = 0; i < n; i++)
		printf "34%09d,cloud_api,name%d\n", 600000000 + i, i }' >"$big"
}
commas() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

# The validation must last long enough to be seen and cancelled: a build
# that validates 400,000 rows in under 3 s (an optimised one) gets a file
# as many times larger, up to 20 times.
rows=400000
big $rows
csv "$big"
tui_wait_for "Validated 400,000 rows in" 120
took=$(tui_screen | sed -n 's/.*Validated 400,000 rows in \([0-9.]*\) s.*/\1/p' | head -1)
tui_keys Q
tui_wait_for "[exit 0]" 10
rows=$(awk -v t="${took:-3}" 'BEGIN { f = 3 / (t > 0.15 ? t : 0.15); if (f < 1) f = 1;
	printf "%d", 400000 * int(f + 0.5) }')
[ "$rows" -gt 400000 ] && big "$rows"
echo "# the large file: $rows rows (400,000 validated in ${took:-?} s)"
last=$(printf '34%09d' $((600000000 + rows - 1)))

csv "$big"
tui_expect "the first rows are on screen at once" "34600000000" 2
tui_expect "the third row too" "name2" 2
tui_expect "the resolved contact of the first row" "+34600000000" 2
tui_expect "validation runs with a progress bar" "Validating [" 5
tui_keys Escape
tui_expect "Esc cancels the validation" "Validation cancelled at" 5
tui_expect_not "the pane stays open" "Campaigns  " 
tui_keys v
tui_expect "v validates again, to the end" "Validated $(commas "$rows") rows" 120
tui_expect "every row is valid" "valid $(commas "$rows")  invalid 0  duplicates 0"
tui_keys G
tui_expect "G goes to the last row" "$last" 5
tui_expect "its line" "$((rows + 1)) $last" 5
quit "large file"
rm -f "$big"

# ---------------------------------------------------------------- broken rows
csv "$DATA/csv_preview_broken.csv"
tui_expect "a broken file is validated" "valid 2  invalid 4  duplicates 1" 10
tui_expect "the bad phone: line 3, column 1" "line 3 col 1" 5
tui_expect "the bad channel: line 4, column 2" "line 4 col 2"
tui_expect "the short row: line 5" "line 5 col 3"
tui_keys Tab Tab
tui_expect "Tab moves to the error list" "> Errors:" 5
tui_keys j j Enter
tui_expect "Enter on the line 5 error lands on line 5" "Contact of line 5" 5
tui_expect "the row's error is beside it" "the row has 2 fields but the header has 3" 5
tui_keys Tab Tab k Enter
tui_expect "Enter on the line 4 error lands on line 4" "Contact of line 4" 5
tui_expect "and its channel error shows" "sms" 5
quit "broken rows"

# ---------------------------------------------------------------- seed 001 layouts
# Example 1: contactCode and channelType come from the header's names; the
# custom fields are added and mapped with keys.
csv "$DATA/csv_seed_example1.csv"
tui_expect "example 1 opens" "34666777888" 5
for pair in name:nombre ticketId:ticket_id age:edad; do
	tui_keys +
	type_in "${pair%%:*}"
	tui_keys m
	type_in "${pair#*:}"
done
tui_command "save-layout $TUI_TMP/l1.json"
tui_expect "example 1: saved" "layout saved to" 5
tui_check "example 1: the layout equals the seed's" same_json "$TUI_TMP/l1.json" "$DATA/layout_seed_example1.json"
quit "example 1"

# Example 2: the channel fixed to cloud_api, typed over the guess.
csv "$DATA/csv_seed_example2.csv"
tui_expect "example 2 opens" "34666777888" 5
tui_keys Tab j f C-u
type_in "sms"
tui_expect "a channel that does not exist is refused" "sms" 5
tui_keys f C-u
tui_keys -l "whatsap"
tui_expect "the reason shows while typing" "channelType fixed value [" 5
tui_keys -l "p"
tui_keys C-u
type_in "cloud_api"
tui_command "save-layout $TUI_TMP/l2.json"
tui_expect "example 2: saved" "layout saved to" 5
tui_check "example 2: the layout equals the seed's" same_json "$TUI_TMP/l2.json" "$DATA/layout_seed_example2.json"
quit "example 2"

# Example 3: other names, every value mapped by hand.
csv "$DATA/csv_seed_example3.csv"
tui_expect "example 3 opens" "34666777888" 5
tui_expect "contactCode is not guessed" "(not set)" 5
tui_keys m
tui_keys -l "phoneNumbe"
tui_expect "a column that does not exist is explained while typing" "no such column" 5
type_in "r"
tui_keys Tab j m C-u
type_in "channel"
for pair in name:nombre_cliente age:edad_cliente; do
	tui_keys +
	type_in "${pair%%:*}"
	tui_keys m
	type_in "${pair#*:}"
done
tui_expect "the resolved contact of the row" "+34666777888" 5
tui_command "save-layout $TUI_TMP/l3.json"
tui_expect "example 3: saved" "layout saved to" 5
tui_check "example 3: the layout equals the seed's" same_json "$TUI_TMP/l3.json" "$DATA/layout_seed_example3.json"
quit "example 3"

# Example 4: fixed custom values.
csv "$DATA/csv_seed_example4.csv"
tui_expect "example 4 opens" "34666777888" 5
tui_keys +
type_in "name"
tui_keys f
type_in "Dear client"
tui_keys +
type_in "discount"
tui_keys f
type_in "10%"
tui_command "save-layout $TUI_TMP/l4.json"
tui_expect "example 4: saved" "layout saved to" 5
tui_check "example 4: the layout equals the seed's" same_json "$TUI_TMP/l4.json" "$DATA/layout_seed_example4.json"
# a saved layout loads back over another mapping
tui_keys Tab - 
tui_command "load-layout $DATA/layout_map_mixed.json"
tui_expect "a layout with a mixed template loads" "template +34{{phone}}" 5
tui_expect "its missing columns are named" "no column" 5
quit "example 4"

# ---------------------------------------------------------------- delimiter
printf 'contactCode;channelType\n34666777888;cloud_api\n34666555666;cloud_api\n' >"$TUI_TMP/semi.csv"
csv "$TUI_TMP/semi.csv"
tui_expect "';' is detected" "delimiter ';'" 5
tui_expect "and the rows split on it" "Validated 2 rows" 5
tui_command "delimiter ,"
tui_expect "the override takes" "delimiter ','" 5
tui_expect "one column now" "34666777888;cloud_a" 5
tui_command "delimiter tab"
tui_expect "tab too" "delimiter tab" 5
tui_command "delimiter ; " # (a trailing ";" would end the tmux command)
tui_expect "and back" "valid 2  invalid 0" 5
tui_command "header no"
tui_expect "the header override: the first line is a row" "header no" 5
tui_expect "and synthetic column names" "column1" 5
tui_command "delimiter x"
tui_expect "a bad delimiter is refused" "usage: :delimiter" 5
quit "delimiter"

# ---------------------------------------------------------------- not UTF-8
printf 'contactCode,channelType,name\n34666777888,cloud_api,Jos\351\n' >"$TUI_TMP/latin1.csv"
csv "$TUI_TMP/latin1.csv"
tui_expect "a Latin-1 file is reported" "Not UTF-8: line 2, field 3" 5
tui_expect "its row shows the error, not the bytes" "is the file Latin-1" 5
tui_expect_not "no replacement character garbles it" "Jos"$'\xef\xbf\xbd'
quit "not UTF-8"

# ---------------------------------------------------------------- ~/ in paths
cp "$DATA/csv_seed_example1.csv" "$HOME/home.csv"
tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
	--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID"
tui_wait_for "Campaigns" 5
tui_command "open ~/home.csv"
tui_expect ":open ~/FILE opens the file under \$HOME" "34666777888" 5
tui_command "save-layout ~/home-layout.json"
tui_expect ":save-layout ~/FILE says where" "layout saved to $HOME/home-layout.json" 5
tui_check "and writes it there" test -s "$HOME/home-layout.json"
quit "home paths"

tui_done
