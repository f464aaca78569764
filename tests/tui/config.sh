#!/bin/bash
# The configuration file (ccon.conf(5)) and themes: profiles that drive a
# real ccond with token_env and with token_command (and the file's default
# profile), poll periods from the file, a token in a group-readable file
# refused before the screen starts, an unknown action refused, [keys]
# bindings over the defaults and in the help, NO_COLOR and the mono theme
# (attributes only), a theme of the user's themes directory, an unknown
# theme, TERM=xterm (8 colours) and xterm-256color.
. "$(dirname "$0")/lib.sh"

CONF="$XDG_CONFIG_HOME/ccon/config"
mkdir -p "$XDG_CONFIG_HOME/ccon/themes"

tui_ccond_start --clock manual || exit 99
for name in "Alpha notice" "Bravo notice" "Charlie notice"; do
	tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
		"{\"name\":\"$name\",\"channel\":\"sms\",\"templateBody\":\"hi\"}" >/dev/null
done

# tui_stop - ends the console (Q) and waits for its exit line.
tui_stop() {
	tui_keys Q
	tui_wait_for "[exit" 5 >/dev/null
	tui_end
}

# tui_end - ends the tmux session (after the console has exited).
tui_end() {
	tmux -S "$TUI_SOCK" kill-server 2>/dev/null
	sleep 0.1
}

# tui_sgr - every SGR parameter list on screen, one a line ("1", "7", "38;5;24").
tui_sgr() {
	tmux -S "$TUI_SOCK" capture-pane -p -e -t t | grep -oa $'\033\\[[0-9;:]*m' |
		sed 's/^.\[//; s/m$//' | sort -u
}

# tui_colour_params - the SGR parameter lists that set a colour (30-37,
# 40-47, 90-107, 38/48 with their arguments), one a line; 39 and 49 (the
# terminal's default colours, which tmux writes by itself) are no colour.
tui_colour_params() {
	tui_sgr | awk -F'[;:]' '{
		for (i = 1; i <= NF; i++) {
			p = $i + 0
			if (p == 38 || p == 48) { print $0; break }
			if (p == 39 || p == 49) continue
			if ((p >= 30 && p <= 47) || (p >= 90 && p <= 107)) { print $0; break }
		}
	}'
}

# tui_attr_params - the SGR lists that set an attribute (1 bold, 2 dim,
# 4 underline, 7 reverse).
tui_attr_params() { tui_sgr | grep -E '(^|;)(1|2|4|7)(;|$)'; }

profile_conf() {
	cat >"$CONF" <<EOF
# a test configuration
poll_campaigns = 500ms
poll_report = 1s
$1

[profile local]
url = $TUI_URL
app = $TUI_APP_ID
token_env = CCON_TEST_TOKEN

[profile cmd]
url = $TUI_URL
app = $TUI_APP_ID
token_command = cat '$TUI_TMP/token file'
EOF
}

# ---- a profile with token_env
profile_conf ""
tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" -p local
tui_expect "-p local: the server's campaigns are listed" "Alpha notice"
tui_expect "the status bar shows the profile's name" "local | $TUI_URL"
tui_expect "connected" "| connected |"
tui_expect_not "the token is never drawn" "$TUI_KEY"
tui_check "the token's variable is emptied in the running console" \
	sh -c "! tr '\\0' '\\n' </proc/$TUI_PID/environ 2>/dev/null | grep -qF '$TUI_KEY'"
# PR_SET_DUMPABLE 0: no core dump, and /proc/PID/ belongs to root
tui_check "the console is not dumpable while it holds a token" \
	test "$(stat -c %u "/proc/$TUI_PID/environ" 2>/dev/null)" = 0
# poll_campaigns = 500ms: the list's age never reaches 2 s
slow=0
for _ in $(seq 12); do
	tui_screen | grep -qE "polled [2-9]s ago" && slow=1
	sleep 0.25
done
tui_check "poll_campaigns from the file (the list is never 2 s old)" test $slow = 0
tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
	'{"name":"Echo notice","channel":"sms","templateBody":"hi"}' >/dev/null
tui_expect "a new campaign shows within a poll of 500 ms" "Echo notice" 2
tui_stop

# ---- token_command, through the file's default profile (no -p)
printf '%s\n' "$TUI_KEY" >"$TUI_TMP/token file"
profile_conf "profile = cmd"
tui_start "$CCON_BIN"
tui_expect "the default profile with token_command: campaigns listed" "Alpha notice"
tui_expect "the status bar shows the default profile" "cmd | $TUI_URL"
tui_expect "token_command's token is accepted" "| connected |"
tui_expect_not "the token is never drawn" "$TUI_KEY"
tui_stop

