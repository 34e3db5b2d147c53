// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - what the module holds, counted exactly.
 *
 * Every page the module allocates (control blocks, second-level tables,
 * run pages, per-CPU areas, permission maps) comes from
 * mhv_alloc_pages() and goes back through mhv_free_pages(), so the
 * counter below is exact; pinned guest pages, VMs and vCPUs are counted
 * where they are made and freed. With no VM alive every counter is 0.
 * /sys/kernel/debug/multios_hv/counters shows them ("name value" lines),
 * which the selftests use to prove that nothing stays behind.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/seq_file.h>

#include "mhv.h"

static atomic_long_t mhv_pages_held;	/* pages allocated, not yet freed */
static atomic_long_t mhv_pages_pinned;	/* guest pages pinned */
static atomic_t mhv_vms_alive;
static atomic_t mhv_vcpus_alive;
static struct dentry *mhv_debugfs_dir;

/**
 * mhv_alloc_pages() - allocate 2^@order zeroed pages, counted.
 * @gfp:   allocation flags (__GFP_ZERO is added)
 * @order: log2 of the number of pages
 *
 * Return: the first page, or NULL.
 */
struct page *mhv_alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp | __GFP_ZERO, order);

	if (page)
		atomic_long_add(1L << order, &mhv_pages_held);
	return page;
}

/* Free what mhv_alloc_pages() returned; NULL is ignored. */
void mhv_free_pages(struct page *page, unsigned int order)
{
	if (!page)
		return;
	__free_pages(page, order);
	atomic_long_sub(1L << order, &mhv_pages_held);
}

/* One zeroed page, counted, by its kernel address (NULL on failure). */
void *mhv_alloc_page_addr(gfp_t gfp)
{
	struct page *page = mhv_alloc_pages(gfp, 0);

	return page ? page_address(page) : NULL;
}

void mhv_free_page_addr(void *addr)
{
	if (addr)
		mhv_free_pages(virt_to_page(addr), 0);
}

void mhv_memstat_pinned(long delta)
{
	atomic_long_add(delta, &mhv_pages_pinned);
}

void mhv_memstat_objects(int vms, int vcpus)
{
	atomic_add(vms, &mhv_vms_alive);
	atomic_add(vcpus, &mhv_vcpus_alive);
}

static int mhv_counters_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "pages %ld\n", atomic_long_read(&mhv_pages_held));
	seq_printf(m, "pinned %ld\n", atomic_long_read(&mhv_pages_pinned));
	seq_printf(m, "vms %d\n", atomic_read(&mhv_vms_alive));
	seq_printf(m, "vcpus %d\n", atomic_read(&mhv_vcpus_alive));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mhv_counters);

/* The debugfs directory; the module works without it. */
void mhv_memstat_init(void)
{
	mhv_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("counters", 0400, mhv_debugfs_dir, NULL,
			    &mhv_counters_fops);
}

void mhv_memstat_exit(void)
{
	debugfs_remove_recursive(mhv_debugfs_dir);
}
