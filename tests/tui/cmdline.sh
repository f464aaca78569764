#!/bin/bash
# The command line (readline's callback interface inside curses): `:`
# opens it; :sort, :filter, :open, :help, unknown commands; Tab completes
# command and campaign names, Tab Tab lists the matches; Esc and C-g
# cancel; messages stay until the next key; line editing (Home, Left) goes
# to readline; the history of commands and of `/` filters survives a
# restart under $XDG_STATE_HOME/ccon (0700 directory, 0600 files); the
# optional mouse (`mouse = on`): click selects, click on the selected row
# opens, a click on a column title sorts, the wheel moves.
. "$(dirname "$0")/lib.sh"

export XDG_STATE_HOME="$TUI_TMP/state"
STATE="$XDG_STATE_HOME/ccon"

bottom() { tui_screen | tail -1; }
# on_bottom TEXT - waits until the bottom line is TEXT (trailing blanks aside)
on_bottom() {
	local deadline=$((SECONDS + ${2:-5}))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(bottom | sed 's/ *$//')" = "$1" ] && return 0
		sleep 0.1
	done
	echo "    bottom line: '$(bottom | sed 's/ *$//')', wanted '$1'"
	return 1
}
start() {
	tmux -S "$TUI_SOCK" kill-server 2>/dev/null
	tui_start env XDG_STATE_HOME="$XDG_STATE_HOME" "$@" "$CCON_BIN"
	tui_wait_for "Black Friday reminder"
}

start
tui_keys :
tui_check ": opens the command line on the bottom line" on_bottom ":"
tui_keys -l "sort name desc"
tui_check "the typed text shows after the colon" on_bottom ":sort name desc"
tui_keys Enter
tui_expect ":sort name desc sorts the list" "sort: name desc"
tui_expect "... and marks the column" "Namev"
tui_check "... the line closes" on_bottom ""
tui_check "sorted by name, descending" \
	test "$(tui_line_of 'Welcome series')" -lt "$(tui_line_of 'Appointment reminder')"
tui_command "sort send-date asc"
tui_expect ":sort takes the column names with a dash" "sort: send date asc"
tui_command "sort audience"
tui_expect ":sort without a direction sorts ascending" "sort: audience asc"
tui_command "sort bogus"
tui_expect ":sort with an unknown column says so" "no column 'bogus' to sort by"

tui_command "filter SMS"
tui_expect ":filter TEXT filters the list" "filter: SMS"
tui_expect_not "... hiding the WhatsApp campaigns" "Black Friday reminder"
tui_command "filter"
tui_expect ":filter alone clears the filter" "Black Friday reminder"
tui_expect_not "... and the heading says no filter" "filter: SMS"

tui_command "frobnicate now"
tui_expect "an unknown command says so" "unknown command ':frobnicate'"
tui_keys j
tui_check "the message goes at the next key" on_bottom ""
tui_command "export /tmp/x.csv"
tui_expect "a report command in the list says where it works" ":export works in the Report pane"

tui_keys :
tui_keys -l "quit"
tui_keys Escape
tui_check "Esc cancels the line (nothing runs)" on_bottom ""
tui_keys :
tui_keys -l "quit"
tui_keys C-g
tui_check "C-g cancels too" on_bottom ""
tui_keys j
tui_expect "the console still runs" "Black Friday reminder"

tui_keys :
tui_keys -l "so"
tui_keys Tab
tui_check "Tab completes a command name (and a space)" on_bottom ":sort"
tui_keys -l "s"
tui_keys Tab Tab
tui_expect "Tab Tab lists the matches above the line" "2 matches:  send-date  status"
tui_keys -l "t"
tui_keys Tab
tui_check "... then the one left completes" on_bottom ":sort status"
tui_expect_not "... and the list of matches goes away" "2 matches:"
tui_keys Enter
tui_expect "the completed command runs" "sort: status asc"

tui_keys :
tui_keys -l "open black fr"
tui_keys Tab
tui_check "Tab completes a campaign name (any case, spaces and all)" \
	on_bottom ":open Black Friday reminder"
tui_keys Enter
tui_expect ":open NAME opens its report" "Report: Black Friday reminder"
tui_command "open Delivery updates"
tui_expect ":open from a report opens the other" "Report: Delivery updates"
tui_expect "... in place of the first (one report in the path)" "Campaigns > Report "
tui_expect_not "... not on top of it" "Report > Report"
tui_keys Escape
tui_wait_for "sort: "
tui_command "open nothing like this"
tui_expect ":open with no such campaign says so" "no campaign 'nothing like this'"
tui_command "open Welcome"
tui_expect ":open takes the start of a name when only one begins so" "Report: Welcome series"
tui_keys Escape
tui_wait_for "sort: "
tui_command "sort name asc"
tui_wait_for "sort: name asc"

