#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh - build the initramfs of the MultiOS HV test VM.
#
#   mkinitramfs.sh --kver FULL --module KO --user UBUILD --out FILE [--files DIR]
#
# FILE = base archive + overlay archive, concatenated (the kernel unpacks
# one cpio after the other). Both are uncompressed newc cpio: the guest
# copies them faster than it would decompress them.
#
# base     cached in .cache/vm/<FULL>/base.cpio, rebuilt when this script,
#          busybox or the extracted kernel change: busybox with its applet
#          links, the directory skeleton, and the guest kernel's KVM
#          modules (plain .ko, with modules.dep) in /lib/modules/<FULL>/.
# overlay  rebuilt on every run (a few MB, ~0.05 s): /init, the module
#          as /mhv/multios_hv.ko, mhv in /mhv/bin, libmultios_hv in
#          /mhv/lib, /mhv/{selftests,selfcheck,examples,bench}/*, the
#          sample images (.bin, .elf) and configs of mhv run and the
#          experiment files (.json) in /mhv/samples, a Linux guest in
#          /mhv/linux (the guest kernel's own vmlinuz and the initramfs
#          of selftests/linux_guest), /mhv/demo.sh,
#          /mhv/bench.sh (if tools/testvm/bench.sh exists), the files of
#          --files DIR (the repository's vmfiles/ folder: a student's own
#          programs and images) in /mhv/files, and every shared library the
#          dynamically linked binaries need (ldd), the dynamic loader
#          included.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TVM=$ROOT/tools/testvm
KFULL='' MODULE='' UBUILD='' OUT='' FILES=''

usage() {
	echo "usage: mkinitramfs.sh --kver FULL --module KO --user UBUILD --out FILE [--files DIR]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--kver) KFULL=$2; shift 2 ;;
	--module) MODULE=$2; shift 2 ;;
	--user) UBUILD=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--files) FILES=$2; shift 2 ;;
	*) usage ;;
	esac
done
if [ -z "$KFULL" ] || [ -z "$MODULE" ] || [ -z "$UBUILD" ] || [ -z "$OUT" ]; then
	usage
fi
[ -f "$MODULE" ] || { echo "mkinitramfs: no module $MODULE (make module)" >&2; exit 1; }
[ -d "$UBUILD" ] || { echo "mkinitramfs: no user build $UBUILD (make user)" >&2; exit 1; }

KCACHE=$ROOT/.cache/kernels/$KFULL
VMDIR=$ROOT/.cache/vm/$KFULL
BUSYBOX=/bin/busybox
[ -f "$KCACHE/.stamp" ] || { echo "mkinitramfs: kernel $KFULL not in .cache (tools/deps.sh)" >&2; exit 1; }
mkdir -p "$VMDIR"

STAGE=
cleanup() { [ -z "$STAGE" ] || rm -rf "$STAGE"; }
trap cleanup EXIT

# cpio of the current directory, owned by root (pack -L: follow symlinks)
pack() { find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet "$@"; }

# ---- base archive ----------------------------------------------------------
build_base() {
	local s tmp applet
	s=$(mktemp -d "$VMDIR/.base.XXXXXX")
	STAGE=$s
	mkdir -p "$s"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,mnt}
	mkdir -p "$s"/{lib/x86_64-linux-gnu,lib64,mhv/bin,mhv/lib}
	cp "$BUSYBOX" "$s/bin/busybox"
	# busybox --list-full includes busybox itself: a link would replace it
	for applet in $("$BUSYBOX" --list-full); do
		case ${applet##*/} in busybox|linuxrc) continue ;; esac
		[ -e "$s/$applet" ] || ln -s /bin/busybox "$s/$applet"
	done
	# the built-in initramfs has /dev/console; this one is for safety
	mknod -m 600 "$s/dev/console" c 5 1 2>/dev/null || true
	printf 'root:x:0:0:root:/root:/bin/sh\n' > "$s/etc/passwd"
	printf 'root:x:0:\n' > "$s/etc/group"
	mkdir -p "$s/lib/modules"
	cp -a "$KCACHE/modules/lib/modules/$KFULL" "$s/lib/modules/"
	tmp=$VMDIR/.base.cpio.$$
	(cd "$s" && pack) > "$tmp"
	mv -f "$tmp" "$BASE"
	rm -rf "$s"
	STAGE=
}

BASE=$VMDIR/base.cpio
if [ ! -s "$BASE" ] || [ "${BASH_SOURCE[0]}" -nt "$BASE" ] ||
   [ "$BUSYBOX" -nt "$BASE" ] || [ "$KCACHE/.stamp" -nt "$BASE" ]; then
	build_base
fi

