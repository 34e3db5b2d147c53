// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM side of the benchmarks: KVM's own API, used directly, with the
 * same guest code bytes as the multios_hv side.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

struct kvm_ctx {
	int kvm, vm, vcpu;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *mem;
};

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	int r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

static void kvm_teardown(void *p)
{
	struct kvm_ctx *c = p;

	if (c->run)
		munmap(c->run, c->run_size);
	if (c->vcpu >= 0)
		close(c->vcpu);
	if (c->vm >= 0)
		close(c->vm);
	if (c->kvm >= 0)
		close(c->kvm);
	if (c->mem)
		munmap(c->mem, BENCH_MEM_SIZE);
	free(c);
}

/* The guest gets the CPUID KVM supports, so leaf 0 reads as the host's. */
static int kvm_set_cpuid(struct kvm_ctx *c)
{
	int n = 128, r;
	struct kvm_cpuid2 *cpuid = calloc(1, sizeof(*cpuid) +
					  n * sizeof(struct kvm_cpuid_entry2));

	if (!cpuid)
		return -ENOMEM;
	cpuid->nent = n;
	r = xioctl(c->kvm, KVM_GET_SUPPORTED_CPUID, cpuid);
	if (!r)
		r = xioctl(c->vcpu, KVM_SET_CPUID2, cpuid);
	free(cpuid);
	return r;
}

static int kvm_setup(void **ctx, const uint8_t *code, size_t len)
{
	struct kvm_userspace_memory_region r = { 0 };
	struct kvm_sregs s;
	struct kvm_regs regs = { 0 };
	struct kvm_ctx *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	c->vm = c->vcpu = -1;
	c->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	c->mem = mmap(NULL, BENCH_MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->kvm < 0 || c->mem == MAP_FAILED) {
		ret = c->kvm < 0 ? -errno : -ENOMEM;
		c->mem = c->mem == MAP_FAILED ? NULL : c->mem;
		goto fail;
	}
	memcpy(c->mem + BENCH_LOAD_ADDR, code, len);
	ret = c->vm = xioctl(c->kvm, KVM_CREATE_VM, 0);
	if (ret < 0)
		goto fail;
	r.memory_size = BENCH_RAM_SIZE;
	r.userspace_addr = (uintptr_t)c->mem;
	ret = xioctl(c->vm, KVM_SET_USER_MEMORY_REGION, &r);
	if (!ret)
		ret = c->vcpu = xioctl(c->vm, KVM_CREATE_VCPU, 0);
	if (ret < 0)
		goto fail;
	ret = xioctl(c->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (ret < 0)
		goto fail;
	c->run_size = ret;
	c->run = mmap(NULL, c->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      c->vcpu, 0);
	if (c->run == MAP_FAILED) {
		c->run = NULL;
		ret = -errno;
		goto fail;
	}
	ret = kvm_set_cpuid(c);
	if (!ret)
		ret = xioctl(c->vcpu, KVM_GET_SREGS, &s);
	if (!ret) {
		s.cs.selector = 0;
		s.cs.base = 0;
		ret = xioctl(c->vcpu, KVM_SET_SREGS, &s);
	}
	regs.rip = BENCH_LOAD_ADDR;
	regs.rflags = 2;
	regs.rsp = 0xfff0;
	if (!ret)
		ret = xioctl(c->vcpu, KVM_SET_REGS, &regs);
	if (ret < 0)
		goto fail;
	*ctx = c;
	return 0;
fail:
	kvm_teardown(c);
	return ret;
}

static int kvm_bench_run(void *p, uint64_t *user_exits)
{
	struct kvm_ctx *c = p;
	int r;

	for (;;) {
		r = xioctl(c->vcpu, KVM_RUN, 0);
		if (r)
			return r;
		switch (c->run->exit_reason) {
		case KVM_EXIT_MMIO:
			if (!c->run->mmio.is_write)
				bench_answer_read(c->run->mmio.data, c->run->mmio.len);
			(*user_exits)++;
			break;
		case KVM_EXIT_IO:
			(*user_exits)++;
			break;
		case KVM_EXIT_HLT:
			return 0;
		default:
			return -EIO;
		}
	}
}

static uint8_t *kvm_mem(void *p)
{
	return ((struct kvm_ctx *)p)->mem;
}

static int kvm_get_esi(void *p, uint32_t *esi)
{
	struct kvm_regs regs;
	int r = xioctl(((struct kvm_ctx *)p)->vcpu, KVM_GET_REGS, &regs);

	*esi = (uint32_t)regs.rsi;
	return r;
}

const struct hv_ops kvm_hv_ops = {
	.name = "kvm",
	.setup = kvm_setup,
	.run = kvm_bench_run,
	.mem = kvm_mem,
	.get_esi = kvm_get_esi,
	.teardown = kvm_teardown,
};
