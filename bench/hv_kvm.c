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
	int kvm, vm, vcpu, stats;
	struct kvm_run *run;
	size_t run_size;
	struct bench_mem mem;
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
	if (c->stats >= 0)
		close(c->stats);
	bench_mem_free(&c->mem);
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

/* Real mode at 0000:BENCH_LOAD_ADDR, or flat 32-bit protected mode. */
static int kvm_start_state(struct kvm_ctx *c, int flat32)
{
	struct kvm_regs regs = { 0 };
	struct kvm_sregs s;
	int ret = xioctl(c->vcpu, KVM_GET_SREGS, &s);

	if (ret)
		return ret;
	if (flat32) {
		BENCH_FLAT32_SREGS(s);
	} else {
		s.cs.selector = 0;
		s.cs.base = 0;
		regs.rsp = BENCH_STACK_TOP;
	}
	ret = xioctl(c->vcpu, KVM_SET_SREGS, &s);
	regs.rip = BENCH_LOAD_ADDR;
	regs.rflags = 2;
	return ret ? ret : xioctl(c->vcpu, KVM_SET_REGS, &regs);
}

static int kvm_set_slot(void *p, uint32_t slot, uint64_t gpa, uint64_t size,
			void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	return xioctl(((struct kvm_ctx *)p)->vm, KVM_SET_USER_MEMORY_REGION,
		      &r);
}

static int kvm_setup(void **ctx, const struct bench_guest *g)
{
	struct kvm_ctx *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	c->vm = c->vcpu = c->stats = -1;
	c->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	ret = c->kvm < 0 ? -errno : (c->vm = xioctl(c->kvm, KVM_CREATE_VM, 0));
	if (ret >= 0)
		ret = bench_add_memory(&c->mem, g, kvm_set_slot, c);
	if (!ret)
		ret = c->vcpu = xioctl(c->vm, KVM_CREATE_VCPU, 0);
	if (ret >= 0)
		ret = c->stats = xioctl(c->vm, KVM_GET_STATS_FD, NULL);
	if (ret >= 0)
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
		ret = kvm_start_state(c, g->flat32);
	if (ret < 0)
		goto fail;
	*ctx = c;
	return 0;
fail:
	kvm_teardown(c);
	return ret;
}

static int kvm_restart(void *p)
{
	struct kvm_ctx *c = p;
	struct kvm_regs regs;
	int r = xioctl(c->vcpu, KVM_GET_REGS, &regs);

	regs.rip = BENCH_LOAD_ADDR;
	return r ? r : xioctl(c->vcpu, KVM_SET_REGS, &regs);
}

/* The VM statistic @name (KVM's binary stats, Documentation/virt/kvm/api.rst) */
static int kvm_vm_stat(struct kvm_ctx *c, const char *name, uint64_t *val)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *d;
	size_t dsize;
	uint32_t i;
	int r = -ENOENT;

	if (pread(c->stats, &h, sizeof(h), 0) != sizeof(h))
		return -EIO;
	dsize = sizeof(*d) + h.name_size;
	d = malloc(dsize);
	if (!d)
		return -ENOMEM;
	for (i = 0; i < h.num_desc && r == -ENOENT; i++) {
		if (pread(c->stats, d, dsize, h.desc_offset + i * dsize) !=
		    (ssize_t)dsize) {
			r = -EIO;
		} else if (!strncmp(d->name, name, h.name_size)) {
			r = pread(c->stats, val, 8, h.data_offset + d->offset)
			    == 8 ? 0 : -EIO;
		}
	}
	free(d);
	return r;
}

static int kvm_maps(void *p, struct bench_maps *m)
{
	struct kvm_ctx *c = p;
	int r = kvm_vm_stat(c, "pages_2m", &m->pages_2m);

	m->faults = BENCH_UNKNOWN;
	m->faults_4k = m->faults_2m = m->faults_1g = BENCH_UNKNOWN;
	return r ? r : kvm_vm_stat(c, "pages_1g", &m->pages_1g);
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
	return ((struct kvm_ctx *)p)->mem.base;
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
	.restart = kvm_restart,
	.mem = kvm_mem,
	.get_esi = kvm_get_esi,
	.maps = kvm_maps,
	.teardown = kvm_teardown,
};
