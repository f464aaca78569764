#!/bin/bash
# tests/docs/install.sh - `make install` puts every file where it belongs,
# and the installed ccon finds its themes there.
#
# In the build tree of CCON_BIN: `make install DESTDIR=scratch` must install
# ccon and ccond in $(bindir), the three man pages in their sections of
# $(mandir), every themes/*.theme of the source tree in $(pkgdatadir)/themes
# (libccon is internal: no library, no header); nothing else, and
# `make uninstall` takes everything away again. The directories are asked
# of the build's own Makefile. Then, at run time:
#   - the theme directory compiled into ccon (which it names when a theme is
#     missing), in the build and in the installed copy, is the one install
#     put the themes in;
#   - each installed theme loads by name (through CCON_THEMES_DIR, since the
#     prefix itself is not written to);
#   - $XDG_CONFIG_HOME/ccon/themes/NAME.theme wins over an installed theme of
#     the same name (a broken one there is reported with its own path; a good
#     one loads).
# A theme that loads lets the console go on to look for a terminal, which a
# test has not: "the console needs a terminal" means the theme was accepted.
: "${CCON_BIN:?CCON_BIN must point at the ccon binary}"

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "$(dirname "$CCON_BIN")" && pwd)
[ -f "$build/Makefile" ] || { echo "no Makefile beside $CCON_BIN"; exit 99; }
command -v make >/dev/null || { echo "make is required"; exit 99; }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share" \
	XDG_STATE_HOME="$T/home/.local/state" LC_ALL=C.UTF-8
mkdir -p "$HOME"
# a make of our own, not a job of the make that runs the tests
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS CCON_THEMES_DIR

checks=0
failures=0
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

# the installation directories, as the build's Makefile has them
printf 'print-dirs:\n\t@echo "$(bindir)|$(man1dir)|$(man5dir)|$(man8dir)|$(themedir)|$(pkgincludedir)"\n' \
	>"$T/dirs.mk"
IFS='|' read -r bindir man1dir man5dir man8dir themedir incdir \
	< <(make -s -C "$build" -f Makefile -f "$T/dirs.mk" print-dirs)
check "the Makefile names the directories" test -n "$bindir" -a -n "$themedir" -a -n "$man8dir"
echo "# bindir $bindir, themedir $themedir"

dest=$T/dest
make -s -C "$build" install DESTDIR="$dest" >"$T/install.log" 2>&1
rc=$?
check "make install DESTDIR=... succeeds" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/install.log" | tail -20

# every file that should be there
expect() { printf '%s\n' "$dest$1" >>"$T/expected"; }
: >"$T/expected"
expect "$bindir/ccon"
expect "$bindir/ccond"
expect "$man1dir/ccon.1"
expect "$man5dir/ccon.conf.5"
expect "$man8dir/ccond.8"
themes=()
for f in "$top"/themes/*.theme; do
	themes+=("$(basename "$f" .theme)")
	expect "$themedir/$(basename "$f")"
done
check "the source tree has themes" test "${#themes[@]}" -gt 0
while read -r f; do
	check "installed: ${f#"$dest"}" test -f "$f" -a -s "$f"
done <"$T/expected"
check "ccon and ccond are installed executable" test -x "$dest$bindir/ccon" -a -x "$dest$bindir/ccond"
for p in ccon.1:"$man1dir" ccon.conf.5:"$man5dir" ccond.8:"$man8dir"; do
	check "installed ${p%%:*} is the source's page" cmp -s "$top/man/${p%%:*}" "$dest${p#*:}/${p%%:*}"
done
for t in "${themes[@]}"; do
	check "installed $t.theme is the source's" cmp -s "$top/themes/$t.theme" "$dest$themedir/$t.theme"
done
# nothing else
(cd "$dest" && find . -type f | sed 's|^\.||' | sort) >"$T/installed"
sed "s|^$dest||" "$T/expected" | sort >"$T/expected.rel"
comm -23 "$T/installed" "$T/expected.rel" >"$T/extra"
check "nothing else is installed" test ! -s "$T/extra"
[ -s "$T/extra" ] && sed 's/^/# extra: /' "$T/extra"

# ---- the theme directory ccon looks in is where the themes went
# out_has TEXT COMMAND... - COMMAND's output holds TEXT (else it is shown)
out_has() {
	local text=$1
	shift
	"$@" </dev/null >"$T/out" 2>&1
	grep -qF -- "$text" "$T/out" || { sed 's/^/# /' "$T/out"; return 1; }
}
for bin in "$CCON_BIN" "$dest$bindir/ccon"; do
	check "$bin: an unknown theme is an error naming $themedir" \
		out_has "no-such-theme.theme in \$XDG_CONFIG_HOME/ccon/themes and $themedir)" \
		"$bin" --theme no-such-theme
done
# theme_ok THEMES-DIR THEME - the installed ccon accepts THEME, with
# CCON_THEMES_DIR=THEMES-DIR (empty: unset), and stops for want of a terminal
theme_ok() {
	out_has "the console needs a terminal" env ${1:+CCON_THEMES_DIR="$1"} \
		"$dest$bindir/ccon" --theme "$2"
}
for t in "${themes[@]}"; do
	check "the installed ccon loads the installed theme $t by name" \
		theme_ok "$dest$themedir" "$t"
done

# the installed copy never reads the source tree's themes (where they could
# hide a theme that install forgot); the build's own ccon does
t=${themes[0]}
[ "$t" = default ] && [ "${#themes[@]}" -gt 1 ] && t=${themes[1]}
if [ ! -e "$themedir/$t.theme" ]; then
	check "the installed ccon does not find $t in the source tree" \
		out_has "no theme '$t'" "$dest$bindir/ccon" --theme "$t"
fi
check "the build's ccon finds $t in the source tree" \
	out_has "the console needs a terminal" "$CCON_BIN" --theme "$t"

# ---- the user's theme of the same name wins (over one that is not built
# in, as default is)
t=${themes[0]}
[ "$t" = default ] && [ "${#themes[@]}" -gt 1 ] && t=${themes[1]}
mkdir -p "$XDG_CONFIG_HOME/ccon/themes"
printf 'color no-such-area red default\n' >"$XDG_CONFIG_HOME/ccon/themes/$t.theme"
check "\$XDG_CONFIG_HOME/ccon/themes/$t.theme is read before the installed $t" \
	out_has "$XDG_CONFIG_HOME/ccon/themes/$t.theme:1:7: unknown area" \
	env CCON_THEMES_DIR="$dest$themedir" "$dest$bindir/ccon" --theme "$t"
printf 'color title white blue bold\n' >"$XDG_CONFIG_HOME/ccon/themes/$t.theme"
check "a good \$XDG_CONFIG_HOME/ccon/themes/$t.theme loads" theme_ok "$dest$themedir" "$t"
printf 'color title white blue bold\n' >"$XDG_CONFIG_HOME/ccon/themes/only-mine.theme"
check "a theme only the user has loads by name" theme_ok "" only-mine

# ---- and make uninstall takes it all away
make -s -C "$build" uninstall DESTDIR="$dest" >"$T/uninstall.log" 2>&1
check "make uninstall DESTDIR=... succeeds" test $? -eq 0
check "make uninstall leaves no file" test -z "$(find "$dest" -type f)"

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