# ---- overlay -----------------------------------------------------------------
# Big files are staged as symlinks; cpio -L archives what they point to.
STAGE=$(mktemp -d "$VMDIR/.overlay.XXXXXX")
s=$STAGE
UBUILD=$(realpath "$UBUILD") MODULE=$(realpath "$MODULE")
link() { ln -s "$1" "$2"; }	# $1 absolute
mkdir -p "$s/mhv/bin" "$s/mhv/lib" "$s/mhv/selftests" "$s/mhv/selfcheck" \
	 "$s/mhv/examples"
install -m 755 "$TVM/init" "$s/init"
link "$MODULE" "$s/mhv/multios_hv.ko"
[ ! -f "$TVM/demo.sh" ] || install -m 755 "$TVM/demo.sh" "$s/mhv/demo.sh"
[ ! -f "$TVM/demo-linux.sh" ] ||
	install -m 755 "$TVM/demo-linux.sh" "$s/mhv/demo-linux.sh"
[ ! -f "$TVM/bench.sh" ] || install -m 755 "$TVM/bench.sh" "$s/mhv/bench.sh"
[ ! -f "$UBUILD/mhv" ] || link "$UBUILD/mhv" "$s/mhv/bin/mhv"
# a third-party netlink client (libnl-utils) for the trace tests
[ ! -x /usr/bin/genl-ctrl-list ] ||
	link /usr/bin/genl-ctrl-list "$s/mhv/bin/genl-ctrl-list"
for f in "$UBUILD"/libmultios_hv.so*; do
	[ ! -e "$f" ] || link "$f" "$s/mhv/lib/${f##*/}"
done
for d in selftests selfcheck examples bench; do
	[ -d "$UBUILD/$d" ] || continue
	mkdir -p "$s/mhv/$d"
	for f in "$UBUILD/$d"/*; do
		if [ -f "$f" ] && [ -x "$f" ]; then
			link "$f" "$s/mhv/$d/${f##*/}"
		fi
	done
done
# a Linux guest for multios_hv (selftests/linux_boot.c): the test VM's
# own kernel and the initramfs of selftests/linux_guest/init.c
mkdir -p "$s/mhv/linux"
link "$(realpath "$KCACHE/vmlinuz")" "$s/mhv/linux/vmlinuz"
[ ! -f "$UBUILD/linux_guest/initramfs.cpio" ] ||
	link "$UBUILD/linux_guest/initramfs.cpio" "$s/mhv/linux/initramfs.cpio"
[ ! -d "$UBUILD/samples" ] || mkdir -p "$s/mhv/samples"
for f in "$UBUILD"/samples/*.bin "$UBUILD"/samples/*.elf "$UBUILD"/samples/*.conf \
	 "$UBUILD"/samples/*.json; do
	[ ! -f "$f" ] || link "$f" "$s/mhv/samples/${f##*/}"
done
# mhv experiment report (experiment_e2e): poppler's pdftoppm and pdftotext
# for the checks, fontconfig's configuration and the DejaVu Sans faces of
# the reports (pango finds them through fontconfig)
for f in pdftoppm pdftotext; do
	[ ! -x "/usr/bin/$f" ] || link "/usr/bin/$f" "$s/mhv/bin/$f"
done
while read -r f; do
	mkdir -p "$s$(dirname "$f")"
	link "$f" "$s$f"
done < <(find /etc/fonts \( -type f -o -type l \) 2>/dev/null
	 ls /usr/share/fonts/truetype/dejavu/DejaVuSans{,-Bold,-Oblique,-BoldOblique}.ttf \
		2>/dev/null)
# A student's own files, copied as they are (cpio -L follows symlinks).
if [ -n "$FILES" ] && [ -d "$FILES" ]; then
	mkdir -p "$s/mhv/files"
	cp -a "$FILES/." "$s/mhv/files/"
fi

# Shared libraries of the dynamically linked files (readelf in one go
# finds them: an interpreter or a dynamic section), linked at the same
# path in the guest.
mapfile -t dyn < <(find -L "$s/mhv" -type f ! -name '*.ko' -print0 |
	xargs -0r readelf -lW 2>/dev/null |
	awk '/^File: / { f = $2 } / DYNAMIC / && f != "" { print f; f = "" }')
declare -A LIBS=()
for f in "${dyn[@]}"; do
	while read -r lib; do
		LIBS[$lib]=1
	done < <(LD_LIBRARY_PATH=$s/mhv/lib ldd "$f" 2>/dev/null |
		 grep -o '/[^ ]*' | grep -v "^$s/" || true)
done
for lib in "${!LIBS[@]}"; do
	[ -e "$lib" ] || continue
	mkdir -p "$s$(dirname "$lib")"
	[ -e "$s$lib" ] || link "$lib" "$s$lib"
done

tmp=$OUT.tmp.$$
{ cat "$BASE"; (cd "$s" && pack -L); } > "$tmp"
mv -f "$tmp" "$OUT"
