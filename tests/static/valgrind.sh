#!/bin/bash
# tests/static/valgrind.sh BUILDDIR SRCDIR TEST... - the screen tests and the
# CLI tests (tests/tui/*.sh, tests/cli/*.sh) with every ccon and ccond they
# start under valgrind memcheck; `make valgrind-check` runs it on TUI_TESTS and
# CLI_TESTS. Needs a build without sanitizers (-O1 -g is a good choice):
#   ./configure CFLAGS="-O1 -g" && make && make valgrind-check
# Passes when every test passes and no process has a memcheck error or a
# definite leak. One log a process in $VG_LOGS (default: BUILDDIR/valgrind-logs,
# emptied first). TEST_SLOW (default 10) multiplies the tests' waits;
# VALGRIND_OPTS adds options (e.g. --track-origins=yes).
set -u
build=${1:?usage: valgrind.sh BUILDDIR SRCDIR TEST...}
src=${2:?usage: valgrind.sh BUILDDIR SRCDIR TEST...}
shift 2
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is required (apt-get install valgrind)"; exit 1; }
for b in ccon ccond; do
	[ -x "$build/$b" ] || { echo "valgrind.sh: $build/$b: not built (make first)"; exit 1; }
	if nm "$build/$b" 2>/dev/null | grep -q '__asan_init\|__tsan_init'; then
		echo "valgrind.sh: $build/$b is built with a sanitizer: valgrind needs a plain build" \
			"(./configure CFLAGS=\"-O1 -g\")"
		exit 1
	fi
done
logs=${VG_LOGS:-$build/valgrind-logs}
rm -rf "$logs"
mkdir -p "$logs/bin"
# the wrappers exec, so a test's pid is the program's (signals, kill -STOP)
for b in ccon ccond; do
	cat >"$logs/bin/$b" <<WRAP
#!/bin/sh
exec valgrind --error-exitcode=113 --leak-check=full --errors-for-leak-kinds=definite \\
	--show-leak-kinds=definite --num-callers=40 \\
	--suppressions='$src/tests/static/valgrind.supp' ${VALGRIND_OPTS:-} \\
	--log-file='$logs/$b.%p.log' '$build/$b' "\$@"
WRAP
	chmod +x "$logs/bin/$b"
done
export CCON_BIN="$logs/bin/ccon" CCOND_BIN="$logs/bin/ccond" \
	FAULTPROXY_BIN="$build/tests/tools/faultproxy" TEST_SLOW=${TEST_SLOW:-10}

# Checks that cannot pass under valgrind, whatever the program does:
# "TEST: DESCRIPTION" as the test prints it after "not ok N - ".
#  - valgrind gives the program a copy of its environment on its own stack;
#    /proc/PID/environ still shows the original, which the program cannot wipe.
known="tests/tui/config.sh: the token's variable is emptied in the running console"

start=$SECONDS
failed_tests=()
for t in "$@"; do
	case $t in /*) ;; *) t="$src/$t" ;; esac
	name=${t#"$src"/}
	out="$logs/${name//\//_}.out"
	t0=$SECONDS
	bash "$t" >"$out" 2>&1
	rc=$?
	unexpected=$(sed -n 's/^not ok [0-9]* - //p' "$out" | while IFS= read -r what; do
		printf '%s\n' "$known" | grep -qxF -- "$name: ${what%%: *}" || echo "$what"
	done)
	if [ $rc -eq 0 ] || { [ -z "$unexpected" ] && grep -q '^not ok' "$out"; }; then
		echo "PASS: $name ($((SECONDS - t0)) s)$(grep -q '^not ok' "$out" &&
			echo ", a check valgrind cannot pass")"
	else
		echo "FAIL: $name ($((SECONDS - t0)) s, see $out)"
		printf '%s\n' "$unexpected" | sed 's/^/    not ok - /'
		failed_tests+=("$name")
	fi
done

# every process's verdict: "ERROR SUMMARY: N errors" counts the definite
# leaks too (--errors-for-leak-kinds=definite); a log without one is a
# process killed by SIGKILL (a crash test) or still running
procs=0 bad=0 unfinished=0
for log in "$logs"/*.log; do
	[ -e "$log" ] || continue
	procs=$((procs + 1))
	summary=$(grep -E '^==[0-9]+== ERROR SUMMARY: ' "$log" | tail -1)
	if [ -z "$summary" ]; then
		unfinished=$((unfinished + 1))
		# the errors before the end still count
		grep -qE '^==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Mismatched|Source and destination)' "$log" || continue
	elif echo "$summary" | grep -q 'ERROR SUMMARY: 0 errors'; then
		continue
	fi
	bad=$((bad + 1))
	echo "== $log: $(sed -n 's/^==[0-9]*== Command: //p' "$log" | head -1)"
	grep -E '^==[0-9]+== ' "$log" | sed -n '/Command:/,$p' | grep -vE 'Copyright|Using Valgrind|Command:|Parent PID' | head -60
done
echo "valgrind: ${#failed_tests[@]} of $# tests failed, $procs processes, $bad with errors or" \
	"definite leaks, $unfinished ended without a summary (killed), $((SECONDS - start)) s"
[ ${#failed_tests[@]} -eq 0 ] && [ "$bad" -eq 0 ]
