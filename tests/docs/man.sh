#!/bin/bash
# tests/docs/man.sh - the man pages are clean, true and complete.
#
# Lint: `mandoc -T lint` and `man --warnings` (at 80 columns) say nothing
# about man/ccon.1, man/ccon.conf.5 and man/ccond.8. Then every list below
# is taken from the sources or the binaries (never a copy kept here) and
# each item is looked for where a reader looks for it, in the pages as
# rendered (mandoc -T ascii, one paragraph a line; man when mandoc is
# missing):
#   ccon(1)       OPTIONS: every option of `ccon --help`; SUBCOMMANDS: every
#                 subcommand of `ccon help` as a tag, every option of
#                 `ccon help` and of each `ccon SUB --help`; KEYS: each group
#                 of src/tui/requests.h as a subsection, each binding name
#                 as "(name)" in a paragraph whose tag lists all its default
#                 keys; COMMAND LINE: every command (and alias) of
#                 src/tui/cmdline.c's table as a tag; EXIT STATUS: every
#                 code of src/cli/exit.h as a tag.
#   ccon.conf(5)  every key of src/core/settings.c as "key = ..." in its
#                 section, the [keys] and [profile] sections and bind; every
#                 theme area (include/ccon/theme.h, which src/core/theme.c
#                 expands) in THEMES with its true fallback.
#   ccond(8)      OPTIONS: every option of `ccond --help`; ENDPOINTS: every
#                 route of src/server/routes.c as "METHOD PATH" tag, every
#                 command uri of src/core/codec_command.c as "method uri".
#   all pages     every getenv() name of src/ in an ENVIRONMENT section.
# Exit 77 (skip) only when neither mandoc nor man is installed.
: "${CCON_BIN:?CCON_BIN must point at the ccon binary}"
: "${CCOND_BIN:?CCOND_BIN must point at the ccond binary}"

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
have_mandoc=false
have_man=false
command -v mandoc >/dev/null && have_mandoc=true
command -v man >/dev/null && man --version 2>/dev/null | grep -q man && have_man=true
if ! $have_mandoc && ! $have_man; then
	echo "neither mandoc nor man is installed (apt-get install mandoc)"
	exit 77
fi

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share" \
	XDG_STATE_HOME="$T/home/.local/state" LC_ALL=C.UTF-8
mkdir -p "$HOME"
unset MANPAGER PAGER MANOPT

checks=0
failures=0
# check NAME COMMAND... - one check, passes when COMMAND succeeds
check() {
	local name=$1
	shift
	checks=$((checks + 1))
	if "$@"; then
		echo "ok $checks - $name"
	else
		failures=$((failures + 1))
		echo "not ok $checks - $name"
	fi
}

pages=(ccon.1 ccon.conf.5 ccond.8)

# ---- lint
for p in "${pages[@]}"; do
	if $have_mandoc; then
		mandoc -T lint "$top/man/$p" >"$T/lint" 2>&1
		check "mandoc -T lint $p is silent" test ! -s "$T/lint"
		[ -s "$T/lint" ] && sed 's/^/# /' "$T/lint"
	fi
	if $have_man; then
		MANWIDTH=80 man --warnings -l "$top/man/$p" >/dev/null 2>"$T/lint"
		check "man --warnings -l $p is silent" test ! -s "$T/lint"
		[ -s "$T/lint" ] && sed 's/^/# /' "$T/lint"
	fi
done

# ---- the pages as text: one paragraph a line after its tag
# (.TP 0: every tag on a line of its own, its body on the next lines)
render() {
	sed 's/^\.TP$/.TP 0/' "$1" >"$T/page"
	if $have_mandoc; then
		mandoc -T ascii -O width=1000 "$T/page"
	else
		MANWIDTH=1000 LC_ALL=C man --nh --nj -l "$T/page" 2>/dev/null
	fi | sed 's/.\x08//g'
}
for p in "${pages[@]}"; do
	render "$top/man/$p" >"$T/$p.txt"
done

