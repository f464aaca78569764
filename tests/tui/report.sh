#!/bin/bash
# The Report pane against a real ccond (--clock manual): the funnel of a
# send moving to read/failed within one poll after a clock advance, the
# failures grouped by reason with counts, Enter on a group lists only its
# recipients (x lists them all again), the raw JSON overlay, :export to CSV
# (a formula neutralised, a +34 number intact) and JSON, an export that
# cannot be written, :cancel refused on a campaign that is not scheduled
# and done on a scheduled one after y (not after n), and a 20,000-recipient
# campaign that scrolls to its last row (G) without loading everything,
# while an export of it runs and the keys still work.
. "$(dirname "$0")/lib.sh"

# campaign NAME - creates a WhatsApp campaign; prints its id.
campaign() {
	tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
		"{\"name\":\"$1\",\"channel\":\"whatsapp\",\"templateName\":\"t\",\"templateBody\":\"Hi {{name}}\"}" |
		sed -n 's/^{"id":\([0-9]*\).*/\1/p'
}

# send ID EXTRA DIGITS... - one contact +346660iiiNN a pair of digits NN
# (the sim driver's outcome, ccond(8)); EXTRA: more JSON members.
send() {
	local id=$1 extra=$2 contacts= i=0
	shift 2
	for d in "$@"; do
		contacts="$contacts${contacts:+,}{\"contactCode\":\"346660$(printf %03d $i)$d\",\"channelType\":\"cloud_api\",\"customFields\":{\"name\":\"Ana\"}}"
		i=$((i + 1))
	done
	tui_api POST "/v1/applications/$TUI_APP_ID/campaigns/$id/send" "{\"contacts\":[$contacts]$extra}"
}

# open NAME - from the campaign list, the report of NAME (through the filter).
open_report() {
	tui_keys Escape Escape /
	tui_keys -l "$1"
	tui_keys Enter
	tui_wait_for "Campaigns  1/1 of" 5
	tui_keys Enter
}

tui_ccond_start --clock manual || exit 99
tui_api POST /v1/admin/clock '{"set":"2027-01-04T09:00:00Z"}' >/dev/null
mix=$(campaign "=HYPERLINK(1) mix")
later=$(campaign "Later notice")
big=$(campaign "Big audience")
[ -n "$mix" ] && [ -n "$later" ] && [ -n "$big" ] || { echo "no campaigns"; exit 99; }
# 13: 131026 at send (x4); 49: 131049 after processed (x2); 50: 131050
# (x2); 47: 131047; 01, 02 read; 65 received
send "$mix" "" 13 49 50 01 13 47 13 65 50 02 49 13 | grep -q '"accepted":12' ||
	{ echo "the send was refused"; exit 99; }
send "$later" ',"scheduleAt":"2027-01-06T09:00:00Z"' 01 02 | grep -q '"accepted":2' ||
	{ echo "the scheduled send was refused"; exit 99; }
{
	echo phone
	seq -f '+346%08g' 0 19999
} >"$TUI_TMP/big.csv"
curl -sS -H "Authorization: Bearer $TUI_KEY" \
	-F 'layout={"contact":{"contactCode":"{{phone}}","channelType":"cloud_api"},"customFields":{"name":"Ana"}}' \
	-F "file=@$TUI_TMP/big.csv;type=text/csv" \
	"$TUI_URL/v1/applications/$TUI_APP_ID/campaigns/$big/send/csv" | grep -q '"accepted":20000' ||
	{ echo "the CSV send was refused"; exit 99; }

mkdir -p "$XDG_CONFIG_HOME/ccon"
echo "poll_report = 1s" >"$XDG_CONFIG_HOME/ccon/config"
mkdir -p "$TUI_TMP/out"
tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
	--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID" --refresh 1
tui_expect "the campaigns are listed" "Later notice"

# ---- the funnel moves within one poll
open_report "HYPERLINK"
tui_expect "Enter opens the report" "Report: =HYPERLINK(1) mix"
tui_expect_re "every recipient pending before the clock moves" "Pending +12 +100\.0%"
tui_expect_re "status, channel and audience" "Status +scheduled +Channel +WhatsApp .*Audience 12"
tui_api POST /v1/admin/clock '{"advance":"PT1H"}' >/dev/null
start=$SECONDS
tui_expect_re "after the clock: read moves within one poll (1 s)" "Read +2 +16\.7%" 3
tui_expect_re "failed too" "Failed +9 +75\.0%" 1
tui_expect_re "received" "Received +1 +8\.3%" 1
tui_expect_re "and pending is empty" "Pending +0 +0\.0%" 1
echo "# the funnel moved after $((SECONDS - start)) s"
tui_expect_re "the campaign is done" "Status +done"

# ---- failures grouped by reason, by count
tui_expect "four reasons" "Failures: 4 reasons"
tui_expect_re "131026: 4" "131026 +4 +Message undeliverable"
tui_expect_re "131049: 2" "131049 +2 +Meta chose not to deliver"
tui_expect_re "131050: 2" "131050 +2 +User stopped marketing"
tui_expect_re "131047: 1" "131047 +1 +Re-engagement message"
tui_check "sorted by count: 131026 first, 131047 last" \
	test "$(tui_line_of 131026)" -lt "$(tui_line_of 131047)"
tui_expect "every recipient is listed" "Recipients 1/12"

