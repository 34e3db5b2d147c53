#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kver.sh [KVER] - print the full release of a Debian guest kernel.
#
#   kver.sh            same as kver.sh 6.1
#   kver.sh 6.1        newest installed linux-headers-6.1.0-NN-amd64 -> 6.1.0-NN-amd64
#   kver.sh 6.12       installed linux-headers-6.12.*+deb12-amd64   -> 6.12.x+deb12-amd64
#   kver.sh FULL       any full release is printed unchanged
#
# With no headers installed yet, the name comes from the apt package lists
# (the release tools/deps.sh is going to install). Prints only the release;
# prints nothing and exits 1 if it cannot be resolved.
set -euo pipefail

want=${1:-6.1}

# newest installed release whose headers directory matches a glob
installed() {
	local d rel=
	for d in /usr/src/linux-headers-$1; do
		[ -f "$d/Makefile" ] || continue
		rel=$(printf '%s\n%s\n' "$rel" "${d#/usr/src/linux-headers-}" |
			sed '/^$/d' | sort -V | tail -n1)
	done
	printf '%s' "$rel"
}

# release of the linux-headers-<release> package a metapackage depends on
from_apt() {
	apt-cache depends "$1" 2>/dev/null |
		sed -n "s/^ *Depends: linux-headers-\\($2\\)\$/\\1/p" |
		sort -V | tail -n1
}

case $want in
6.1)
	rel=$(installed '6.1.0-*-amd64')
	[ -n "$rel" ] || rel=$(from_apt linux-headers-amd64 '6\.1\.0-[0-9]*-amd64')
	;;
6.12)
	rel=$(installed '6.12.*+deb12-amd64')
	[ -n "$rel" ] || rel=$(from_apt linux-headers-6.12-amd64 '6\.12\..*-amd64')
	;;
*)
	rel=$want
	;;
esac
[ -n "$rel" ] || exit 1
echo "$rel"
