#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# known-tests.sh UBUILD a,b,...: every name of a --tests / TESTS= list
# must be a selftest or an example the build has (NAME or DIR/NAME, as
# the test VM's /init matches them); a misspelled name would otherwise
# select nothing and the run would be green with no test in it.
# Exit 0, or 2 with the unknown names and the known ones.
set -euo pipefail
UBUILD=$1 TESTS=$2
bad=()
IFS=, read -r -a names <<<"$TESTS"
for n in "${names[@]}"; do
	[ -n "$n" ] || continue
	case $n in
	*/*) [ -x "$UBUILD/$n" ] || bad+=("$n") ;;
	*) [ -x "$UBUILD/selftests/$n" ] || [ -x "$UBUILD/examples/$n" ] ||
		bad+=("$n") ;;
	esac
done
[ ${#bad[@]} -eq 0 ] && exit 0
echo "unknown test(s): ${bad[*]}" >&2
echo "known: $(cd "$UBUILD" && ls selftests examples | grep -v ':$' | sort -u | tr '\n' ' ')" >&2
exit 2
