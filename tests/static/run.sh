#!/bin/bash
# tests/static/run.sh SRCDIR BUILDDIR - the static checks of `make static`:
# clang-tidy (SRCDIR/.clang-tidy) and cppcheck over every .c of src/. Exits
# non-zero on any finding, or when a tool is missing. BUILDDIR holds config.h.
# Environment: STATIC_CFLAGS (the build's -I and -D flags; `make static`
# passes configure's, the default asks pkg-config), CLANG_TIDY and CPPCHECK
# (the programs), STATIC_JOBS (parallel clang-tidy runs, default: the cores).
# cppcheck's false positives go to tests/static/cppcheck.supp, each with its
# reason; clang-tidy's to a NOLINT(check) comment where they are.
set -u
src=$(cd "${1:?usage: run.sh SRCDIR BUILDDIR}" && pwd)
build=$(cd "${2:?usage: run.sh SRCDIR BUILDDIR}" && pwd)
tidy=${CLANG_TIDY:-clang-tidy}
cppcheck=${CPPCHECK:-cppcheck}
jobs=${STATIC_JOBS:-$(nproc 2>/dev/null || echo 2)}
for tool in "$tidy" "$cppcheck"; do
	command -v "$tool" >/dev/null ||
		{ echo "run.sh: $tool not found (apt-get install clang-tidy cppcheck)"; exit 1; }
done
[ -f "$build/config.h" ] || { echo "run.sh: $build/config.h missing: run configure first"; exit 1; }
if [ -z "${STATIC_CFLAGS:-}" ]; then
	STATIC_CFLAGS="-D_GNU_SOURCE -I$src/include -I$build $(pkg-config --cflags \
		libcurl libcjson ncursesw libmicrohttpd sqlite3)" ||
		{ echo "run.sh: pkg-config failed: give STATIC_CFLAGS"; exit 1; }
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$src" || exit 1
mapfile -t files < <(find src -name '*.c' | LC_ALL=C sort)
start=$SECONDS

# clang-tidy, one process a file; a header's finding shows once
export tidy out STATIC_CFLAGS
printf '%s\n' "${files[@]}" |
	xargs -P "$jobs" -I{} sh -c '"$tidy" --quiet "$1" -- -std=c11 $STATIC_CFLAGS \
		>"$out/$(echo "$1" | tr / _).tidy" 2>&1' sh {}
cat "$out"/*.tidy | grep -E ': (warning|error): ' | sed "s|^$src/||" | LC_ALL=C sort -u >"$out/tidy.txt"
tidy_n=$(wc -l <"$out/tidy.txt")
if [ "$tidy_n" -gt 0 ]; then
	# each finding with the lines clang-tidy printed under it
	for f in "$out"/*.tidy; do
		grep -qE ': (warning|error): ' "$f" && grep -vE '^[0-9]+ warnings? (and [0-9]+ errors? )?generated|^Suppressed|^Use -header-filter|^Error while processing' "$f"
	done | awk '!seen[$0]++ || !/: (warning|error): /'
fi
echo "clang-tidy: $tidy_n findings in ${#files[@]} files ($((SECONDS - start)) s)"

# cppcheck: one configuration (the build's), no system headers.
# variableScope is off: declaring locals at the top of a block is the style.
start=$SECONDS
"$cppcheck" -q -j "$jobs" --std=c11 --enable=warning,style,performance,portability \
	--inline-suppr --suppress=variableScope \
	--suppressions-list="$src/tests/static/cppcheck.supp" \
	--library=posix --library="$src/tests/static/ccon.cfg" \
	-D_GNU_SOURCE -DLIBCURL_VERSION_NUM=0x075800 -DCCON_BUILD_DIR="\"$build\"" \
	-I include -I "$build" \
	--template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
	"${files[@]}" 2>"$out/cppcheck.txt"
grep -E ': (error|warning|style|performance|portability|information): ' "$out/cppcheck.txt" |
	LC_ALL=C sort -u >"$out/cppcheck.found"
cpp_n=$(wc -l <"$out/cppcheck.found")
[ "$cpp_n" -gt 0 ] && cat "$out/cppcheck.txt"
echo "cppcheck: $cpp_n findings in ${#files[@]} files ($((SECONDS - start)) s)"
[ "$tidy_n" -eq 0 ] && [ "$cpp_n" -eq 0 ]
