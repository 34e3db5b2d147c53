#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh - static checks of the kernel module (make lint).
#
#   tools/lint.sh --kdir /usr/src/linux-headers-<release>
#
# 1. checkpatch.pl --strict --no-tree -f on kmod/**/*.[ch] and
#    uapi/linux/*.h (checkpatch comes from linux-source-6.1, see deps.sh);
# 2. a separate W=1 build of the module with sparse on every file (C=2),
#    in .cache/build/lint-<release>/; every "warning:" or "error:" line is
#    a finding (except kbuild's "Skipping BTF generation"), and so are
#    modpost's WARNING/ERROR lines.
# Quiet when clean; prints the findings otherwise. Last line "lint: ok"
# or "lint: N findings" (exit 1).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KDIR=''
while [ $# -gt 0 ]; do
	case $1 in
	--kdir) KDIR=$2; shift 2 ;;
	*) echo "usage: lint.sh --kdir KDIR" >&2; exit 2 ;;
	esac
done
if [ -z "$KDIR" ] || [ ! -f "$KDIR/Makefile" ]; then
	echo "lint.sh: --kdir must name a kernel build directory" >&2
	exit 2
fi

CHECKPATCH=$ROOT/.cache/src/checkpatch/checkpatch.pl
[ -f "$CHECKPATCH" ] || { echo "lint.sh: no $CHECKPATCH (tools/deps.sh)" >&2; exit 2; }
cd "$ROOT"
findings=0

# ---- checkpatch -----------------------------------------------------------------
mapfile -t files < <(find kmod -name '*.[ch]' | LC_ALL=C sort; ls uapi/linux/*.h)
if [ ${#files[@]} -gt 0 ]; then
	out=$(perl "$CHECKPATCH" --strict --no-tree --quiet --show-types \
		-f "${files[@]}" 2>&1) || true
	n=$(grep -cE '^(ERROR|WARNING|CHECK):' <<<"$out" || true)
	if [ -n "$out" ]; then
		echo "== checkpatch --strict: $n finding(s)"
		echo "$out"
		# checkpatch itself failing (no finding counted) is a finding too
		[ "$n" -gt 0 ] || n=1
	fi
	findings=$((findings + n))
fi

# ---- sparse + W=1 -------------------------------------------------------------------
# the release the headers are for (Debian's 6.1 kernel.release file says
# 6.1.x, the directory name 6.1.0-NN-amd64)
rel=$(basename "$(cd "$KDIR" && pwd)")
rel=${rel#linux-headers-}
B=$ROOT/.cache/build/lint-$rel
rm -rf "$B"
mkdir -p "$B"
cp -r Kbuild kmod uapi "$B/"
rc=0
out=$(make -C "$KDIR" M="$B" W=1 C=2 CHECK=sparse modules 2>&1) || rc=$?
bad=$(grep -E 'warning:|error:|^(WARNING|ERROR): modpost' <<<"$out" |
      grep -v 'Skipping BTF generation' | sed "s|$B/||g" || true)
n=0
[ -z "$bad" ] || n=$(wc -l <<<"$bad")
if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then
	bad=$(tail -n 20 <<<"$out")
	n=1
fi
if [ "$n" -gt 0 ]; then
	echo "== sparse and W=1 build ($rel): $n finding(s)"
	echo "$bad"
fi
findings=$((findings + n))

if [ "$findings" -gt 0 ]; then
	echo "lint: $findings findings"
	exit 1
fi
echo "lint: ok"
