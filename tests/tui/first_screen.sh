#!/bin/bash
# The console's first run: --version and --help; with no configuration it
# embeds the engine, creates the demo data and lists the demo campaigns;
# the status bar says "embedded"; ? shows the help generated from the key
# table; q quits with status 0 and the terminal restored. --no-demo starts
# empty.
. "$(dirname "$0")/lib.sh"

version=$("$CCON_BIN" --version)
case "$version" in
ccon\ [0-9]*) tui_ok "--version prints '$version'" ;;
*) tui_not_ok "--version printed '$version'" ;;
esac
help=$("$CCON_BIN" --help)
case "$help" in
*--url*) case "$help" in *--no-demo*) tui_ok "--help lists the options" ;;
	*) tui_not_ok "--help lists --no-demo: $help" ;; esac ;;
*) tui_not_ok "--help lists the options: $help" ;;
esac
"$CCON_BIN" --bogus >/dev/null 2>&1
tui_check "an unknown option exits with status 2" test $? -eq 2

tui_start "$CCON_BIN"
tui_expect "title bar shows the version" "$version"
tui_expect "the demo campaigns are listed" "Black Friday reminder"
tui_expect "a campaign with a wide dash" "Appointment reminder — Clinic"
tui_expect "a second demo campaign" "Two-factor codes"
tui_expect "column headings" "Name"
tui_expect "the status bar says embedded" "embedded | http://127.0.0.1:"
tui_expect "the status bar shows the connection" "connected"
tui_expect "the refresh indicator" "updated"
tui_check "the data directory is private (0700)" \
	test "$(stat -c %a "$XDG_DATA_HOME/ccon")" = 700
tui_keys '?'
tui_expect "? opens the help overlay" "Sort by the next column"
tui_expect "the help names the bindings" "move-down"
tui_keys '?'
tui_wait_for "Black Friday reminder"
sleep 0.3
tui_expect_not "? closes it" "Sort by the next column"
tui_keys q
tui_expect "q quits with status 0" "[exit 0]"
tui_expect "the terminal is restored" "[tty restored]"
tui_check "the alternate screen is left" test "$(tui_pane '#{alternate_on}')" = 0

# a second run finds its store: the same campaigns, not twice
tmux -S "$TUI_SOCK" kill-server
tui_start "$CCON_BIN"
tui_expect "a second run shows the demo again" "Black Friday reminder"
tui_check "the demo data is created once" test "$(tui_screen | grep -c 'Black Friday reminder')" -eq 1

# a pane drawn over another leaves nothing of it: the report's first frame
# over the list equals the report redrawn whole (C-l)
settled() { tui_screen | sed -E 's/(updated|polled) [0-9]+[smhd] ago//'; }
tui_keys Enter
tui_expect "Enter opens the first campaign's report" "Report: "
sleep 1
over=$(settled)
tui_keys C-l
sleep 0.5
tui_check "the report drawn over the list equals its full redraw" \
	bash -c 'test "$1" = "$2" || { diff <(echo "$1") <(echo "$2") | sed "s/^/    diff| /"; exit 1; }' \
	_ "$over" "$(settled)"
tui_keys q
tui_expect "q closes the report" "Campaigns  1/12"
tui_keys q
tui_expect "q quits again" "[exit 0]"

tmux -S "$TUI_SOCK" kill-server
rm -rf "$XDG_DATA_HOME/ccon"
tui_start "$CCON_BIN" --no-demo
tui_expect "--no-demo starts empty" "No campaigns yet."
tui_expect_not "no demo campaign" "Black Friday reminder"
tui_keys q
tui_expect "q quits" "[exit 0]"

tui_done