# --url takes the place of the default profile
tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" --token-env CCON_TEST_TOKEN
tui_expect "--url over the default profile" "remote | $TUI_URL"
tui_stop

# a failing token_command stops the console before the screen
printf '[profile bad]\nurl = %s\ntoken_command = exit 3\n' "$TUI_URL" >"$CONF"
tui_start "$CCON_BIN" -p bad
tui_expect "a failing token_command: the reason" "token_command failed (exit status 3)"
tui_expect "exit status 2" "[exit 2]"
tui_end

# ---- a token in a group-readable file
printf '[profile leak]\nurl = %s\ntoken = %s\n' "$TUI_URL" "$TUI_KEY" >"$CONF"
chmod 640 "$CONF"
tui_start "$CCON_BIN" -p leak
tui_expect "group-readable with a token: refused with the fix" "chmod 600"
tui_expect "exit status 2" "[exit 2]"
tui_expect_not "the refusal does not show the token" "$TUI_KEY"
tui_end
# without a terminal: the refusal comes first, nothing is written on stdout
"$CCON_BIN" -p leak </dev/null >"$TUI_TMP/out" 2>"$TUI_TMP/err"
rc=$?
tui_check "refused before any terminal set-up (status 2, stdout empty)" \
	test "$rc" = 2 -a ! -s "$TUI_TMP/out"
tui_check "the message gives the reason and chmod 600 FILE" \
	grep -q "group or others may read.*fix: chmod 600 $CONF" "$TUI_TMP/err"
chmod 600 "$CONF"
tui_start "$CCON_BIN" -p leak
tui_expect "chmod 600: the same file is accepted" "leak | $TUI_URL"
tui_expect "and its token works" "| connected |"
tui_stop

# ---- key bindings
profile_conf "profile = local
[keys]
bind x move-down
bind j move-last"
tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --refresh 60
tui_expect "a config with [keys] starts" "Alpha notice"
tui_keys g x
tui_expect "x (bound to move-down) moves the cursor down" "Campaigns  2/4"
tui_keys j
tui_expect "j (bound to move-last) goes to the last row" "Campaigns  4/4"
tui_keys '?'
tui_wait_for "Move the cursor down" >/dev/null
tui_check "the help shows x for move-down, and j no longer" \
	sh -c "tmux -S '$TUI_SOCK' capture-pane -p -t t | grep 'Move the cursor down' | grep -q '<Down>, x' &&
		! tmux -S '$TUI_SOCK' capture-pane -p -t t | grep 'Move the cursor down' | grep -q 'j,'"
tui_check "the help shows j for move-last" \
	sh -c "tmux -S '$TUI_SOCK' capture-pane -p -t t | grep 'Move to the last line' | grep -q 'j, G, <End>'"
tui_keys Escape
tui_stop

printf '[keys]\nbind x frobnicate\n' >"$CONF"
tui_start "$CCON_BIN"
tui_expect "an unknown action: refused with its line and column" \
	"config:2:8: unknown action 'frobnicate'"
tui_expect "exit status 2" "[exit 2]"
tui_end

# ---- colours
colours_run() { # DESCRIPTION CMD... - starts the console on the local profile
	local what=$1
	shift
	profile_conf "profile = local"
	tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$@"
	tui_wait_for "| connected |" >/dev/null
	tui_wait_for "Charlie notice" >/dev/null
}

colours_run "default" "$CCON_BIN"
tui_check "the default theme on xterm-256color: colours" test -n "$(tui_colour_params)"
tui_check "dim grey (color244) as a 256-colour index" sh -c "tmux -S '$TUI_SOCK' capture-pane -p -e -t t | grep -q '38;5;244'"
tui_stop

colours_run "NO_COLOR" env NO_COLOR=1 "$CCON_BIN"
tui_check "NO_COLOR=1: no colour escapes" test -z "$(tui_colour_params)"
tui_check "NO_COLOR=1: attributes still (bold, reverse)" test -n "$(tui_attr_params)"
tui_expect "NO_COLOR=1: the screen is complete" "? help  q quit"
tui_stop

colours_run "NO_COLOR empty" env NO_COLOR= "$CCON_BIN"
tui_check "NO_COLOR empty: colours" test -n "$(tui_colour_params)"
tui_stop

colours_run "mono" "$CCON_BIN" --theme mono
tui_check "--theme mono: no colour escapes" test -z "$(tui_colour_params)"
tui_check "--theme mono: attributes" test -n "$(tui_attr_params)"
tui_stop

