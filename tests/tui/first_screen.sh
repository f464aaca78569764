#!/bin/bash
# The console starts on a terminal, shows its first screen with its version,
# redraws on resize, and quits on q leaving a clean exit status.
. "$(dirname "$0")/lib.sh"

version=$("$CCON_BIN" --version)
case "$version" in
ccon\ [0-9]*) echo "ok - --version prints '$version'" ;;
*) echo "not ok - --version printed '$version'"; tui_failures=$((tui_failures + 1)) ;;
esac

tui_start "$CCON_BIN"
tui_expect "title bar shows the version" "$version"
tui_expect "campaigns pane heading" "Campaigns"
tui_expect "status bar shows the quit key" "q quit"
tmux -S "$TUI_SOCK" resize-window -t t -x 60 -y 20 2>/dev/null
tui_expect "redraws after a resize" "q quit"
tui_keys q
tui_expect "q quits with status 0" "[exit 0]"

TUI_CHECKS_RUN=6
tui_done
