#!/bin/bash
# One embedded engine per data directory, seen from the console's side
# (src/tui/engine_share.h): the first console runs the engine and writes
# DATA/engine (0600); a subcommand run meanwhile talks to it; a second
# console attaches to the same engine (the same URL on its status bar, no
# second engine); when the first console quits, the lock and the file go.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "jq is required (apt-get install jq)"; exit 99; }

data="$XDG_DATA_HOME/ccon"
url_of() { tui_screen | sed -n 's/.*embedded | \(http:[^ ]*\) .*/\1/p' | head -1; }

tui_start "$CCON_BIN"
tui_expect "the first console lists the demo campaigns" "Black Friday reminder" 20
first=$TUI_SOCK
first_url=$(url_of)
tui_check "the first console runs the engine on 127.0.0.1" test -n "$first_url"
tui_check "DATA/engine names it, owner console" grep -qx "owner console" "$data/engine"
tui_check "DATA/engine has the URL on the status bar" grep -qx "url $first_url" "$data/engine"
tui_check "DATA/engine is mode 0600" test "$(stat -c %a "$data/engine")" = 600

# a subcommand meanwhile: the console's engine answers it, nothing starts
out=$("$CCON_BIN" campaigns --json 2>"$TUI_TMP/err")
rc=$?
tui_check "a subcommand beside the console exits 0" test "$rc" = 0
tui_check "it lists the same campaigns" test "$(echo "$out" | jq .total)" -ge 10
tui_check "the engine file still names the console" grep -qx "owner console" "$data/engine"

# a second console attaches to the first one's engine
tui_start "$CCON_BIN"
second=$TUI_SOCK
tui_expect "the second console lists the same campaigns" "Black Friday reminder" 20
tui_check "it talks to the first console's engine (same URL)" test "$(url_of)" = "$first_url"
tui_keys q
tui_expect "the second console quits with 0" "[exit 0]"
TUI_SOCK=$first
tui_expect "the first console is still connected" "| connected |" 5
tui_keys q
tui_expect "the first console quits with 0" "[exit 0]"
tui_check "its engine file is gone" test ! -e "$data/engine"

# the lock is free: the next console runs its own engine again
tui_start "$CCON_BIN"
tui_expect "a new console starts the engine again" "Black Friday reminder" 20
tui_check "and writes the engine file" grep -qx "owner console" "$data/engine"

# the engine lives in the console that started it: a console attached to
# it says so on its status bar when that one quits (no data is lost: the
# store is on disk, and the next start runs the engine again)
first=$TUI_SOCK
tui_start "$CCON_BIN"
tui_expect "another console attaches again" "Black Friday reminder" 20
second=$TUI_SOCK
TUI_SOCK=$first
tui_keys q
tui_expect "the engine's console quits" "[exit 0]"
TUI_SOCK=$second
tui_expect_re "the attached console shows the server gone" "server down|retrying" 30
tui_keys q
tui_expect "and quits with 0" "[exit 0]"
tui_done
