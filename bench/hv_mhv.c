// SPDX-License-Identifier: GPL-2.0
/*
 * The multios_hv side of the benchmarks, through libmultios_hv.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "libmultios_hv.h"
#include "bench.h"

_Static_assert(BENCH_DEMO_STATUS == MHV_DEMO_VERSION << 8,
	       "the demo device's status after reset");

struct mhv_ctx {
	int sys, vm, vcpu, demo;
	struct mhv_run *run;
	uint8_t *mem;
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
	if (c->mem)
		munmap(c->mem, BENCH_MEM_SIZE);
	free(c);
}

static int mhv_setup(void **ctx, const uint8_t *code, size_t len)
{
	struct mhv_vm_config cfg;
	struct mhv_memory_region r = { 0 };
	struct mhv_ctx *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	c->vm = c->vcpu = -1;
	c->sys = mhv_open_system();
	c->mem = mmap(NULL, BENCH_MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->sys < 0 || c->mem == MAP_FAILED) {
		ret = c->sys < 0 ? c->sys : -ENOMEM;
		c->mem = c->mem == MAP_FAILED ? NULL : c->mem;
		goto fail;
	}
	memcpy(c->mem + BENCH_LOAD_ADDR, code, len);
	mhv_vm_config_default(&cfg);
	strcpy(cfg.name, "bench");
	cfg.memory_mb = 2;
	ret = c->vm = mhv_create_vm(c->sys, &cfg);
	if (ret < 0)
		goto fail;
	r.size = BENCH_RAM_SIZE;
	r.userspace_addr = (uintptr_t)c->mem;
	ret = mhv_set_memory_region(c->vm, &r);
	if (!ret)
		ret = c->vcpu = mhv_create_vcpu(c->vm, 0);
	if (ret >= 0)
		ret = mhv_map_run(c->vcpu, &c->run);
	if (!ret)
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
	return ((struct mhv_ctx *)p)->mem;
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
	.mem = mhv_mem,
	.get_esi = mhv_get_esi,
	.add_demo = mhv_add_demo,
	.demo_reads = mhv_demo_reads,
	.teardown = mhv_teardown,
};
