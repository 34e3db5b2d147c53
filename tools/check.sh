#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh - the driver of `make check` for one guest kernel.
#
#   tools/check.sh --kver FULL --kdir KDIR --module KO --user UBUILD [--tests a,b]
#
# Stages (each one's output is shown; a failed stage does not stop the
# others):
#   unit       UBUILD/unit/test_userlib (CUnit, on the host); its "Run
#              Summary" tests row gives passed/failed (inactive = skipped)
#   install    tools/check-install.sh: make install PREFIX=<tmp>, then
#              programs built with pkg-config against that copy: 1 test
#   vm         tools/testvm/run.sh --mode check: selftests, examples,
#              module load/unload, guest kernel health
#   selfcheck  the harness must catch a failing test and count the passing
#              one next to it (mode selfcheck-fail), and catch a guest
#              kernel panic (mode selfcheck-panic): 1 test each
#   lint       tools/lint.sh (checkpatch, sparse, W=1): 1 test
# With --tests only unit, install and vm run (vm filtered to those tests).
# Last line: "N passed, N failed" (", N skipped" when some skipped);
# exit 1 if anything failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KFULL='' KDIR='' MODULE='' UBUILD='' TESTS=''
usage() {
	echo "usage: check.sh --kver FULL --kdir KDIR --module KO --user UBUILD [--tests a,b]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--kver) KFULL=$2; shift 2 ;;
	--kdir) KDIR=$2; shift 2 ;;
	--module) MODULE=$2; shift 2 ;;
	--user) UBUILD=$2; shift 2 ;;
	--tests) TESTS=$2; shift 2 ;;
	*) usage ;;
	esac
done
if [ -z "$KFULL" ] || [ -z "$KDIR" ] || [ -z "$MODULE" ] || [ -z "$UBUILD" ]; then
	usage
fi

RUN=$ROOT/tools/testvm/run.sh
VMARGS=(--kver "$KFULL" --module "$MODULE" --user "$UBUILD")
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

P=0 F=0 S=0
ROWS=()
# record STAGE PASSED FAILED SKIPPED [NOTE]
record() {
	P=$((P + $2)); F=$((F + $3)); S=$((S + $4))
	ROWS+=("$(printf '%-32s %6d %6d %7d  %s' "$1" "$2" "$3" "$4" \
		"${5:-$([ "$3" -eq 0 ] && echo ok || echo FAILED)}")")
}
stage() { printf '\n==== %s\n' "$*"; }

# "vm: N passed, N failed, N skipped" (last such line of OUT) -> "N N N"
vm_counts() {
	sed -n 's/^vm: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' \
		"$OUT" | tail -n1
}

# ---- unit ---------------------------------------------------------------------------
stage "unit: CUnit tests of libmultios_hv (host)"
UNIT=$UBUILD/unit/test_userlib
if [ -x "$UNIT" ]; then
	rc=0
	"$UNIT" </dev/null 2>&1 | tee "$OUT" || rc=${PIPESTATUS[0]}
	# Run Summary:  Type  Total  Ran  Passed  Failed  Inactive
	#              tests      5    5       5       0         0
	read -r total ran pass fail inactive < <(awk '
		/Run Summary/ { rs = 1 }
		rs && $1 == "tests" { print $2, $3, $4, $5, $6; exit }' "$OUT") || true
	if [ -z "${fail:-}" ]; then
		record unit 0 1 0 "FAILED (no CUnit Run Summary, exit code $rc)"
	else
		# tests that neither ran nor were inactive (failed suite setup)
		notrun=$((total - ran - inactive))
		[ "$notrun" -gt 0 ] || notrun=0
		fail=$((fail + notrun))
		note=
		if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
			fail=1
			note="FAILED (exit code $rc)"
		fi
		record unit "$pass" "$fail" "$inactive" "$note"
	fi
else
	echo "missing $UNIT (make user)"
	record unit 0 1 0 "FAILED (no test binary)"
fi

# ---- install ----------------------------------------------------------------------
stage "install: make install PREFIX=<tmp>, a pkg-config build against it"
if "$ROOT/tools/check-install.sh" "$KFULL"; then
	record install 1 0 0
else
	record install 0 1 0
fi

# ---- vm -------------------------------------------------------------------------------
stage "vm: selftests and examples in the test VM ($KFULL)"
args=("${VMARGS[@]}" --mode check)
[ -z "$TESTS" ] || args+=(--tests "$TESTS")
rc=0
"$RUN" "${args[@]}" 2>&1 | tee "$OUT" || rc=${PIPESTATUS[0]}
read -r p f s < <(vm_counts) || true
if [ -z "${p:-}" ]; then
	record vm 0 1 0 "FAILED (run.sh exit code $rc, no result line)"
elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
	record vm "$p" 1 "$s" "FAILED (run.sh exit code $rc)"
else
	record vm "$p" "$f" "$s"
fi

if [ -n "$TESTS" ]; then
	stage "selfcheck and lint: not run (only the tests $TESTS)"
else
	# ---- harness self-check -----------------------------------------------------
	# selftests/selfcheck/fail.c has one passing and one failing test:
	# both halves must be counted, the pass as passed and the failure
	# as failed, and the run must fail.
	stage "selfcheck: a deliberately failing test must be reported, its passing neighbour counted (the FAIL lines below are expected)"
	rc=0
	"$RUN" "${VMARGS[@]}" --mode selfcheck-fail 2>&1 | tee "$OUT" || rc=${PIPESTATUS[0]}
	want='  FAIL selfcheck/fail  (1 passed, 1 failed, 0 skipped, exit code 1)'
	if [ "$rc" -ne 0 ] && grep -qxF "$want" "$OUT"; then
		record selfcheck_failing_test_detected 1 0 0
	else
		got=$(grep -m1 -E '^  (PASS|FAIL|SKIP) selfcheck/fail ' "$OUT" ||
		      echo "no result for selfcheck/fail")
		record selfcheck_failing_test_detected 0 1 0 \
			"FAILED (run.sh exit code $rc; want '${want# }', got '${got# }')"
	fi

	stage "selfcheck: a guest kernel panic must be reported (the panic and FAIL lines below are expected)"
	rc=0
	"$RUN" "${VMARGS[@]}" --mode selfcheck-panic 2>&1 | tee "$OUT" || rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ] && grep -q '^  FAIL kernel_panic ' "$OUT"; then
		record selfcheck_panic_detected 1 0 0
	else
		record selfcheck_panic_detected 0 1 0 "FAILED (run.sh exit code $rc, no kernel_panic)"
	fi

	# ---- lint --------------------------------------------------------------------------
	stage "lint: checkpatch --strict, sparse, W=1 ($KDIR)"
	if "$ROOT/tools/lint.sh" --kdir "$KDIR"; then
		record lint 1 0 0
	else
		record lint 0 1 0
	fi
fi

# ---- summary --------------------------------------------------------------------------
stage "summary: make check on $KFULL"
printf '%-32s %6s %6s %7s  %s\n' stage passed failed skipped result
printf '%s\n' "${ROWS[@]}"
line="$P passed, $F failed"
[ "$S" -eq 0 ] || line+=", $S skipped"
echo "$line"
[ "$F" -eq 0 ] || exit 1