tui_command "help"
tui_expect ":help shows the help overlay" "Keys (? or Esc closes"
tui_keys G
tui_expect "... which lists the commands" "Commands (after :, Tab completes)"
tui_expect "... with their arguments" ":sort COLUMN [asc|desc]"
tui_keys Escape
tui_wait_for "Black Friday reminder"

# the / filter keeps its own history
tui_keys / S M S Enter
tui_wait_for "filter: SMS"
tui_keys /
tui_check "/ opens an empty line" on_bottom "/"
tui_expect "... the filter in force stays until the first edit" "filter: SMS"
tui_keys Escape
tui_wait_for "Black Friday reminder"
tui_keys / Up
tui_check "/ then Up recalls the last filter" on_bottom "/SMS"
tui_expect "... and the list follows it" "filter: SMS"
tui_keys Escape
tui_expect "Esc clears it again" "Black Friday reminder"

tui_command "q"
tui_expect ":q quits with status 0" "[exit 0]"
tui_expect "... the terminal restored" "[tty restored]"
tui_check "the history is under \$XDG_STATE_HOME/ccon" test -f "$STATE/history"
tui_check "... in a 0700 directory" test "$(stat -c %a "$STATE")" = 700
tui_check "... a 0600 file" test "$(stat -c %a "$STATE/history")" = 600
tui_check "... holding the commands run" grep -qx "sort status" "$STATE/history"
tui_check "... not the cancelled ones" test "$(grep -c '^quit$' "$STATE/history")" = 0
tui_check "the filters' history is kept too" grep -qx "SMS" "$STATE/filter-history"

start
tui_keys : Up
tui_check "after a restart, Up recalls the last command" on_bottom ":q"
tui_keys Up
tui_check "... and Up the one before" on_bottom ":help"
tui_keys Up
tui_check "... and the one before" on_bottom ":sort name asc"
tui_keys Down
tui_check "... Down comes back" on_bottom ":help"
tui_keys Escape
tui_keys / Up
tui_check "the filters' history too" on_bottom "/SMS"
tui_keys Escape

# line editing goes to readline: C-a, C-e, Left, Right, Backspace, insert
tui_keys :
tui_keys -l "uit"
tui_keys C-a
tui_keys -l "q"
tui_check "C-a moves to the start and typing inserts there" on_bottom ":quit"
tui_keys BSpace
tui_check "Backspace deletes before the cursor" on_bottom ":uit"
tui_keys -l "q"
tui_keys Right Right Right
tui_keys -l "x"
tui_check "Right moves on" on_bottom ":quitx"
tui_keys Left BSpace
tui_check "Left moves back" on_bottom ":quix"
tui_keys C-e BSpace BSpace
tui_keys -l "it"
tui_check "C-e goes to the end" on_bottom ":quit"
tui_keys Enter
tui_expect ":quit (typed, edited, Enter) quits with status 0" "[exit 0]"
tui_check "the history keeps its size cap" test "$(wc -l <"$STATE/history")" -le 500

# the mouse, off by default; on with `mouse = on` in the configuration
start
tui_check "no mouse reports without mouse = on" test "$(tui_pane '#{mouse_any_flag}')" = 0
tui_keys q
tui_wait_for "[exit 0]"
mkdir -p "$XDG_CONFIG_HOME/ccon"
echo "mouse = on" >"$XDG_CONFIG_HOME/ccon/config"
chmod 600 "$XDG_CONFIG_HOME/ccon/config"
start
tui_check "mouse = on turns the terminal's mouse reports on" \
	test "$(tui_pane '#{mouse_any_flag}')" = 1
tui_command "sort name asc"
tui_wait_for "sort: name asc"
# SGR reports: button;column;row, from 1. Row 4 is the first campaign.
row=$(tui_line_of "Black Friday reminder")
tui_keys -l $'\e[<0;5;'"$row"'M'
tui_keys -l $'\e[<0;5;'"$row"'m'
tui_expect "a click selects the row under it" "Campaigns  2/"
tui_keys -l $'\e[<0;5;'"$row"'M'
tui_keys -l $'\e[<0;5;'"$row"'m'
tui_expect "a click on the selected row opens it" "Report: Black Friday reminder"
tui_keys Escape
tui_wait_for "sort: name asc"
tui_keys g
tui_wait_for "Campaigns  1/"
tui_keys -l $'\e[<65;5;10M'
tui_expect "the wheel down moves 3 rows" "Campaigns  4/"
tui_keys -l $'\e[<64;5;10M'
tui_expect "the wheel up moves back" "Campaigns  1/"
tui_keys -l $'\e[<0;3;3M'
tui_expect "a click on a column title sorts by it" "sort: name desc"
tui_keys q
tui_expect "q quits with status 0 after mouse events" "[exit 0]"
tui_check "... and the mouse reports are off again" test "$(tui_pane '#{mouse_any_flag}')" = 0
tui_done
