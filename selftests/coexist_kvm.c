// SPDX-License-Identifier: GPL-2.0
/*
 * multios_hv and KVM take turns with the CPU's virtualization extension:
 * while KVM has it on (a KVM VM exists), creating a multios_hv VM fails
 * with EBUSY and a dmesg line that says why; once KVM lets go, it works.
 * Uses the guest kernel's own kvm modules (skipped where there are none).
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libmultios_hv.h"
#include "test_util.h"

static int load_kvm(void)
{
	const char *vendor = cpuinfo_has_flag("svm") ? "kvm_amd" : "kvm_intel";
	char cmd[128];

	/* since 6.12 KVM turns virtualization on at load unless told not to */
	if (system("modprobe kvm enable_virt_at_load=0 2>/dev/null") &&
	    system("modprobe kvm 2>/dev/null"))
		return -1;
	snprintf(cmd, sizeof(cmd), "modprobe %s 2>/dev/null", vendor);
	return system(cmd) ? -1 : 0;
}

TEST(take_turns_with_kvm)
{
	int kvm, kvm_vm, vm, kmsg;

	if (load_kvm() || access("/dev/kvm", R_OK | W_OK)) {
		kvm_unload();
		SKIP(return, "no usable kvm module in this test VM");
	}
	/* only what the kernel logs from now on counts */
	kmsg = kmsg_open_new();
	ASSERT_GE(kmsg, 0) TH_LOG("/dev/kmsg: %s", strerror(-kmsg));
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	ASSERT_GE(kvm, 0);
	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	ASSERT_GE(kvm_vm, 0) TH_LOG("KVM_CREATE_VM failed");

	/* KVM has the extension on now: we must refuse, and say why */
	vm = mhv_test_create_vm("coexist");
	EXPECT_EQ(-EBUSY, vm);
	EXPECT_TRUE(kmsg_find(kmsg, "multios_hv: ", "already in use"))
		TH_LOG("no new dmesg line says why");
	if (vm >= 0)
		close(vm);

	/* KVM lets go when its last VM is gone: our turn */
	close(kvm_vm);
	close(kvm);
	vm = mhv_test_create_vm("coexist");
	EXPECT_GE(vm, 0) TH_LOG("after KVM's VM is gone: %d", vm);
	if (vm >= 0)
		close(vm);
	close(kmsg);
	kvm_unload();
}

TEST_HARNESS_MAIN