# section FILE TITLE - the lines of section TITLE of a rendered page
section() {
	awk -v t="$2" '/^[^ ]/ { on = ($0 == t); next } on' "$1"
}
# tags FILE TITLE - the tag of each tagged paragraph of a section (its first
# line, after a subsection's title)
tags() {
	section "$1" "$2" | awk 'BEGIN { RS = "" } {
		n = split($0, l, "\n"); f = 1
		while (f < n && l[f] ~ /^   [^ ]/) f++   # a subsection title
		t = l[f]
		if (t !~ /^       [^ ]/ || f == n) next   # untagged: no body line
		sub(/^ +/, "", t); print t }'
}
# paragraphs FILE TITLE - each paragraph of a section on one line, "TAG<TAB>BODY"
paragraphs() {
	section "$1" "$2" | awk 'BEGIN { RS = "" } {
		n = split($0, l, "\n"); f = 1; body = ""
		while (f < n && l[f] ~ /^   [^ ]/) f++
		t = l[f]
		if (t !~ /^       [^ ]/ || f == n) next
		sub(/^ +/, "", t)
		for (i = f + 1; i <= n; i++) { s = l[i]; sub(/^ +/, "", s); body = body " " s }
		print t "\t" body }'
}
# in_tags WORD - stdin (tags) has WORD as a whole word (not part of a longer
# option or name)
in_tags() {
	grep -qE -- "(^|[^A-Za-z0-9_-])$(printf '%s' "$1" | sed 's/[][\.*^$|+?(){}]/\\&/g')([^A-Za-z0-9_-]|$)"
}
# has TEXT-FILE WORD - like in_tags, on a file
has_word() {
	in_tags "$2" <"$1"
}

ccon1=$T/ccon.1.txt
conf5=$T/ccon.conf.5.txt
ccond8=$T/ccond.8.txt

# ---- ccon(1): options, subcommands, their options
"$CCON_BIN" --help >"$T/help" 2>&1
check "ccon --help runs" test -s "$T/help"
tags "$ccon1" OPTIONS >"$T/opt-tags"
for o in $(grep -oE -- '(^| )--?[A-Za-z][a-z-]*' "$T/help" | tr -d ' ' | sort -u); do
	check "ccon(1) OPTIONS has $o" in_tags "$o" <"$T/opt-tags"
done

"$CCON_BIN" help >"$T/subs" 2>&1
subs=$(sed -n '/^  [a-z]/{/^  -/d;s/^  \([a-z][a-z-]*\)  .*/\1/p}' "$T/subs" | sed '/^Options/q')
check "ccon help lists subcommands" test -n "$subs"
tags "$ccon1" SUBCOMMANDS >"$T/sub-tags"
section "$ccon1" SUBCOMMANDS >"$T/sub-text"
for s in $subs; do
	check "ccon(1) SUBCOMMANDS has $s as a tag" grep -qE "^$s( |$)" "$T/sub-tags"
	[ "$s" = help ] || "$CCON_BIN" "$s" --help >>"$T/subs" 2>&1
done
for o in $(grep -oE -- '(^|[ ,[(|])--[a-z][a-z-]*' "$T/subs" | sed 's/^[^-]*//' | sort -u); do
	grep -qE -- "(^| )$o( |$)" "$T/help" && continue
	check "ccon(1) SUBCOMMANDS has $o" has_word "$T/sub-text" "$o"
done

# ---- ccon(1): keys, from requests.h
sed -n '/^#define REQ_INFO/,/^$/p' "$top/src/tui/requests.h" |
	grep -oE 'REQ_GROUP\("[^"]*"\)|REQ_\([A-Z_]+, "[^"]*", "[^"]*"' >"$T/reqs"