cat >"$XDG_CONFIG_HOME/ccon/themes/ocean.theme" <<'EOF'
# a user's theme
color title      white  #005f87 bold
color cursor     black  color117
EOF
profile_conf "profile = local
theme = ocean"
tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN"
tui_wait_for "Charlie notice" >/dev/null
tui_check "theme = ocean from \$XDG_CONFIG_HOME/ccon/themes: #005f87 shows as colour 24" \
	sh -c "tmux -S '$TUI_SOCK' capture-pane -p -e -t t | grep -q '48;5;24'"
tui_check "its cursor: color117" \
	sh -c "tmux -S '$TUI_SOCK' capture-pane -p -e -t t | grep -q '48;5;117'"
tui_stop

tui_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --theme "$XDG_CONFIG_HOME/ccon/themes/ocean.theme"
tui_wait_for "Charlie notice" >/dev/null
tui_check "--theme PATH: the file's colours" \
	sh -c "tmux -S '$TUI_SOCK' capture-pane -p -e -t t | grep -q '48;5;24'"
tui_stop

# 24-bit colours: COLORTERM=truecolor with no direct-colour terminfo keeps
# the 256-colour palette; with one (xterm-direct, here the test's own in
# ~/.terminfo) #rrggbb is sent as it is. TERM is set here: tmux gives its
# panes its own default-terminal (tmux-256color) whatever new-session -e says
tui_start env CCON_TEST_TOKEN="$TUI_KEY" TERM=xterm-256color COLORTERM=truecolor "$CCON_BIN" --theme ocean
tui_wait_for "Charlie notice" >/dev/null
tui_check "COLORTERM=truecolor without xterm-direct: the 256-colour palette" \
	sh -c "tmux -S '$TUI_SOCK' capture-pane -p -e -t t | grep -q '48;5;24'"
tui_stop
cat >"$TUI_TMP/direct.ti" <<'EOF'
xterm-direct|xterm with direct colour (a test copy),
	RGB, colors#0x1000000, pairs#0x10000, initc@, initp@, ccc@, oc@,
	setab=\E[%?%p1%{8}%<%t4%p1%d%e48;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
	setaf=\E[%?%p1%{8}%<%t3%p1%d%e38;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
	use=xterm-256color,
EOF
if tic -x -o "$HOME/.terminfo" "$TUI_TMP/direct.ti" 2>/dev/null; then
	tui_start env CCON_TEST_TOKEN="$TUI_KEY" TERM=xterm-256color COLORTERM=truecolor "$CCON_BIN" --theme ocean
	tui_wait_for "Charlie notice" >/dev/null
	tui_check "COLORTERM=truecolor with xterm-direct: #005f87 as 24-bit" \
		sh -c "tmux -S '$TUI_SOCK' capture-pane -p -e -t t | grep -q '48;2;0;95;135'"
	tui_check "and a palette colour (color117) as its RGB" \
		sh -c "tmux -S '$TUI_SOCK' capture-pane -p -e -t t | grep -q '48;2;135;215;255'"
	tui_stop
	tui_start env CCON_TEST_TOKEN="$TUI_KEY" TERM=xterm-256color "$CCON_BIN" --theme ocean
	tui_wait_for "Charlie notice" >/dev/null
	tui_check "without COLORTERM: still the 256-colour palette" \
		sh -c "tmux -S '$TUI_SOCK' capture-pane -p -e -t t | grep -q '48;5;24'"
	tui_stop
	rm -rf "$HOME/.terminfo"
else
	echo "# tic failed: no 24-bit check"
fi

tui_start "$CCON_BIN" --theme nosuch
tui_expect "an unknown theme: a clear error" "no theme 'nosuch'"
tui_expect "exit status 2" "[exit 2]"
tui_end

printf 'color title white nocolour\n' >"$XDG_CONFIG_HOME/ccon/themes/broken.theme"
tui_start "$CCON_BIN" --theme broken
tui_expect "a broken theme: its file, line and column" "broken.theme:1:19:"
tui_expect "exit status 2" "[exit 2]"
tui_end

colours_run "xterm" env TERM=xterm "$CCON_BIN"
tui_expect "TERM=xterm (8 colours) starts" "Charlie notice"
tui_check "TERM=xterm: colours" test -n "$(tui_colour_params)"
tui_check "TERM=xterm: 8-colour escapes only (no 38;5 nor 48;5)" \
	sh -c "! tmux -S '$TUI_SOCK' capture-pane -p -e -t t | grep -q '[34]8;5;'"
tui_stop

colours_run "xterm-256color" env TERM=xterm-256color "$CCON_BIN"
tui_expect "TERM=xterm-256color starts" "Charlie notice"
tui_stop

tui_done
