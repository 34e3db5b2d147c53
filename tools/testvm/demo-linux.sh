#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo-linux, inside the test VM: Linux (this VM's own kernel) boots
# under multios_hv with 2 vCPUs and the PC platform (local APICs, I/O
# APIC, PIC, PIT, ACPI tables), its console on the terminal; the tiny
# init of selftests/linux_guest/init.c reports the CPUs it sees and how
# long sleep(1) took, and powers off; mhv prints the exit summary.
set -e
echo "== mhv run --kernel /mhv/linux/vmlinuz --initrd /mhv/linux/initramfs.cpio \\"
echo "           --vcpus 2 --append \"console=ttyS0 panic=-1\""
echo "   (Linux $(uname -r) under multios_hv, inside this test VM)"
mhv run --kernel /mhv/linux/vmlinuz --initrd /mhv/linux/initramfs.cpio \
	--vcpus 2 --append "console=ttyS0 panic=-1" < /dev/null
