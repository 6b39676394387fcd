# SPDX-License-Identifier: GPL-2.0-only
#
# TAP helpers for the project's shell tests; source this file.
#
#   ok STATUS DESCRIPTION   an "ok" (STATUS 0) or "not ok" line; on a
#                           failure with TAP_SHOW_OUTPUT=N (N > 0) and W set,
#                           the first N lines of $W/out and $W/err follow
#                           as diagnostics
#   run CMD...              CMD's stdout in $W/out, stderr in $W/err, its
#                           exit status in rc
#   expect_rc WANT DESC     a test that rc is WANT
#   tap_plan                "1..n", for a plan printed at the end
#
# and for the runners that print each test program's TAP as "# " lines
# under one line of their own (kselftest style):
#
#   tap_need FILE HINT      true if FILE is executable, else a "# FILE is
#                           missing (HINT)" line, rc=1 and false
#   tap_indent CMD...       CMD's stdout and stderr as "# " lines, its exit
#                           status in rc
#   tap_result SUITE NAME RC  "ok n - selftests: SUITE: NAME", or with an
#                           RC other than 0 "not ok n - ... # exit=RC"
#   tap_prog SUITE NAME HINT PROG [ARGS...]
#                           all of it for one program: "# selftests: SUITE:
#                           NAME", PROG run (a missing PROG fails), its
#                           result line
#   tap_summary LABEL       "# LABEL: X passed, Y failed"; true if none
#                           failed
#
# n counts the tests, failed the failures.

n=0
failed=0
rc=0
TAP_SHOW_OUTPUT=${TAP_SHOW_OUTPUT:-0}

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
		return
	fi
	echo "not ok $n - $2"
	failed=$((failed + 1))
	if [ "$TAP_SHOW_OUTPUT" -gt 0 ] && [ -n "${W:-}" ]; then
		sed 's/^/# /' "$W/out" "$W/err" 2>/dev/null | head -n "$TAP_SHOW_OUTPUT"
	fi
}

run() {
	"$@" >"$W/out" 2>"$W/err"
	rc=$?
}

expect_rc() {
	[ "$rc" = "$1" ] || echo "# exit status $rc, expected $1"
	ok "$([ "$rc" = "$1" ]; echo $?)" "$2"
}

tap_plan() {
	echo "1..$n"
}

tap_need() {
	[ -x "$1" ] && return 0
	echo "# $1 is missing ($2)"
	rc=1
	return 1
}

tap_indent() {
	"$@" 2>&1 | sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
}

tap_result() {
	n=$((n + 1))
	if [ "$3" -eq 0 ]; then
		echo "ok $n - selftests: $1: $2"
	else
		echo "not ok $n - selftests: $1: $2 # exit=$3"
		failed=$((failed + 1))
	fi
}

tap_prog() {
	local suite=$1 name=$2 hint=$3

	shift 3
	echo "# selftests: $suite: $name"
	if tap_need "$1" "$hint"; then
		tap_indent "$@"
	fi
	tap_result "$suite" "$name" "$rc"
}

tap_summary() {
	echo "# $1: $((n - failed)) passed, $failed failed"
	[ "$failed" -eq 0 ]
}
