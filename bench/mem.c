// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory for both hypervisors, backed alike: plain anonymous
 * memory, transparent huge pages (2M-aligned, MADV_HUGEPAGE) or
 * hugetlbfs 1G pages.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB	(30 << MAP_HUGE_SHIFT)
#endif

#define SZ_2M	(2UL << 20)
#define SZ_1G	(1UL << 30)

int bench_mem_alloc(struct bench_mem *m, enum bench_backing b, size_t len)
{
	int prot = PROT_READ | PROT_WRITE;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	uintptr_t a;

	switch (b) {
	case BENCH_BACK_THP:
		/* 2M more, to start on a 2M boundary */
		m->map_len = len + SZ_2M;
		break;
	case BENCH_BACK_1G:
		m->map_len = (len + SZ_1G - 1) & ~(SZ_1G - 1);
		flags |= MAP_HUGETLB | MAP_HUGE_1GB;
		break;
	default:
		m->map_len = len;
	}
	m->map = mmap(NULL, m->map_len, prot, flags, -1, 0);
	if (m->map == MAP_FAILED) {
		m->map = NULL;
		return -errno;
	}
	a = (uintptr_t)m->map;
	if (b == BENCH_BACK_THP) {
		a = (a + SZ_2M - 1) & ~(SZ_2M - 1);
		if (madvise((void *)a, len, MADV_HUGEPAGE)) {
			int r = -errno;

			bench_mem_free(m);
			return r;
		}
	}
	m->base = (uint8_t *)a;
	return 0;
}

void bench_mem_free(struct bench_mem *m)
{
	if (m->map)
		munmap(m->map, m->map_len);
	m->map = NULL;
	m->base = NULL;
}

int bench_add_memory(struct bench_mem *mem, const struct bench_guest *g,
		     bench_set_slot_fn set_slot, void *vm)
{
	int ret = bench_mem_alloc(mem, BENCH_BACK_ANON, BENCH_MEM_SIZE);

	if (ret)
		return ret;
	memcpy(mem->base + BENCH_LOAD_ADDR, g->code, g->len);
	ret = set_slot(vm, 0, 0, BENCH_RAM_SIZE, mem->base);
	if (ret || !g->big_size)
		return ret;
	return set_slot(vm, 1, g->big_gpa, g->big_size, g->big);
}
