// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel keeps one emergency virtualization callback (what crashes
 * and emergency reboots call on every CPU to leave VMX/SVM) and warns
 * when a second one is registered. multios_hv holds it while it has the
 * extension on and kvm.ko is not loaded; KVM takes it when it loads
 * (Linux 6.1, kvm_intel) or turns virtualization on (6.12). Loading KVM
 * and trying a KVM VM while a multios_hv VM exists, then the other way
 * round, must leave the kernel log without a warning. Skipped where the
 * test VM has no kvm modules.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libmultios_hv.h"
#include "test_util.h"

/* KVM as a host would load it at boot (6.12: virtualization on at load) */
static int load_kvm(void)
{
	const char *cmd = cpuinfo_has_flag("svm") ? "modprobe kvm_amd 2>/dev/null"
						  : "modprobe kvm_intel 2>/dev/null";

	return system(cmd) ? -1 : 0;
}

/* A KVM VM, or -errno; closed again at once. */
static int try_kvm_vm(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm;

	if (kvm < 0)
		return -errno;
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	vm = vm < 0 ? -errno : (close(vm), 0);
	close(kvm);
	return vm;
}

TEST(kvm_while_a_vm_exists)
{
	int before = dmesg_count_problems(), vm;

	ASSERT_GE(before, 0);
	kvm_unload();
	if (system("modinfo kvm >/dev/null 2>&1"))
		SKIP(return, "no kvm modules in this test VM");

	/* ours first: multios_hv holds the callback */
	vm = mhv_test_create_vm("kvm-slot");
	ASSERT_GE(vm, 0);
	/* KVM arrives: it must find the slot free (it may fail: EBUSY) */
	load_kvm();
	if (!access("/dev/kvm", F_OK))
		EXPECT_NE(0, try_kvm_vm());
	close(vm);
	EXPECT_EQ(before, dmesg_count_problems());

	/* KVM's turn, then ours again while kvm.ko stays loaded */
	if (!access("/dev/kvm", F_OK))
		EXPECT_EQ(0, try_kvm_vm());
	vm = mhv_test_create_vm("kvm-slot");
	EXPECT_GE(vm, 0);
	if (vm >= 0)
		close(vm);

	/* kvm.ko gone: ours again, holding the callback once more */
	kvm_unload();
	vm = mhv_test_create_vm("kvm-slot");
	EXPECT_GE(vm, 0);
	if (vm >= 0)
		close(vm);
	EXPECT_EQ(before, dmesg_count_problems());
}

TEST_HARNESS_MAIN
