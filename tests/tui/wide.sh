#!/bin/bash
# UTF-8 and wide characters in the campaign list: names in Japanese, with
# emoji, combining accents and plain ASCII all end where their column ends,
# so the next column starts at the same screen column on every row, at two
# terminal widths; a name too long for its column is cut with an ellipsis,
# never in the middle of a wide character.
. "$(dirname "$0")/lib.sh"

tui_ccond_start --clock manual || exit 99
names=("Plain ascii name" "日本語のキャンペーン" "Promo 🎉 fiesta 🎉" \
	"Cafe\u0301 con acento" "長い名前のキャンペーンです長い名前のキャンペーンです長い名前の終わり")
for name in "${names[@]}"; do
	tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
		"{\"name\":\"$name\",\"channel\":\"rcs\",\"templateBody\":\"hi\"}" >/dev/null
done

# the display width (cells) of what comes before the channel column (RCS is
# shown as GoogleRcs, the seed's name) on the
# screen line holding TEXT
prefix_width() {
	local line
	line=$(tui_screen | grep -F -- "$1" | head -1)
	case $line in *" GoogleRcs "*) ;; *) return ;; esac
	printf '%s' "${line%% GoogleRcs *}" | wc -L
}

aligned() {
	local first w
	first=$(prefix_width "Plain ascii name")
	[ -n "$first" ] && [ "$first" -gt 0 ] || return 1
	for key in "日本語のキャンペーン" "fiesta" "con acento" "長い名前の"; do
		w=$(prefix_width "$key")
		[ "$w" = "$first" ] || { echo "    '$key': channel at $w, expected $first"; return 1; }
	done
}

tui_start env T="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" --token-env T --app "$TUI_APP_ID" \
	--refresh 1
tui_expect "the Japanese name is drawn" "日本語のキャンペーン"
tui_expect "the emoji name is drawn" "🎉 fiesta 🎉"
tui_expect "the combining accent stays with its letter" "$(printf 'Cafe\xcc\x81 con acento')"
tui_check "the next column starts at the same cell on every row (100 columns)" aligned
tui_check "a long wide name is cut with an ellipsis" \
	sh -c "tmux -S '$TUI_SOCK' capture-pane -p -t t | grep -F '長い名前の' | grep -qF '…'"
tui_resize 140 30
sleep 0.5
tui_wait_for "Plain ascii name"
tui_check "... and at 140 columns" aligned
tui_keys q
tui_expect "q quits" "[exit 0]"
tui_done
