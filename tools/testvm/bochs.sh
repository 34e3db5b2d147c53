#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bochs.sh - the Bochs lanes: boot the Debian 6.1 kernel in Bochs, load
# multios_hv and run the same initramfs, selftests and checks as the
# QEMU lane, on one of two emulated CPUs:
#   --cpu vmx  corei7_skylake_x: VMX with EPT, VPID and unrestricted
#              guest (QEMU's emulator has no VMX); make check-vmx
#   --cpu svm  ryzen: SVM with NRIP save and flush-by-ASID, which QEMU's
#              SVM lacks (Bochs 2.7 offers no decode assists or VMCB
#              clean bits on any model); make check-svm-bochs
#
#   bochs.sh --kver FULL --module KO --user UBUILD [--cpu vmx|svm]
#            [--tests a,b] [--timeout SEC] [--test-timeout SEC]
#
# Bochs has no direct kernel boot: the kernel and initramfs go on an
# ISOLINUX CD. It has no clean way to end either: the serial file is
# polled for the end marker (or a panic) and Bochs is stopped then.
# Ends with "vm: N passed, N failed, N skipped" like run.sh, then the
# plain "N passed, N failed[, N skipped]" line of a test command.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TVM=$ROOT/tools/testvm
KFULL='' MODULE='' UBUILD='' TESTS='' TIMEOUT=2400 TEST_TIMEOUT=900 CPU=vmx
while [ $# -gt 0 ]; do
	case $1 in
	--kver) KFULL=$2; shift 2 ;;
	--module) MODULE=$2; shift 2 ;;
	--user) UBUILD=$2; shift 2 ;;
	--cpu) CPU=$2; shift 2 ;;
	--tests) TESTS=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--test-timeout) TEST_TIMEOUT=$2; shift 2 ;;
	*) sed -n '13,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
	esac
done
[ -n "$KFULL" ] && [ -f "$MODULE" ] && [ -d "$UBUILD" ] || {
	echo "bochs.sh: --kver, --module and --user are required" >&2
	exit 2
}
[[ $CPU =~ ^(vmx|svm)$ ]] || { echo "bochs.sh: --cpu vmx or svm" >&2; exit 2; }
[[ $TESTS =~ ^[A-Za-z0-9_./,-]*$ ]] || { echo "bochs.sh: bad --tests" >&2; exit 2; }
[ -z "$TESTS" ] || "$(dirname "${BASH_SOURCE[0]}")/known-tests.sh" "$UBUILD" "$TESTS" || exit 2

KCACHE=$ROOT/.cache/kernels/$KFULL
VMDIR=$ROOT/.cache/vm-bochs/$KFULL	# one directory per lane: they may run side by side
[ "$CPU" = vmx ] || VMDIR=$ROOT/.cache/vm-bochs-$CPU/$KFULL
LOG=$VMDIR/check.log
ISO=$VMDIR/iso
mkdir -p "$ISO/isolinux"

# ---- the CD: ISOLINUX, kernel, initramfs ------------------------------------
"$TVM/mkinitramfs.sh" --kver "$KFULL" --module "$MODULE" --user "$UBUILD" \
	--out "$VMDIR/initrd.cpio"
gzip -1 -c "$VMDIR/initrd.cpio" > "$ISO/initrd.gz"
rm -f "$VMDIR/initrd.cpio"
cp "$KCACHE/vmlinuz" "$ISO/vmlinuz"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 \
	"$ISO/isolinux/"
APPEND="initrd=/initrd.gz console=ttyS0,115200 panic=-1 quiet mitigations=off"
if [ "$CPU" = vmx ]; then
	MODEL=corei7_skylake_x WHAT="VT-x + EPT" LANE=bochs
	PANIC="action=fatal" CONTINUES=1
