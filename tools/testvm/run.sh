#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - boot the MultiOS HV test VM (QEMU TCG, -cpu max: SVM + NPT) and
# judge what it printed on its serial console.
#
#   run.sh --kver FULL --mode MODE --module PATH.ko --user UBUILD
#          [--files DIR] [--tests a,b] [--timeout SEC] [--test-timeout SEC]
#          [--smp N] [--mem SIZE] [--raw] [--bench a,b] [--bench-verbose]
#          [--bench-rounds N]
#
#   MODE          check | demo | demo-linux | bench | selfcheck-fail |
#                 selfcheck-panic | shell
#   --files       copy DIR's files into the VM as /mhv/files (if DIR exists)
#   --tests       run only these tests (name or dir/name, comma separated)
#   --timeout     whole VM (default: check/bench 1800, others 300; shell none)
#   --test-timeout  per test binary in the guest (default 300)
#   --raw         show the serial console unfiltered (dmesg dump included)
#   --bench       bench mode: only these mhv-bench workloads (mhv-bench --only)
#   --bench-verbose  bench mode: every round's figures too (mhv-bench --verbose)
#   --bench-rounds   bench mode: at least N rounds (mhv-bench --rounds)
#
# The serial console goes to stdout (markers made readable, the final
# dmesg dump hidden unless --raw) and, unfiltered, to
# .cache/vm/<FULL>/<MODE>.log. Then one line per test and, last,
# "vm: N passed, N failed, N skipped". Exit 0 only if nothing failed.
#
# Counting: a kselftest binary counts the "# Totals:" line(s) it prints
# (pass+xpass passed, fail+error failed, skip skipped); without a Totals
# line, or killed, or with a non-zero exit code but no failing test, it
# is 1 failed (exit code 4 without Totals = KSFT_SKIP: 1 skipped). Other
# programs (examples, demo.sh, bench.sh) count 1 each: exit 0 passed, 4
# skipped, anything else failed. module_load/module_unload count 1 each.
# Failures of the VM itself: kernel_panic, vm_timeout, vm_incomplete (no
# end marker), dmesg (WARNING:, BUG:, Oops, Call Trace, general protection
# fault, kernel BUG, UBSAN, KASAN in the guest kernel's log).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TVM=$ROOT/tools/testvm
KFULL='' MODE=check MODULE='' UBUILD='' TESTS='' TIMEOUT='' TEST_TIMEOUT=300
FILES='' BENCH='' BENCH_VERBOSE=0 BENCH_ROUNDS=''
SMP=2 MEM= RAW=0

usage() {
	sed -n '4,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--kver) KFULL=$2; shift 2 ;;
	--mode) MODE=$2; shift 2 ;;
	--module) MODULE=$2; shift 2 ;;
	--user) UBUILD=$2; shift 2 ;;
	--files) FILES=$2; shift 2 ;;
	--tests) TESTS=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--test-timeout) TEST_TIMEOUT=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--mem) MEM=$2; shift 2 ;;
	--raw) RAW=1; shift ;;
	--bench) BENCH=$2; shift 2 ;;
	--bench-verbose) BENCH_VERBOSE=1; shift ;;
	--bench-rounds) BENCH_ROUNDS=$2; shift 2 ;;
	-h|--help) usage ;;
	*) echo "run.sh: unknown argument $1" >&2; usage ;;
	esac
done
if [ -z "$KFULL" ] || [ -z "$MODULE" ] || [ -z "$UBUILD" ]; then
	usage
fi
# check, bench and shell: 4G, one 1 GiB hugetlbfs page reserved at boot
# (a reservation at run time fails when memory is fragmented, and
# clearing 1 GiB at once under emulation can trip the soft-lockup
# watchdog) for the hugepages selftest, touch_1g and experiments with
# page_size 1g, and 3G left, so that max_mem_mb (half the RAM) allows a
# 1 GiB slot.
case $MODE in
check|bench|shell) : "${MEM:=4G}" ;;
*) : "${MEM:=2G}" ;;
esac
case $MODE in
check|bench) : "${TIMEOUT:=1800}" ;;
demo|selfcheck-fail|selfcheck-panic|shell) : "${TIMEOUT:=300}" ;;
demo-linux) : "${TIMEOUT:=900}" ;;
*) echo "run.sh: unknown mode $MODE" >&2; usage ;;
esac
[[ $TESTS =~ ^[A-Za-z0-9_./,-]*$ ]] || { echo "run.sh: bad --tests '$TESTS'" >&2; exit 2; }
[[ $BENCH =~ ^[a-z0-9_,]*$ ]] || { echo "run.sh: bad --bench '$BENCH'" >&2; exit 2; }
[[ $BENCH_ROUNDS =~ ^[0-9]*$ ]] || { echo "run.sh: bad --bench-rounds '$BENCH_ROUNDS'" >&2; exit 2; }
[ -z "$TESTS" ] || "$(dirname "${BASH_SOURCE[0]}")/known-tests.sh" "$UBUILD" "$TESTS" || exit 2

