#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-all.sh - every test lane (make check-all, what .ci/run runs).
#
#   tools/check-all.sh
#
# Builds everything once, then runs the lanes: the VT-x lane (Bochs, one
# emulated CPU, one host thread, the longest) in the background while
# the two QEMU lanes and then the Bochs SVM lane (a subset of the
# selftests, SVM_BOCHS_TESTS in the Makefile) run one after the other in
# the foreground, on the other core. On a 2-core machine the run takes
# about as long as the longer of the two sides, not the sum of all four.
# Each lane's output is printed whole, in lane order, once it is known. A failed lane does not stop the others. Then
# one summary line per lane and, last, the sums: "N passed, N failed"
# (", N skipped" when some skipped). Exit 1 if any lane failed or did
# not get as far as its result line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# One make invocation per lane; each must end with "N passed, N failed[, N skipped]".
LANES=(
	"check KVER=6.1"	# SVM lane, QEMU TCG, Debian 6.1 kernel
	"check KVER=6.12"	# SVM lane, QEMU TCG, Debian 6.12 kernel
	"check-vmx"		# VT-x lane, Bochs Skylake-X, Debian 6.1 kernel
	"check-svm-bochs"	# SVM lane, Bochs Ryzen (NRIP save, flush-by-ASID), 6.1
)
BACKGROUND="check-vmx"		# the lane that runs beside the others

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
P=0 F=0 S=0
ROWS=()
RESULT_RE='^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$'

# Build once, so that lanes running side by side find nothing to rebuild.
make -C "$ROOT" --no-print-directory all KVER=6.1 </dev/null
make -C "$ROOT" --no-print-directory module KVER=6.12 </dev/null

# run_lane INDEX: the lane's output to $TMP/INDEX.out, its time and exit
# code to $TMP/INDEX.rc
run_lane() {
	local i=$1 start=$SECONDS rc=0

	# shellcheck disable=SC2086 # a lane is a target plus variables
	make -C "$ROOT" --no-print-directory ${LANES[$i]} </dev/null \
		>"$TMP/$i.out" 2>&1 || rc=$?
	echo "$rc $((SECONDS - start))" >"$TMP/$i.rc"
}

bg_pid=
for i in "${!LANES[@]}"; do
	if [ "${LANES[$i]}" = "$BACKGROUND" ]; then
		run_lane "$i" &
		bg_pid=$!
	fi
done
for i in "${!LANES[@]}"; do
	[ "${LANES[$i]}" = "$BACKGROUND" ] || run_lane "$i"
done
[ -z "$bg_pid" ] || wait "$bg_pid" || true

for i in "${!LANES[@]}"; do
	lane=${LANES[$i]}
	printf '\n######## make %s\n' "$lane"
	cat "$TMP/$i.out"
	read -r rc secs <"$TMP/$i.rc"
	# the lane's result line (make may print its own error after it)
	last=$(grep -E "$RESULT_RE" "$TMP/$i.out" | tail -n1 || true)
	if [[ $last =~ $RESULT_RE ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[4]:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			last+=" (but make exited $rc)"
		fi
	else
		p=0 f=1 s=0
		last="did not finish (make exited $rc, no result line)"
	fi
	P=$((P + p)); F=$((F + f)); S=$((S + s))
	ROWS+=("$(printf '  %-18s %4ds  %s' "$lane" "$secs" "$last")")
done

printf '\n######## all lanes\n'
printf '%s\n' "${ROWS[@]}"
if [ ${#ROWS[@]} -ne ${#LANES[@]} ]; then
	echo "  check-all.sh: only ${#ROWS[@]} of ${#LANES[@]} lanes ran"
	F=$((F + 1))
fi
line="$P passed, $F failed"
[ "$S" -eq 0 ] || line+=", $S skipped"
echo "$line"
[ "$F" -eq 0 ] || exit 1