tui_keys Tab
tui_expect "Tab: the failures box has the cursor" "> Failures:"
tui_keys Enter
tui_expect "Enter lists the group's recipients" "Recipients 1/4  failed 131026"
tui_check "only 131026 rows in the table" \
	sh -c "test \"\$(tmux -S '$TUI_SOCK' capture-pane -p -t t | grep -c '^ +346.*failed.*131026')\" = 4 &&
		test \"\$(tmux -S '$TUI_SOCK' capture-pane -p -t t | grep -c '^ +346')\" = 4"
tui_keys Tab j j Enter
tui_expect "another group: 131050" "Recipients 1/2  failed 131050"
tui_keys x
tui_expect "x lists every recipient again" "Recipients 1/12"
tui_expect_not "no filter named" "x: every recipient"
tui_keys j j
tui_expect "j moves in the recipients" "Recipients 3/12"
tui_keys G
tui_expect "G: the last recipient" "Recipients 12/12"
tui_keys g
tui_expect "g: the first" "Recipients 1/12"

# ---- the raw JSON of the last answer
tui_keys J
tui_expect "J shows the raw answer" "Raw answer: lines 1-"
tui_expect_re "pretty-printed, one member a line" '^ +"status": "success",'
tui_keys G
tui_expect_re "G scrolls to its end" "Raw answer: lines [0-9]+-([0-9]+) of \\1 "
tui_keys Escape
tui_expect "Esc closes it" "Funnel"
tui_expect "the report is still open" "Report: =HYPERLINK(1) mix"

# ---- :export
tui_command "export $TUI_TMP/out/report.csv"
tui_expect "exported to CSV" "exported 12 recipient rows to $TUI_TMP/out/report.csv" 10
csv="$TUI_TMP/out/report.csv"
tui_check "CSV: the summary's header" grep -q '^campaignId,name,channelType,status,sendDate,total,' "$csv"
tui_check "CSV: the formula-like name is neutralised" grep -qF ",'=HYPERLINK(1) mix," "$csv"
tui_check "CSV: a +34 number is intact" grep -q '^+34666000013,failed,' "$csv"
tui_check "CSV: the failure groups" grep -q '^131026,Message undeliverable,4' "$csv"
tui_check "CSV: every recipient" test "$(grep -c '^+346660' "$csv")" = 12
tui_check "CSV: CRLF line ends" sh -c "head -1 '$csv' | od -c | grep -q '\\\\r  *\\\\n'"
tui_command "export $TUI_TMP/out/report.json"
tui_expect "exported to JSON" "exported 12 recipient rows to $TUI_TMP/out/report.json" 10
json="$TUI_TMP/out/report.json"
tui_check "JSON: one object with summary, failures, audience" \
	grep -q '^{"summary":{.*"failures":{.*"audience":\[{' "$json"
tui_check "JSON: the name as it is" grep -qF '"name":"=HYPERLINK(1) mix"' "$json"
tui_check "JSON: every recipient" test "$(grep -o '"recipient":"+346660[0-9]*"' "$json" | wc -l)" = 12
tui_check "JSON: it ends the object" sh -c "tail -c 4 '$json' | grep -q ']}'"
tui_check "no temporary file left" test "$(ls "$TUI_TMP/out" | wc -l)" = 2
tui_command "export $TUI_TMP/no/such/dir.csv"
tui_expect "an export that cannot be written says why" "export failed: $TUI_TMP/no/such/dir.csv"
tui_check "and writes nothing" test ! -e "$TUI_TMP/no"

# ---- :cancel
tui_command "cancel"
tui_expect "cancel is refused for a campaign that is not scheduled" \
	"only a scheduled campaign can be canceled; this one is done"
open_report "Later notice"
tui_expect "the scheduled campaign" "Report: Later notice"
tui_expect_re "its status" "Status +scheduled"
tui_command "cancel"
tui_expect "cancel asks first" "Cancel the campaign \"Later notice\" and its 2 pending recipients? y/N"
tui_keys n
tui_expect "n: not canceled" "not canceled"
sleep 1.5
tui_expect_re "still scheduled" "Status +scheduled"
tui_command "cancel"
tui_wait_for "y/N" 5
tui_keys y
tui_expect "y: canceled" "campaign canceled"
tui_expect_re "the status says so within a poll" "Status +canceled" 3
tui_expect_re "its recipients too" "Canceled +2 +100\.0%" 3

# ---- 20,000 recipients
open_report "Big audience"
tui_expect "the big campaign" "Report: Big audience"
tui_expect "its recipients are counted" "Recipients 1/20000"
tui_expect "the first row" "+34600000000"
start=$SECONDS
tui_keys G
tui_expect "G: the last row's position" "Recipients 20000/20000" 5
tui_expect "G: the last recipient shows" "+34600019999" 5
echo "# the last row after $((SECONDS - start)) s"
tui_expect_not "no placeholder left on screen" " ..."
tui_keys PPage
tui_expect_re "PgUp moves a screen up" "Recipients 199[0-9][0-9]/20000"
tui_command "export $TUI_TMP/out/big.csv"
tui_expect "an export of 20,000 rows shows its progress" "exporting" 5
tui_keys g
tui_expect "keys work while it runs" "Recipients 1/20000" 2
tui_expect "the export ends" "exported 20000 recipient rows" 120
tui_check "every row is in the file" test "$(grep -c '^+346' "$TUI_TMP/out/big.csv")" = 20000

tui_keys Q
tui_expect "Q quits" "[exit 0]"
tui_done
