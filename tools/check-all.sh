#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-all.sh - every test lane (make check-all, what .ci/run runs).
#
#   tools/check-all.sh
#
# Runs each lane's make target in turn (a failed lane does not stop the
# next), prints one summary line per lane and, last, the sums:
# "N passed, N failed" (", N skipped" when some skipped). Exit 1 if any
# lane failed or did not get as far as its result line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# One make invocation per lane; each must end with "N passed, N failed[, N skipped]".
LANES=(
	"check KVER=6.1"	# SVM lane, QEMU TCG, Debian 6.1 kernel
	"check KVER=6.12"	# SVM lane, QEMU TCG, Debian 6.12 kernel
	"check-vmx"		# VT-x lane, Bochs Skylake-X, Debian 6.1 kernel
)

OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
P=0 F=0 S=0
ROWS=()
RESULT_RE='^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$'

for lane in "${LANES[@]}"; do
	printf '\n######## make %s\n' "$lane"
	start=$SECONDS
	rc=0
	# shellcheck disable=SC2086 # a lane is a target plus variables
	make -C "$ROOT" --no-print-directory $lane </dev/null 2>&1 | tee "$OUT" ||
		rc=${PIPESTATUS[0]}
	# the lane's result line (make may print its own error after it)
	last=$(grep -E "$RESULT_RE" "$OUT" | tail -n1 || true)
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
	ROWS+=("$(printf '  %-18s %4ds  %s' "$lane" $((SECONDS - start)) "$last")")
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