check "requests.h has requests" test -s "$T/reqs"
section "$ccon1" KEYS >"$T/keys-text"
paragraphs "$ccon1" KEYS >"$T/keys-par"
# a key spec of requests.h as ccon(1) writes it: <C-f> Ctrl-F, <PgDn> PgDn
man_key() {
	case $1 in
	'<C-'?'>') k=${1:3:1}; printf 'Ctrl-%s\n' "${k^^}" ;;
	'<'*'>') k=${1#<}; printf '%s\n' "${k%>}" ;;
	*) printf '%s\n' "$1" ;;
	esac
}
# key_par NAME KEYS... - a paragraph of KEYS says "(NAME)" and its tag lists
# every one of KEYS
key_par() {
	local name=$1 line tag k ok
	shift
	while IFS= read -r line; do
		case "${line#*	}" in *"($name)"*) ;; *) continue ;; esac
		tag=", ${line%%	*},"
		ok=true
		for k in "$@"; do
			case $tag in *", $k,"*) ;; *) ok=false ;; esac
		done
		$ok && return 0
	done <"$T/keys-par"
	return 1
}
while IFS= read -r r; do
	case $r in
	REQ_GROUP*)
		g=${r#REQ_GROUP(\"}
		g=${g%\")}
		check "ccon(1) KEYS has the subsection $g" grep -qxF "   $g" "$T/keys-text"
		;;
	*)
		keys=$(printf '%s' "$r" | sed 's/^[^"]*"\([^"]*\)".*/\1/')
		name=$(printf '%s' "$r" | sed 's/.*"\([^"]*\)"$/\1/')
		mk=()
		for k in $keys; do mk+=("$(man_key "$k")"); done
		check "ccon(1) KEYS: ${mk[*]} ($name)" key_par "$name" "${mk[@]}"
		;;
	esac
done <"$T/reqs"

# ---- ccon(1): the command line's commands
sed -n '/^static const struct command commands\[\] = {/,/^};/p' "$top/src/tui/cmdline.c" |
	grep -oE '\{ \{ "[a-z-]+", ("[a-z]+"|NULL)' | sed 's/[{",]//g; s/NULL//' >"$T/cmds"
check "cmdline.c has commands" test -s "$T/cmds"
tags "$ccon1" "COMMAND LINE" >"$T/cmd-tags"
for c in $(cat "$T/cmds"); do
	check "ccon(1) COMMAND LINE has :$c as a tag" in_tags ":$c" <"$T/cmd-tags"
done

# ---- ccon(1): exit codes of the subcommands
codes=$(grep -oE 'CLI_EXIT_[A-Z]+ = [0-9]+' "$top/src/cli/exit.h" | sed 's/.* = //')
check "exit.h has exit codes" test -n "$codes"
tags "$ccon1" "EXIT STATUS" >"$T/exit-tags"
for c in $codes; do
	check "ccon(1) EXIT STATUS has $c" grep -qxF "$c" "$T/exit-tags"
done

# ---- the environment: every getenv() of src/ in an ENVIRONMENT section
for p in "${pages[@]}"; do tags "$T/$p.txt" ENVIRONMENT; done >"$T/env-tags"
envs=$( (grep -rhoE 'getenv\("[A-Za-z_][A-Za-z0-9_]*"\)' "$top/src"
	grep -rhoE 'xdg_(base|dir)\("[A-Z_]+"' "$top/src") | sed 's/.*("\([^"]*\)".*/\1/' | sort -u)
check "src/ reads environment variables" test -n "$envs"
for e in $envs; do
	check "an ENVIRONMENT section has $e" in_tags "$e" <"$T/env-tags"
done

# ---- ccon.conf(5): configuration keys, sections, theme areas
sed -n 's/.*\[K_[A-Z_]*\] = { "\([a-z_]*\)", \(SEC_[A-Z]*\) }.*/\1 \2/p' \
	"$top/src/core/settings.c" >"$T/conf-keys"
check "settings.c has keys" test -s "$T/conf-keys"
while read -r k sec; do
	case $sec in
	SEC_GLOBAL) s="GLOBAL SETTINGS" ;;
	SEC_PROFILE) s=PROFILES ;;
	*) s="KEY BINDINGS" ;;
	esac
	check "ccon.conf(5) $s has $k = ..." bash -c 'grep -qE "^$1 = " "$2"' _ "$k" <(tags "$conf5" "$s")