# QEMU 7.2's multi-threaded TCG (one host thread per vCPU) now and then
# runs a stale translation of kernel code the guest has just patched
# (static keys: int3 text poking), and the guest kernel oopses on an
# int3 -- even before /init, without multios_hv. One thread for all
# vCPUs keeps translations coherent; MHV_TCG_THREAD=multi to compare.
TCG_THREAD=${MHV_TCG_THREAD:-single}
[[ $TCG_THREAD =~ ^(single|multi)$ ]] || { echo "run.sh: MHV_TCG_THREAD is single or multi" >&2; exit 2; }

KCACHE=$ROOT/.cache/kernels/$KFULL
VMDIR=$ROOT/.cache/vm/$KFULL
LOG=$VMDIR/$MODE.log
mkdir -p "$VMDIR"

# ---- initramfs -----------------------------------------------------------------
INITRD=$(mktemp "$VMDIR/.initrd-$MODE.XXXXXX")
trap 'rm -f "$INITRD"' EXIT
t0=$(date +%s.%N)
MKARGS=(--kver "$KFULL" --module "$MODULE" --user "$UBUILD" --out "$INITRD")
[ -z "$FILES" ] || MKARGS+=(--files "$FILES")
if ! "$TVM/mkinitramfs.sh" "${MKARGS[@]}"; then
	echo "  FAIL initramfs  (tools/testvm/mkinitramfs.sh failed)"
	echo "vm: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
t1=$(date +%s.%N)

APPEND="console=ttyS0 quiet panic=-1 mhv.mode=$MODE mhv.test_timeout=$TEST_TIMEOUT"
[ -z "$TESTS" ] || APPEND+=" mhv.tests=$TESTS"
case $MODE in check|bench|shell) APPEND+=" hugepagesz=1G hugepages=1" ;; esac
[ -z "$BENCH" ] || APPEND+=" mhv.bench=$BENCH"
[ $BENCH_VERBOSE = 0 ] || APPEND+=" mhv.bench_verbose=1"
[ -z "$BENCH_ROUNDS" ] || APPEND+=" mhv.bench_rounds=$BENCH_ROUNDS"
QEMU=(qemu-system-x86_64 -accel "tcg,thread=$TCG_THREAD" -cpu max -m "$MEM" -smp "$SMP"
      -nographic -no-reboot -nic none -kernel "$KCACHE/vmlinuz" -initrd "$INITRD"
      -append "$APPEND")

printf 'vm: %s, mode %s, initramfs %s MB in %.2fs\n' "$KFULL" "$MODE" \
	"$(( $(stat -c %s "$INITRD") / 1048576 ))" "$(echo "$t1 - $t0" | bc)"

if [ "$MODE" = shell ]; then
	echo "vm: shell - leave with 'exit' (powers off) or Ctrl-A X"
	"${QEMU[@]}"
	exit 0
fi

# ---- boot ----------------------------------------------------------------------
# Readable console: markers as headers, the dmesg dump summarized (the
# log keeps everything). Demo/bench: the guest's output only.
show() {
	if [ $RAW = 1 ]; then
		tr -d '\r'
		return
	fi
	awk -v mode="$MODE" -v logf="$LOG" '
	{ sub(/\r$/, ""); gsub(/\033(\[[0-9;?]*[A-Za-z]|c)/, "")
	  sub(/^.*MHV-BOOT /, "MHV-BOOT ") }
	# firmware chatter before the kernel speaks
	!seen && !/^MHV-|^\[ *[0-9]+\.[0-9]+\] / { next }
	{ seen = 1 }
	/^MHV-END/ { done = 1; next }
	done { next }
	/^MHV-DMESG-BEGIN/ { indm = 1; n = 0; next }
	/^MHV-DMESG-END/ { indm = 0
		if (mode !~ /^demo/ && mode != "bench")
			printf "--- guest dmesg: %d lines (in %s)\n", n, logf
		fflush(); next }
	indm { n++; next }
	mode ~ /^demo/ || mode == "bench" {
		if ($0 !~ /^MHV-/) { print; fflush() }
		next }
	/^MHV-TEST-BEGIN / { print "--- " $2; fflush(); next }
	/^MHV-TEST-END / { $1 = "---"; print; fflush(); next }
	/^MHV-(RESULT|NOTE|BOOT) / { $1 = "---"; print; fflush(); next }
	{ print; fflush() }'
}

start=$(date +%s.%N)
set +e
timeout --foreground -k 10 "$TIMEOUT" "${QEMU[@]}" </dev/null 2>&1 | tee "$LOG" | show
st=("${PIPESTATUS[@]}")
set -e
QRC=${st[0]}
secs=$(echo "$(date +%s.%N) - $start" | bc)
printf 'vm: guest ran %.1fs (qemu exit %s), log %s\n' "$secs" "$QRC" "$LOG"

# ---- judge ---------------------------------------------------------------------
awk -v mode="$MODE" -v qrc="$QRC" -v timeout="$TIMEOUT" -f "$TVM/judge.awk" "$LOG"
