#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside the test VM: load KVM (kvm_amd) from the guest
# kernel's own modules next to multios_hv and run mhv-bench, which runs
# the same guest code under both, taking turns.
rel=$(uname -r)
mod() {
	f=$(find /lib/modules/"$rel" -name "$1.ko" | head -n1)
	[ -n "$f" ] || { echo "bench: $1.ko not in the test VM" >&2; return 1; }
	shift
	insmod "$f" "$@"
}
mod irqbypass || exit 1
# Since 6.12 KVM enables SVM when it loads; to take turns with
# multios_hv it must enable it only while it has VMs.
mod kvm enable_virt_at_load=0 2>/dev/null || mod kvm || exit 1
mod ccp 2>/dev/null
mod kvm-amd || exit 1
[ -c /dev/kvm ] || { echo "bench: no /dev/kvm after loading kvm_amd" >&2; exit 1; }
dmesg | grep -i -m1 "nested paging"
# Both hypervisors run with the speculation barriers the kernel applies
# (Documentation/security.rst); say which ones are in force.
echo "bench: mitigations in force (/sys/devices/system/cpu/vulnerabilities):"
for v in /sys/devices/system/cpu/vulnerabilities/*; do
	echo "bench:   ${v##*/}: $(cat "$v")"
done
# touch_1g: one 1 GiB hugetlbfs page (reserved at boot: run.sh), used by
# each hypervisor in turn
hp=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
[ "$(cat "$hp" 2>/dev/null || echo 0)" -ge 1 ] || echo 1 > "$hp" 2>/dev/null
echo "bench: 1 GiB hugetlbfs pages reserved: $(cat "$hp" 2>/dev/null || echo "none (no 1G hugetlbfs)")"
/mhv/bench/mhv-bench "$@"
