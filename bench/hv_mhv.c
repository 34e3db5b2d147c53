// SPDX-License-Identifier: GPL-2.0
/*
 * The multios_hv side of the benchmarks, through libmultios_hv.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"
#include "bench.h"

_Static_assert(BENCH_DEMO_STATUS == MHV_DEMO_VERSION << 8,
	       "the demo device's status after reset");

struct mhv_ctx {
	int sys, vm, vcpu, demo;
	struct mhv_run *run;
	struct bench_mem mem;
};

static void mhv_teardown(void *p)
{
	struct mhv_ctx *c = p;

	if (c->run)
		mhv_unmap_run(c->run);
	if (c->vcpu >= 0)
		mhv_close(c->vcpu);
	if (c->vm >= 0)
		mhv_close(c->vm);
	if (c->sys >= 0)
		mhv_close(c->sys);
	bench_mem_free(&c->mem);
	free(c);
}

/* Flat 32-bit protected mode at BENCH_LOAD_ADDR (real mode: the library's) */
static int mhv_set_flat32(int vcpu)
{
	struct mhv_regs regs = { 0 };
	struct mhv_sregs s;
	int ret = mhv_get_sregs(vcpu, &s);

	if (ret)
		return ret;
	BENCH_FLAT32_SREGS(s);
	ret = mhv_set_sregs(vcpu, &s);
	regs.rip = BENCH_LOAD_ADDR;
	regs.rflags = 2;
	return ret ? ret : mhv_set_regs(vcpu, &regs);
}

static int mhv_set_slot(void *p, uint32_t slot, uint64_t gpa, uint64_t size,
			void *hva)
{
	struct mhv_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	return mhv_set_memory_region(((struct mhv_ctx *)p)->vm, &r);
}

static int mhv_setup(void **ctx, const struct bench_guest *g)
{
	struct mhv_vm_config cfg;
	struct mhv_ctx *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	c->vm = c->vcpu = -1;
	c->sys = mhv_open_system();
	if (c->sys < 0) {
		ret = c->sys;
		goto fail;
	}
	mhv_vm_config_default(&cfg);
	strcpy(cfg.name, "bench");
	cfg.memory_mb = 2 + (g->big_size >> 20);
	cfg.page_size = g->page_size;
	ret = c->vm = mhv_create_vm(c->sys, &cfg);
	if (ret >= 0)
		ret = bench_add_memory(&c->mem, g, mhv_set_slot, c);
	if (!ret)
		ret = c->vcpu = mhv_create_vcpu(c->vm, 0);
	if (ret >= 0)
		ret = mhv_map_run(c->vcpu, &c->run);
	if (!ret && g->flat32)
		ret = mhv_set_flat32(c->vcpu);
	else if (!ret)
		ret = mhv_vcpu_set_real_mode(c->vcpu, BENCH_LOAD_ADDR,
					     BENCH_STACK_TOP);
	if (ret < 0)
		goto fail;
	*ctx = c;
	return 0;
fail:
	mhv_teardown(c);
	return ret;
}

static int mhv_restart(void *p)
{
	struct mhv_ctx *c = p;
	struct mhv_regs regs;
	int r = mhv_get_regs(c->vcpu, &regs);

	regs.rip = BENCH_LOAD_ADDR;
	return r ? r : mhv_set_regs(c->vcpu, &regs);
}

static int mhv_maps(void *p, struct bench_maps *m)
{
	struct mhv_ctx *c = p;
	struct mhv_vcpu_stats st;
	int r = mhv_get_vcpu_stats(c->vcpu, &st);

	m->faults = st.counters[MHV_STAT_NPF];
	m->faults_4k = st.counters[MHV_STAT_NPF_4K];
	m->faults_2m = st.counters[MHV_STAT_NPF_2M];
	m->faults_1g = st.counters[MHV_STAT_NPF_1G];
	m->pages_2m = BENCH_UNKNOWN;
	m->pages_1g = BENCH_UNKNOWN;
	return r;
}

static int mhv_bench_run(void *p, uint64_t *user_exits)
{
	struct mhv_ctx *c = p;
	int r;

	for (;;) {
		r = mhv_run(c->vcpu);
		if (r)
			return r;
		switch (c->run->exit_reason) {
		case MHV_EXIT_MMIO:
			if (!c->run->mmio.is_write)
				bench_answer_read(c->run->mmio.data, c->run->mmio.len);
			(*user_exits)++;
			break;
		case MHV_EXIT_IO:
			(*user_exits)++;
			break;
		case MHV_EXIT_HLT:
			return 0;
		default:
			return -EIO;
		}
	}
}

static uint8_t *mhv_mem(void *p)
{
	return ((struct mhv_ctx *)p)->mem.base;
}

static int mhv_get_esi(void *p, uint32_t *esi)
{
	struct mhv_regs regs;
	int r = mhv_get_regs(((struct mhv_ctx *)p)->vcpu, &regs);

	*esi = (uint32_t)regs.rsi;
	return r;
}

static int mhv_add_demo(void *p)
{
	struct mhv_ctx *c = p;
	int id = mhv_create_device(c->vm, MHV_DEV_TYPE_DEMO,
				   MHV_DEV_SPACE_MMIO, BENCH_DEMO_GPA);

	if (id < 0)
		return id;
	c->demo = id;
	return 0;
}

static int mhv_demo_reads(void *p, uint64_t *reads)
{
	struct mhv_ctx *c = p;
	struct mhv_device_stats st;
	int r = mhv_get_device_stats(c->vm, c->demo, &st);

	*reads = st.reads;
	return r;
}

const struct hv_ops mhv_hv_ops = {
	.name = "multios_hv",
	.setup = mhv_setup,
	.run = mhv_bench_run,
	.restart = mhv_restart,
	.mem = mhv_mem,
	.get_esi = mhv_get_esi,
	.maps = mhv_maps,
	.add_demo = mhv_add_demo,
	.demo_reads = mhv_demo_reads,
	.teardown = mhv_teardown,
};
