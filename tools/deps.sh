#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - install what MultiOS HV needs, from Debian packages only.
#
#   tools/deps.sh
#
# Called by every make target. Idempotent: when everything is present it
# only looks (no network, well under a second).
#
# - host packages (compiler, QEMU, busybox, libnl, CUnit, sparse, ...) and
#   the linux-headers of both guest kernels (6.1.0-NN-amd64 and
#   6.12.x+deb12-amd64; see tools/testvm/kver.sh) with apt-get;
# - the guest kernel images, downloaded with `apt-get download` (never
#   installed: no initramfs trigger, /boot untouched) and extracted into
#   .cache/kernels/<release>/ (vmlinuz, root/, and the KVM modules plus
#   their dependencies, uncompressed, under modules/lib/modules/<release>);
# - kselftest_harness.h, kselftest.h and checkpatch.pl from linux-source-6.1
#   into .cache/src/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=$ROOT/.cache
KVER_SH=$ROOT/tools/testvm/kver.sh

# Bump when the layout of .cache/kernels or .cache/src changes: the stamps
# of an older layout are then redone (from the .debs already downloaded).
LAYOUT=2

PKGS=(build-essential bc kmod xz-utils pkg-config perl qemu-system-x86
      busybox-static cpio libnl-3-dev libnl-genl-3-dev libnl-utils libcunit1-dev libgsl-dev libjson-c-dev libcairo2-dev libpango1.0-dev poppler-utils fonts-dejavu-core sparse
      bochs bochsbios vgabios isolinux syslinux-common xorriso)
SERIES=(6.1 6.12)
# guest modules the test VM (and the benchmarks) load, with their deps
GUEST_MODULES=(kvm kvm-amd kvm-intel irqbypass ccp)

log() { echo "deps: $*" >&2; }
die() { log "error: $*"; exit 1; }

stamp_ok() { [ "$(cat "$1" 2>/dev/null)" = "$LAYOUT" ]; }

