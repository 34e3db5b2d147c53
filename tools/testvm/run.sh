#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - boot the MultiOS HV test VM (QEMU TCG, -cpu max: SVM + NPT) and
# judge what it printed on its serial console.
#
#   run.sh --kver FULL --mode MODE --module PATH.ko --user UBUILD
#          [--tests a,b] [--timeout SEC] [--test-timeout SEC]
#          [--smp N] [--mem SIZE] [--raw]
#
#   MODE          check | demo | bench | selfcheck-fail | selfcheck-panic | shell
#   --tests       run only these tests (name or dir/name, comma separated)
#   --timeout     whole VM (default: check/bench 1800, others 300; shell none)
#   --test-timeout  per test binary in the guest (default 300)
#   --raw         show the serial console unfiltered (dmesg dump included)
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
SMP=2 MEM=2G RAW=0

usage() {
	sed -n '4,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--kver) KFULL=$2; shift 2 ;;
	--mode) MODE=$2; shift 2 ;;
	--module) MODULE=$2; shift 2 ;;
	--user) UBUILD=$2; shift 2 ;;
	--tests) TESTS=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--test-timeout) TEST_TIMEOUT=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--mem) MEM=$2; shift 2 ;;
	--raw) RAW=1; shift ;;
	-h|--help) usage ;;
	*) echo "run.sh: unknown argument $1" >&2; usage ;;
	esac
done
if [ -z "$KFULL" ] || [ -z "$MODULE" ] || [ -z "$UBUILD" ]; then
	usage
fi
case $MODE in
check|bench) : "${TIMEOUT:=1800}" ;;
demo|selfcheck-fail|selfcheck-panic|shell) : "${TIMEOUT:=300}" ;;
*) echo "run.sh: unknown mode $MODE" >&2; usage ;;
esac
[[ $TESTS =~ ^[A-Za-z0-9_./,-]*$ ]] || { echo "run.sh: bad --tests '$TESTS'" >&2; exit 2; }

KCACHE=$ROOT/.cache/kernels/$KFULL
VMDIR=$ROOT/.cache/vm/$KFULL
LOG=$VMDIR/$MODE.log
mkdir -p "$VMDIR"

# ---- initramfs -----------------------------------------------------------------
INITRD=$(mktemp "$VMDIR/.initrd-$MODE.XXXXXX")
trap 'rm -f "$INITRD"' EXIT
t0=$(date +%s.%N)
if ! "$TVM/mkinitramfs.sh" --kver "$KFULL" --module "$MODULE" --user "$UBUILD" \
	--out "$INITRD"; then
	echo "  FAIL initramfs  (tools/testvm/mkinitramfs.sh failed)"
	echo "vm: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
t1=$(date +%s.%N)

APPEND="console=ttyS0 quiet panic=-1 mhv.mode=$MODE mhv.test_timeout=$TEST_TIMEOUT"
[ -z "$TESTS" ] || APPEND+=" mhv.tests=$TESTS"
QEMU=(qemu-system-x86_64 -accel tcg -cpu max -m "$MEM" -smp "$SMP"
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
		if (mode != "demo" && mode != "bench")
			printf "--- guest dmesg: %d lines (in %s)\n", n, logf
		fflush(); next }
	indm { n++; next }
	mode == "demo" || mode == "bench" {
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
awk -v mode="$MODE" -v qrc="$QRC" -v timeout="$TIMEOUT" '
function add(name, p, f, s, why,   state) {
	passed += p; failed += f; skipped += s
	state = f ? "FAIL" : (p ? "PASS" : "SKIP")
	printf "  %s %s%s\n", state, name, why == "" ? "" : "  (" why ")"
}
function bad(line) {
	return line ~ /WARNING:|BUG:|Oops|Call Trace|general protection fault|kernel BUG|UBSAN|KASAN/
}
# one finished test program: cur, with exit code rc
function endtest(rc, timedout,   p, f, s, why) {
	if (cur ~ /^(selftests|selfcheck)\//) {
		p = tp + txp; f = tf + te; s = ts
		if (!tot && rc == 4 && !timedout) {
			s = 1; why = "KSFT_SKIP"
		} else {
			why = tot ? sprintf("%d passed, %d failed, %d skipped", p, f, s) \
				  : "no kselftest Totals line"
			if (timedout) why = why ", timed out"
			if (rc != 0) why = why ", exit code " rc
			if ((!tot || timedout || rc != 0) && f == 0) f = 1
		}
	} else {
		p = rc == 0 && !timedout; s = rc == 4 && !timedout; f = !p && !s
		why = f ? (timedout ? "timed out, " : "") "exit code " rc : ""
	}
	add(cur, p, f, s, why)
	cur = ""
}
{ sub(/\r$/, ""); gsub(/\033(\[[0-9;?]*[A-Za-z]|c)/, "")
  sub(/^.*MHV-BOOT /, "MHV-BOOT ") }
/Kernel panic/ && !panicked { panicked = 1; panicline = $0 }
/^MHV-BOOT / { booted = 1 }
/^MHV-END$/ { ended = 1 }
/^MHV-DMESG-BEGIN$/ { indm = 1; dumped = 1; next }
/^MHV-DMESG-END$/ { indm = 0; next }
indm { if (bad($0)) dbad[nd++] = $0; next }
/^MHV-TEST-BEGIN / {
	if (cur != "") add(cur, 0, 1, 0, "did not finish")
	cur = $2; tot = tp = tf = txp = ts = te = 0; next
}
/^MHV-TEST-END / && cur != "" {
	rc = $3; sub(/^rc=/, "", rc)
	endtest(rc + 0, $NF == "timeout"); next
}
/^MHV-RESULT / {
	why = ""
	for (i = 4; i <= NF; i++) why = why (i > 4 ? " " : "") $i
	add($2, $3 == "pass", $3 == "fail", $3 == "skip", why); next
}
cur != "" && /# Totals: pass:/ {
	tot = 1
	for (i = 1; i <= NF; i++) {
		split($i, kv, ":")
		if (kv[1] == "pass") tp += kv[2]
		else if (kv[1] == "fail") tf += kv[2]
		else if (kv[1] == "xpass") txp += kv[2]
		else if (kv[1] == "skip") ts += kv[2]
		else if (kv[1] == "error") te += kv[2]
	}
	next
}
# the kernel writing on the console itself (printk time stamp)
/^\[ *[0-9]+\.[0-9]+\] / && bad($0) { cbad[nc++] = $0 }
END {
	if (cur != "") add(cur, 0, 1, 0, "did not finish")
	if (panicked) add("kernel_panic", 0, 1, 0, "guest kernel panic: " panicline)
	if (qrc == 124 || qrc == 137)
		add("vm_timeout", 0, 1, 0, "no poweroff within " timeout "s")
	else if (!booted)
		add("vm_incomplete", 0, 1, 0, "the guest never reached /init, qemu exit " qrc)
	else if (!ended && !panicked)
		add("vm_incomplete", 0, 1, 0, "no end marker, qemu exit " qrc)
	# the dmesg dump if the guest got that far, else what the console showed
	if (!dumped) for (i = 0; i < nc; i++) dbad[nd++] = cbad[i]
	if (nd && !panicked) {
		add("dmesg", 0, 1, 0, nd " suspicious guest kernel log line(s)")
		for (i = 0; i < nd && i < 8; i++) print "        " dbad[i]
	}
	printf "vm: %d passed, %d failed, %d skipped\n", passed, failed, skipped
	exit failed ? 1 : 0
}' "$LOG"
