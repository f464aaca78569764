#!/bin/bash
# The Campaigns pane on the embedded engine's demo data: sort by any column
# (s cycles, S reverses, the heading says which), the / filter (incremental,
# Enter keeps, Esc clears), moving (j k g G PgDn), Enter opens the campaign
# under the cursor, Esc comes back, resizes 80x24 <-> 200x60.
. "$(dirname "$0")/lib.sh"

# sort_by NAME DIRECTION - presses s, then S, until the heading says so.
sort_by() {
	for _ in $(seq 12); do
		tui_screen | grep -q "sort: $1 " && break
		tui_keys s
		sleep 0.1
	done
	tui_screen | grep -q "sort: $1 $2" || tui_keys S
	tui_wait_for "sort: $1 $2" 3
}

# opened NAME - Enter opens NAME's report; Esc comes back.
opened() {
	tui_keys Enter
	tui_wait_for "Report: $1" 5
	local rc=$?
	tui_keys Escape
	tui_wait_for "sort: " 5
	return $rc
}

tui_start "$CCON_BIN"
tui_expect "the demo campaigns are listed" "Black Friday reminder"
tui_expect "the cursor starts on the first row" "Campaigns  1/"

sort_by name asc
tui_expect "s cycles to the name column, shown in the heading" "sort: name asc"
tui_check "sorted by name: A before B" \
	test "$(tui_line_of 'Appointment reminder')" -lt "$(tui_line_of 'Black Friday reminder')"
tui_expect "the sorted column's title is marked" "Name^"
tui_keys S
tui_expect "S reverses the direction" "sort: name desc"
tui_check "sorted by name, descending: B before A" \
	test "$(tui_line_of 'Black Friday reminder')" -lt "$(tui_line_of 'Appointment reminder')"
tui_keys S
tui_wait_for "sort: name asc"

tui_keys s
tui_expect "s moves on to the channel column" "sort: channel asc"
sort_by name asc

tui_keys g
tui_check "g, Enter: the first campaign" opened "Appointment reminder"
tui_keys j
tui_expect "j moves the cursor down" "Campaigns  2/"
tui_check "j, Enter: the second campaign" opened "Black Friday reminder"
tui_keys k
tui_expect "k moves it back up" "Campaigns  1/"
tui_keys Down
tui_expect "Down moves too" "Campaigns  2/"
tui_keys Up G
tui_check "G, Enter: the last campaign" opened "Welcome series"
tui_keys Home
tui_expect "Home goes to the first" "Campaigns  1/"
tui_keys End
tui_expect "End to the last" "Campaigns  12/12"
tui_keys PPage
tui_expect_not "PgUp moves a page up" "Campaigns  12/12"
tui_keys g NPage
tui_expect_not "PgDn moves a page down" "Campaigns  1/"

tui_keys g
tui_keys / b l a c k
tui_expect "the filter prompt shows the text" "/black"
tui_expect "the filter narrows as it is typed" "Campaigns  1/1 of 12"
tui_expect_not "other campaigns are hidden" "Delivery updates"
tui_keys Escape
tui_expect "Esc clears the filter" "Delivery updates"
tui_expect_not "no filter in the heading" "filter: black"
tui_keys / S M S Enter
tui_expect "Enter keeps the filter" "filter: SMS"
tui_expect "SMS campaigns remain" "Two-factor codes"
tui_expect_not "WhatsApp campaigns are hidden" "Black Friday reminder"
tui_keys / Escape
tui_expect "/ then Esc clears a kept filter" "Black Friday reminder"

tui_keys / D e l i v Enter
tui_wait_for "filter: Deliv"
tui_keys Enter
tui_expect "Enter opens the report" "Report: Delivery updates"
tui_expect "the report shows the campaign's counts" "Received"
tui_expect "the title shows the pane path" "Campaigns > Report"
tui_keys Escape
tui_expect "Esc comes back to the list" "filter: Deliv"
tui_keys / Escape

tui_resize 80 24
tui_check "80x24: the status bar is on line 23" tui_on_line "embedded |" 23
tui_expect "80x24: the list is drawn again" "Black Friday reminder"
tui_expect "80x24: the failure rate stays" "Fail%"
tui_expect_not "80x24: no room for the received column" "Received"
tui_resize 200 60
tui_check "200x60: the status bar is on line 59" tui_on_line "embedded |" 59
tui_expect "200x60: the received column has room" "Received"
tui_resize 80 24
tui_check "80x24 again" tui_on_line "embedded |" 23
tui_resize 200 60
tui_check "200x60 again" tui_on_line "embedded |" 59
tui_keys g j
tui_expect "keys work after resizes" "Campaigns  2/"

tui_keys q
tui_expect "q quits with status 0" "[exit 0]"
tui_done
