#!/bin/bash
# `ccon FILE.csv` draws the preview's first rows before the embedded engine
# starts: with the engine held back (another process holds its store's
# write lock, as a long first-run set-up would), the rows are on screen, the
# status bar says the engine is starting (never a connection it does not
# have) and the validation shows no rate it has not measured; once the lock
# goes, the engine starts, the status bar says connected and the campaign
# list is under the preview.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 is required (apt-get install sqlite3)"; exit 99; }

csv="$TUI_TMP/first.csv"
printf 'contactCode,channelType,name\n34666777888,cloud_api,Ana\n34666555666,cloud_api,Bea\n' >"$csv"

# a first run makes the store
tui_start "$CCON_BIN" --no-demo
tui_expect "the first run starts" "No campaigns yet."
tui_keys q
tui_expect "q quits" "[exit 0]"
tmux -S "$TUI_SOCK" kill-server

db="$XDG_DATA_HOME/ccon/ccond.db"
mkfifo "$TUI_TMP/lock"
# the lock holder: writes in a transaction, then waits for a line
(
	echo "BEGIN EXCLUSIVE;"
	echo "CREATE TABLE IF NOT EXISTS first_frame_lock(x);"
	echo "SELECT 'locked';"
	read -r _ <"$TUI_TMP/lock"
	echo "COMMIT;"
) | sqlite3 "$db" >"$TUI_TMP/lock.out" &
holder=$!
for _ in $(seq 100); do
	grep -q locked "$TUI_TMP/lock.out" 2>/dev/null && break
	sleep 0.05
done
tui_check "the store is locked" grep -q locked "$TUI_TMP/lock.out"

tui_start "$CCON_BIN" --no-demo "$csv"
tui_expect "the rows are drawn while the engine waits" "34666555666" 3
tui_expect "the status bar says the engine is starting" "embedded | starting the engine... | not polled yet" 3
tui_expect "no validation rate before a row is read" "  0%  ? rows/s  ETA ?"
tui_expect_not "no connection is claimed" "connected"
tui_expect_not "no campaign list yet" "Campaigns >"

echo >"$TUI_TMP/lock"
wait "$holder"
tui_expect "then the engine starts" "embedded | http://127.0.0.1:" 15
tui_expect "the status bar says connected" "connected"
tui_expect "the campaign list is under the preview" "Campaigns > CSV"
tui_expect "the preview validated the file" "Validated 2 rows"
tui_keys Escape
tui_expect "Esc goes down to the list" "No campaigns yet."
tui_keys q
tui_expect "q quits" "[exit 0]"

tui_done