else
	MODEL=ryzen WHAT="SVM + NPT, NRIP save, flush-by-ASID" LANE=bochs-svm
	# Linux's udelay() on AMD waits with MWAITX and its timer; Bochs 2.7
	# never ends that wait, and the boot hangs at its first delay with
	# interrupts off (right after "NR_IRQS"). Without MWAITX it spins.
	APPEND+=" clearcpuid=mwaitx"
	# A triple fault in an SVM guest (several tests make one): Bochs 2.7
	# logs it as a CPU panic and stops in its debugger before it takes
	# the SHUTDOWN intercept. The CPU's panics only report, and the
	# debugger continues each time; any other module's panic still ends
	# the run.
	PANIC="action=fatal, cpu0=report" CONTINUES=1000
fi
APPEND+=" mhv.mode=check mhv.test_timeout=$TEST_TIMEOUT mhv.lane=$LANE"
[ -z "$TESTS" ] || APPEND+=" mhv.tests=$TESTS"
cat > "$ISO/isolinux/isolinux.cfg" <<EOC
SERIAL 0 115200
DEFAULT linux
LABEL linux
  KERNEL /vmlinuz
  APPEND $APPEND
EOC
xorriso -as mkisofs -quiet -o "$VMDIR/boot.iso" -b isolinux/isolinux.bin \
	-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
	-boot-info-table "$ISO"

# ---- Bochs: the lane's CPU model, one CPU, no display ---------------------------
cat > "$VMDIR/bochsrc" <<EOC
cpu: model=$MODEL, count=1, ips=50000000, reset_on_triple_fault=0
megs: 1024
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0-master: type=cdrom, path=$VMDIR/boot.iso, status=inserted
boot: cdrom
clock: sync=none
com1: enabled=1, mode=file, dev=$VMDIR/serial.txt
config_interface: textconfig
display_library: rfb, options="timeout=0"
sound: driver=dummy
speaker: enabled=0
mouse: enabled=0
magic_break: enabled=0
panic: $PANIC
error: action=ignore
log: $VMDIR/bochs.log
EOC
# the debugger is compiled in and stops at once (and, on SVM, at each
# triple fault): continue, then quit
{ printf 'c\n%.0s' $(seq "$CONTINUES"); printf 'q\n'; } > "$VMDIR/dbg.rc"
rm -f "$VMDIR/serial.txt"
: > "$VMDIR/serial.txt"

echo "vm-bochs: $KFULL on Bochs $MODEL ($WHAT), mode check"
start=$(date +%s)
(cd "$VMDIR" && exec bochs -q -f bochsrc -rc dbg.rc </dev/null >bochs.out 2>&1) &
BPID=$!
trap 'kill $BPID 2>/dev/null || true' EXIT
QRC=124
while kill -0 $BPID 2>/dev/null; do
	if grep -q -e '^MHV-END' -e 'end Kernel panic' "$VMDIR/serial.txt" 2>/dev/null; then
		sleep 2
		QRC=0
		break
	fi
	if [ $(( $(date +%s) - start )) -ge "$TIMEOUT" ]; then
		QRC=124
		break
	fi
	sleep 2
done
if kill -0 $BPID 2>/dev/null; then
	kill $BPID 2>/dev/null || true
	wait $BPID 2>/dev/null || true
elif grep -q '^MHV-END' "$VMDIR/serial.txt"; then
	QRC=0		# powered off by itself (Bochs exits 1 on ACPI off)
else
	QRC=1
fi
trap - EXIT
tr -d '\r' < "$VMDIR/serial.txt" > "$LOG"
echo "vm-bochs: guest ran $(( $(date +%s) - start ))s, log $LOG"
grep -v -e '^MHV-' -e '^\[ *[0-9]*\.[0-9]*\]' "$LOG" | sed -n '/TAP version/,$p' |
	grep -E '^(ok|not ok|# .*:[0-9]+:)' || true
set +e
out=$(awk -v mode=check -v qrc="$QRC" -v timeout="$TIMEOUT" -f "$TVM/judge.awk" "$LOG")
rc=$?
set -e
echo "$out"
# the lane's result line, as every test command ends
echo "$out" | tail -n1 | sed -e 's/^vm: //' -e 's/, 0 skipped$//'
exit $rc