done <"$T/conf-keys"
for w in $(grep -oE 'memcmp\(p, "[a-z]+", [4-9]\)' "$top/src/core/settings.c" | sed 's/.*"\([a-z]*\)".*/\1/'); do
	case $w in
	bind) check "ccon.conf(5) KEY BINDINGS has bind KEY ACTION" \
		grep -qF "bind KEY ACTION" <(section "$conf5" "KEY BINDINGS") ;;
	keys) check "ccon.conf(5) has the [keys] section" grep -qF "[keys]" "$conf5" ;;
	*) check "ccon.conf(5) has the [$w NAME] section" grep -qF "[$w NAME]" "$conf5" ;;
	esac
done
grep -E '^	X\(' "$top/include/ccon/theme.h" | grep -oE 'X\([A-Z_]+, "[a-z-]+", [A-Z_]+\)'  |
	sed 's/X(\([A-Z_]*\), "\([a-z-]*\)", \([A-Z_]*\))/\1 \2 \3/' >"$T/areas"
check "theme.h has areas" test -s "$T/areas"
tags "$conf5" THEMES >"$T/theme-tags"
# fallback NAME FALLBACK - a THEMES tag names NAME, and the first "(...)"
# after it names FALLBACK
fallback() {
	local t rest
	while IFS= read -r t; do
		case ", $t," in *[\ ,]"$1"[\ ,]*) ;; *) continue ;; esac
		rest=${t#*"$1"}
		rest=${rest#*(}
		[ "${rest%%)*}" = "$2" ] && return 0
	done <"$T/theme-tags"
	return 1
}
while read -r e name fb; do
	if [ "$e" = "$fb" ]; then
		check "ccon.conf(5) THEMES has the area $name" in_tags "$name" <"$T/theme-tags"
	else
		fbname=$(awk -v f="$fb" '$1 == f { print $2 }' "$T/areas")
		check "ccon.conf(5) THEMES has the area $name ($fbname)" fallback "$name" "$fbname"
	fi
done <"$T/areas"

# ---- ccond(8): options, routes, command uris
"$CCOND_BIN" --help >"$T/dhelp" 2>&1
check "ccond --help runs" test -s "$T/dhelp"
tags "$ccond8" OPTIONS >"$T/dopt-tags"
for o in $(grep -oE -- '(^| )--?[A-Za-z][a-z-]*' "$T/dhelp" | tr -d ' ' | sort -u); do
	check "ccond(8) OPTIONS has $o" in_tags "$o" <"$T/dopt-tags"
done
app=$(sed -n 's/^#define APP "\(.*\)"$/\1/p' "$top/src/server/routes.c")
cat "$top"/src/server/routes*.c | grep -oE '\{ "(GET|POST|PUT|PATCH|DELETE)", (APP )?"[^"]*"' |
	sed -E 's/^\{ "([A-Z]+)", (APP )?"([^"]*)"$/\1 \2\3/' | sed "s|APP |$app|" >"$T/routes"
check "routes.c has routes" test -s "$T/routes"
tags "$ccond8" ENDPOINTS >"$T/route-tags"
while read -r m path; do
	check "ccond(8) ENDPOINTS has $m $path" grep -qE "^$m $(printf '%s' "$path" |
		sed 's/[][\.*^$|+?(){}]/\\&/g')(\\?.*)?\$" "$T/route-tags"
done <"$T/routes"
grep -oE '\[CCON_ROUTE_[A-Z0-9_]+\] = \{ "[^"]+", CCON_CMD_[A-Z]+ \}' "$top/src/core/codec_command.c" |
	sed 's/.*{ "\([^"]*\)", CCON_CMD_\([A-Z]*\) }/\2 \1/' >"$T/uris"
check "codec_command.c has uris" test -s "$T/uris"
section "$ccond8" ENDPOINTS >"$T/endpoints"
while read -r m uri; do
	m=${m,,}
	check "ccond(8) ENDPOINTS has $m $uri" grep -qE "$m $(printf '%s' "$uri" |
		sed 's/[][\.*^$|+?(){}]/\\&/g')([^/A-Za-z0-9{}]|\$)" "$T/endpoints"
done <"$T/uris"

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