# ---- fast path: everything present -> exit without touching anything ------
all_present() {
	local s rel want=() st
	for s in "${SERIES[@]}"; do
		rel=$("$KVER_SH" "$s" 2>/dev/null) || return 1
		want+=("linux-headers-$rel")
		stamp_ok "$CACHE/kernels/$rel/.stamp" || return 1
	done
	stamp_ok "$CACHE/src/.stamp" || return 1
	st=$(dpkg-query -W -f='${db:Status-Abbrev}\n' "${PKGS[@]}" "${want[@]}" \
		2>/dev/null) || return 1
	[ "$(grep -c '^ii' <<<"$st")" -eq $((${#PKGS[@]} + ${#want[@]})) ]
}
all_present && exit 0

# ---- slow path (serialized: several make runs may start at once) ----------
mkdir -p "$CACHE"
exec 9>"$CACHE/.deps.lock"
flock 9
all_present && exit 0

[ "$(id -u)" = 0 ] || die "missing dependencies; run as root to install them"

APT_UPDATED=0
apt_update() {
	[ $APT_UPDATED = 0 ] || return 0
	log "apt-get update"
	apt-get update -qq >&2
	APT_UPDATED=1
}

missing_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${db:Status-Abbrev}\n' "$p" 2>/dev/null |
			grep -q '^ii' || echo "$p"
	done
}

install_pkgs() {
	local missing
	mapfile -t missing < <(missing_pkgs "$@")
	[ ${#missing[@]} -gt 0 ] || return 0
	apt_update
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >&2
}

# apt-get download PKG into .cache/debs (atomically), unless already there
download() {
	local pkg=$1 tmp
	ls "$CACHE/debs/${pkg}_"*.deb >/dev/null 2>&1 && return 0
	apt_update
	log "downloading $pkg"
	mkdir -p "$CACHE/debs"
	tmp=$(mktemp -d "$CACHE/debs/.dl.XXXXXX")
	(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "$pkg" >&2) ||
		{ rm -rf "$tmp"; die "apt-get download $pkg failed"; }
	mv "$tmp"/*.deb "$CACHE/debs/"
	rmdir "$tmp"
}

newest_deb() {
	local f
	f=$(find "$CACHE/debs" -maxdepth 1 -name "${1}_*.deb" | sort -V | tail -n1)
	[ -n "$f" ] || die "no .deb for $1 in $CACHE/debs"
	echo "$f"
}

resolve() {
	local rel
	rel=$("$KVER_SH" "$1" 2>/dev/null) && { echo "$rel"; return 0; }
	apt_update
	"$KVER_SH" "$1" || die "cannot resolve the Debian $1 kernel (apt-cache)"
}

# Guest kernel REL: image extracted, KVM modules uncompressed with modules.dep
extract_kernel() {
	local rel=$1 kd=$CACHE/kernels/$1 mdir dep m f line rels=()
	download "linux-image-$rel"
	log "extracting linux-image-$rel"
	rm -rf "$kd"
	mkdir -p "$kd"
	dpkg-deb -x "$(newest_deb "linux-image-$rel")" "$kd/root"
	cp "$kd/root/boot/vmlinuz-$rel" "$kd/vmlinuz"

	# modules.dep of the whole tree (the .deb has none: depmod runs in
	# its postinst), then the closure of GUEST_MODULES
	depmod -b "$kd/root" "$rel"
	mdir=$kd/root/lib/modules/$rel
	dep=$mdir/modules.dep
	for m in "${GUEST_MODULES[@]}"; do
		f=$(grep -E "(^|/)${m}\\.ko(\\.xz|\\.zst|\\.gz)?:" "$dep" || true)
		[ -n "$f" ] || { log "warning: no module $m in $rel"; continue; }
		# "path: dep1 dep2 ..." -> every path on the line
		read -ra line <<<"${f//:/}"
		rels+=("${line[@]}")
	done
	mapfile -t rels < <(printf '%s\n' "${rels[@]}" | sort -u)
	for f in "${rels[@]}"; do
		m=$kd/modules/lib/modules/$rel/${f%.xz}
		mkdir -p "$(dirname "$m")"
		case $f in
		*.ko.xz) xz -dc "$mdir/$f" > "$m" ;;
		*.ko) cp "$mdir/$f" "$m" ;;
		*) die "unsupported module compression: $f" ;;
		esac
	done
	cp "$mdir"/modules.builtin* "$mdir/modules.order" \
		"$kd/modules/lib/modules/$rel/" 2>/dev/null || true
	depmod -b "$kd/modules" "$rel"
	echo "$LAYOUT" > "$kd/.stamp"
}

# kselftest harness and checkpatch from Debian's linux-source-6.1
extract_source() {
	local src=$CACHE/src tmp top=linux-source-6.1
	download linux-source-6.1
	log "extracting kselftest and checkpatch from linux-source-6.1 (~10 s)"
	tmp=$(mktemp -d "$CACHE/.src.XXXXXX")
	dpkg-deb --fsys-tarfile "$(newest_deb linux-source-6.1)" |
		tar -xO ./usr/src/linux-source-6.1.tar.xz |
		tar -xJ -C "$tmp" \
			"$top/tools/testing/selftests/kselftest_harness.h" \
			"$top/tools/testing/selftests/kselftest.h" \
			"$top/scripts/checkpatch.pl" \
			"$top/scripts/spelling.txt" \
			"$top/scripts/const_structs.checkpatch"
	rm -rf "$src"
	mkdir -p "$src/kselftest" "$src/checkpatch"
	mv "$tmp/$top"/tools/testing/selftests/kselftest{_harness,}.h "$src/kselftest/"
	mv "$tmp/$top"/scripts/{checkpatch.pl,spelling.txt,const_structs.checkpatch} \
		"$src/checkpatch/"
	rm -rf "$tmp"
	echo "$LAYOUT" > "$src/.stamp"
}

install_pkgs "${PKGS[@]}"
for s in "${SERIES[@]}"; do
	rel=$(resolve "$s")
	install_pkgs "linux-headers-$rel"
	stamp_ok "$CACHE/kernels/$rel/.stamp" || extract_kernel "$rel"
done
stamp_ok "$CACHE/src/.stamp" || extract_source
log "all dependencies present"
