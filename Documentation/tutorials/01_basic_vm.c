// SPDX-License-Identifier: GPL-2.0
/*
 * Tutorial 1: Basic virtual machine creation.
 *
 * 1. Verify hardware support (MHV_GET_CAPS).
 * 2. Create a VM from a configuration (MHV_CREATE_VM).
 * 3. Start it: give it memory, a vCPU and code, and run the vCPU on a
 *    thread of its own (MHV_RUN).
 * 4. Watch its state (MHV_GET_VM_INFO): CREATED -> RUNNING.
 * 5. Stop it gracefully (MHV_STOP_VM) and see it STOPPED.
 *
 * Build: make (the binary is .cache/build/user/examples/01_basic_vm);
 * run as root with multios_hv loaded. `make check` runs it in the test VM.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libmultios_hv.h"

/* The guest: real-mode code that counts in AX forever ("jmp $-3"). */
static const unsigned char guest_code[] = {
	0x40,			/* inc ax */
	0xeb, 0xfd,		/* jmp back to inc */
};

struct vcpu_thread {
	int fd;
	int ret;
};

static void *vcpu_main(void *arg)
{
	struct vcpu_thread *t = arg;

	/* Returns when the VM is stopped (exit reason STOPPED). */
	t->ret = mhv_run(t->fd);
	return NULL;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "tutorial 1: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(void)
{
	struct mhv_vm_config config;
	struct mhv_memory_region region = { 0 };
	struct mhv_caps caps;
	struct mhv_vm_info info;
	struct vcpu_thread t = { 0 };
	pthread_t thread;
	size_t mem_size;
	void *mem;
	int sys, vm, r, i;

	/* Step 1: verify hardware support */
	sys = mhv_open_system();
	if (sys < 0)
		return fail("open " MHV_DEVICE_PATH, sys);
	r = mhv_get_caps(sys, &caps);
	if (r)
		return fail("MHV_GET_CAPS", r);
	printf("Hardware Virtualization Support:\n");
	printf("  Intel VT-x: %s\n", caps.flags & MHV_CAP_VMX ? "true" : "false");
	printf("  AMD-V: %s\n", caps.flags & MHV_CAP_SVM ? "true" : "false");
	printf("  Nested Paging: %s\n",
	       caps.flags & MHV_CAP_NESTED_PAGING ? "true" : "false");

	/* Step 2: create a basic VM configuration, and the VM */
	mhv_vm_config_default(&config);
	strcpy(config.name, "My First VM");
	config.vcpu_count = 1;
	config.memory_mb = 64;
	config.features = MHV_VM_F_EDUCATIONAL;
	printf("VM Configuration:\n  Name: %s\n  VCPUs: %u\n  Memory: %u MB\n",
	       config.name, config.vcpu_count, config.memory_mb);
	vm = mhv_create_vm(sys, &config);
	if (vm < 0) {
		/* the same advice as mhv's, e.g. when KVM holds the CPU */
		fail("MHV_CREATE_VM", vm);
		fprintf(stderr, "tutorial 1: %s\n", mhv_create_vm_hint(vm));
		return 1;
	}
	r = mhv_get_vm_info(vm, &info);
	if (r)
		return fail("MHV_GET_VM_INFO", r);
	printf("Created VM \"%s\", state %s\n", info.name,
	       mhv_vm_state_name(info.state));
	if (info.state != MHV_VM_CREATED)
		return 1;

	/* Step 3: memory, one vCPU at our code, and start it */
	mem_size = (size_t)config.memory_mb << 20;
	mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return fail("mmap", -errno);
	memcpy((char *)mem + 0x1000, guest_code, sizeof(guest_code));
	region.size = mem_size;
	region.userspace_addr = (unsigned long)mem;
	r = mhv_set_memory_region(vm, &region);
	if (r)
		return fail("MHV_SET_MEMORY_REGION", r);
	t.fd = mhv_create_vcpu(vm, 0);
	if (t.fd < 0)
		return fail("MHV_CREATE_VCPU", t.fd);
	/* real mode: CS:IP 0000:1000, SS:SP 0000:FFF0 (MHV_SET_SREGS/REGS) */
	r = mhv_vcpu_set_real_mode(t.fd, 0x1000, 0xfff0);
	if (r)
		return fail("setting up the vCPU", r);
	if (pthread_create(&thread, NULL, vcpu_main, &t))
		return fail("pthread_create", -EAGAIN);
	printf("VM started\n");

	/* Step 4: monitor the state until it runs */
	for (i = 0; i < 1000; i++) {
		r = mhv_get_vm_info(vm, &info);
		if (r)
			return fail("MHV_GET_VM_INFO", r);
		if (info.state == MHV_VM_RUNNING || info.state == MHV_VM_ERROR)
			break;
		usleep(10000);
	}
	printf("VM State: %s\n", mhv_vm_state_name(info.state));
	if (info.state != MHV_VM_RUNNING) {
		fprintf(stderr, "tutorial 1: the VM did not start running\n");
		return 1;
	}
	printf("VM is running normally\n");

	/* Step 5: stop it gracefully */
	r = mhv_stop_vm(vm, MHV_STOP_GRACEFUL);
	if (r)
		return fail("MHV_STOP_VM", r);
	pthread_join(thread, NULL);
	r = mhv_get_vm_info(vm, &info);
	if (r || t.ret)
		return fail("after the stop", r ? r : t.ret);
	printf("VM stopped gracefully: state %s after %llu exits\n",
	       mhv_vm_state_name(info.state), (unsigned long long)info.exits);
	mhv_close(t.fd);
	mhv_close(vm);
	mhv_close(sys);
	munmap(mem, mem_size);
	return info.state == MHV_VM_STOPPED ? 0 : 1;
}
