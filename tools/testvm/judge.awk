# SPDX-License-Identifier: GPL-2.0
#
# judge.awk - read the serial log of a test VM (QEMU or Bochs) and judge
# it; see tools/testvm/run.sh for the counting rules.
#
#   awk -v mode=MODE -v qrc=EXIT_OF_THE_EMULATOR -v timeout=SECONDS \
#       -f judge.awk LOG
#
# Kernel log lines before the guest's MHV-DMESG-MARK (written to /dev/kmsg
# by /init before it loads the module) are the boot's, not ours.
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
indm && /MHV-DMESG-MARK/ { nd = 0; delete dbad; next }
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
/MHV-DMESG-MARK/ { nc = 0; delete cbad; next }
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
}