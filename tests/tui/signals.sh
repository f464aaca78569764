#!/bin/bash
# Signals: SIGHUP and SIGINT end the console cleanly (status 0, terminal
# restored); a crash signal restores the terminal before the process dies
# of it; a remote server that refuses connections shows as down.
. "$(dirname "$0")/lib.sh"

for sig in HUP INT TERM; do
	tui_start "$CCON_BIN"
	tui_wait_for "Black Friday reminder"
	kill -$sig "$TUI_PID"
	tui_expect "SIG$sig: exits with status 0" "[exit 0]"
	tui_expect "SIG$sig: the terminal is restored" "[tty restored]"
	tui_check "SIG$sig: the alternate screen is left" test "$(tui_pane '#{alternate_on}')" = 0
	tui_check "SIG$sig: the cursor is visible" test "$(tui_pane '#{cursor_flag}')" = 1
	tmux -S "$TUI_SOCK" kill-server
done

tui_start "$CCON_BIN"
tui_wait_for "Black Friday reminder"
kill -SEGV "$TUI_PID"
tui_expect "SIGSEGV: dies of the signal" "[exit 139]"
tui_expect "SIGSEGV: the terminal is restored" "[tty restored]"
tui_check "SIGSEGV: the alternate screen is left" test "$(tui_pane '#{alternate_on}')" = 0
tmux -S "$TUI_SOCK" kill-server

# nothing listens on port 1
tui_start env T=x "$CCON_BIN" --url http://127.0.0.1:1 --token-env T
tui_expect "a refused connection: the status bar says down" "server down" 30
tui_keys q
tui_expect "q quits" "[exit 0]"
tmux -S "$TUI_SOCK" kill-server

env -u T "$CCON_BIN" --url http://127.0.0.1:1 --token-env T >/dev/null 2>"$TUI_TMP/err" </dev/null
tui_check "--token-env with an unset variable: status 2" test $? -eq 2
tui_check "... and says which variable" grep -q "variable T (--token-env) is not set" "$TUI_TMP/err"
tui_done
