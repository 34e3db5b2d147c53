// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - second-level paging (NPT on AMD, EPT on Intel).
 *
 * One generic walker over 4- or 5-level tables; the entry format comes
 * from the vendor (struct mhv_spte_ops). Tables start empty and are filled on
 * demand, one 4K page per nested page fault: the backing user page is
 * pinned long-term and charged to RLIMIT_MEMLOCK when first mapped
 * (mhv_pin_page()), and unpinned and uncharged when its slot is deleted
 * or the VM is destroyed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/io.h>
#include <linux/slab.h>

#include "mhv.h"

static unsigned int mhv_pt_index(u64 gpa, int level)
{
	return (gpa >> (PAGE_SHIFT + 9 * (level - 1))) & (PTRS_PER_PTE - 1);
}

static u64 mhv_level_size(int level)
{
	return 1ULL << (PAGE_SHIFT + 9 * (level - 1));
}

/**
 * mhv_max_gpa() - the first guest-physical address VMs cannot use.
 *
 * The smaller of what the host's physical address width allows and what
 * the second-level tables cover (48 bits with 4 levels, 57 with 5): an
 * address beyond the tables would alias a lower one in the walk.
 */
u64 mhv_max_gpa(void)
{
	u64 tables = mhv_level_size(mhv_caps_boot()->npt_levels + 1);

	return min(1ULL << boot_cpu_data.x86_phys_bits, tables);
}

int mhv_mmu_init(struct mhv_mmu *mmu)
{
	mutex_init(&mmu->lock);
	mmu->levels = mhv_caps_boot()->npt_levels;
	mmu->root = mhv_alloc_page_addr(GFP_KERNEL_ACCOUNT);
	if (!mmu->root)
		return -ENOMEM;
	mmu->root_pa = __pa(mmu->root);
	mmu->nr_tables = 1;
	return 0;
}

/*
 * Find the level-1 entry for @gpa, creating tables on the way when
 * @create. Returns NULL when a table is missing (or cannot be
 * allocated); *@leaf_level says at which level the walk stopped.
 */
static u64 *mhv_mmu_walk(struct mhv_mmu *mmu, u64 gpa, bool create,
			 int *leaf_level)
{
	const struct mhv_spte_ops *ops = mhv_vendor->spte;
	u64 *table = mmu->root;
	int level;

	for (level = mmu->levels; level > 1; level--) {
		u64 *e = &table[mhv_pt_index(gpa, level)];

		*leaf_level = level;
		if (ops->present(*e)) {
			if (ops->is_leaf(*e, level))
				return e;
		} else {
			u64 *next;

			if (!create)
				return NULL;
			next = mhv_alloc_page_addr(GFP_KERNEL_ACCOUNT);
			if (!next)
				return NULL;
			WRITE_ONCE(mmu->nr_tables, mmu->nr_tables + 1);
			*e = ops->table(__pa(next));
		}
		table = __va(ops->addr(*e));
	}
	*leaf_level = 1;
	return &table[mhv_pt_index(gpa, 1)];
}

/**
 * mhv_mmu_map() - map the page of @gpa after a nested page fault.
 * @vm:    the VM
 * @gpa:   the faulting guest-physical address, inside one of its slots
 * @write: the fault was a write
 *
 * Runs on the vCPU thread (its mm is the VM's), may sleep.
 * Return: 0, or -errno when the user memory cannot be pinned.
 */
int mhv_mmu_map(struct mhv_vm *vm, u64 gpa, bool write)
{
	const struct mhv_slot *slot = mhv_find_slot(vm, gpa);
	const struct mhv_spte_ops *ops = mhv_vendor->spte;
	struct mhv_mmu *mmu = &vm->mmu;
	u32 prot = MHV_SPTE_R | MHV_SPTE_X;
	struct page *page;
	unsigned long hva;
	int level, ret;
	u64 *e;

	if (!slot)
		return -EFAULT;
	gpa &= PAGE_MASK;
	hva = slot->hva + (gpa - slot->gpa);
	if (!(slot->flags & MHV_MEM_READONLY))
		prot |= MHV_SPTE_W;
	ret = mhv_pin_page(vm, hva, prot & MHV_SPTE_W, &page);
	if (ret)
		return ret;

	mutex_lock(&mmu->lock);
	e = mhv_mmu_walk(mmu, gpa, true, &level);
	if (!e) {
		ret = -ENOMEM;
	} else if (ops->present(*e)) {
		/* another vCPU filled it first */
		ret = 1;
	} else {
		*e = ops->leaf(page_to_phys(page), prot, 1);
		WRITE_ONCE(mmu->nr_mapped, mmu->nr_mapped + 1);
	}
	mutex_unlock(&mmu->lock);
	if (ret) {
		unpin_user_page(page);
		mhv_unpin_account(vm, 1);
	}
	return ret < 0 ? ret : 0;
}

static void mhv_unpin_leaf(struct mhv_mmu *mmu, u64 e, int level)
{
	const struct mhv_spte_ops *ops = mhv_vendor->spte;
	struct page *page = pfn_to_page(ops->addr(e) >> PAGE_SHIFT);
	bool dirty = ops->prot(e) & MHV_SPTE_W;

	unpin_user_pages_dirty_lock(&page, 1, dirty);
	WRITE_ONCE(mmu->nr_mapped, mmu->nr_mapped - 1);
}

/*
 * Clear the leaves of [start, end) under @table; free tables if @free.
 * The caller releases the RLIMIT_MEMLOCK charge of the pages unpinned
 * (the difference of mmu->nr_mapped) once it dropped mmu->lock.
 */
static void mhv_mmu_zap(struct mhv_mmu *mmu, u64 *table, int level,
			u64 base, u64 start, u64 end, bool free)
{
	const struct mhv_spte_ops *ops = mhv_vendor->spte;
	u64 size = mhv_level_size(level);
	unsigned int i;

	for (i = 0; i < PTRS_PER_PTE; i++) {
		u64 lo = base + i * size, hi = lo + size;
		u64 e = table[i];

		if (hi <= start || lo >= end || !ops->present(e))
			continue;
		if (ops->is_leaf(e, level)) {
			mhv_unpin_leaf(mmu, e, level);
			table[i] = 0;
			continue;
		}
		mhv_mmu_zap(mmu, __va(ops->addr(e)), level - 1, lo,
			    start, end, free);
		if (free) {
			mhv_free_page_addr(__va(ops->addr(e)));
			WRITE_ONCE(mmu->nr_tables, mmu->nr_tables - 1);
			table[i] = 0;
		}
	}
}

/* Unmap and unpin [gpa, gpa + size). The caller flushes the TLBs. */
void mhv_mmu_unmap_range(struct mhv_vm *vm, u64 gpa, u64 size)
{
	struct mhv_mmu *mmu = &vm->mmu;
	u64 before;

	mutex_lock(&mmu->lock);
	before = mmu->nr_mapped;
	mhv_mmu_zap(mmu, mmu->root, mmu->levels, 0, gpa, gpa + size, false);
	before -= mmu->nr_mapped;
	mutex_unlock(&mmu->lock);
	mhv_unpin_account(vm, before);
}

void mhv_mmu_destroy(struct mhv_vm *vm)
{
	struct mhv_mmu *mmu = &vm->mmu;
	u64 pinned = mmu->nr_mapped;

	if (!mmu->root)
		return;
	/* the last reference is gone: nothing else uses the tables */
	mhv_mmu_zap(mmu, mmu->root, mmu->levels, 0, 0, U64_MAX, true);
	mhv_unpin_account(vm, pinned);
	mhv_free_page_addr(mmu->root);
	mmu->root = NULL;
}

/* Report how @tr->gpa is mapped by the real second-level tables. */
int mhv_mmu_translate(struct mhv_vm *vm, struct mhv_translate *tr)
{
	const struct mhv_spte_ops *ops = mhv_vendor->spte;
	struct mhv_mmu *mmu = &vm->mmu;
	const struct mhv_slot *slot;
	unsigned int i;
	int level;
	u64 *e;

	if (tr->gpa >= mhv_max_gpa())
		return -EINVAL;
	tr->hpa = 0;
	tr->page_size = 0;
	tr->prot = 0;
	tr->level = 0;
	tr->pad = 0;
	tr->slot = ~0U;

	mutex_lock(&vm->lock);
	slot = mhv_find_slot(vm, tr->gpa);
	for (i = 0; slot && i < MHV_MAX_MEM_SLOTS; i++)
		if (&vm->slots[i] == slot)
			tr->slot = i;

	mutex_lock(&mmu->lock);
	e = mhv_mmu_walk(mmu, tr->gpa, false, &level);
	if (e && ops->present(*e)) {
		u64 size = mhv_level_size(level);

		tr->page_size = size;
		tr->level = level;
		tr->prot = ops->prot(*e);
		tr->hpa = ops->addr(*e) + (tr->gpa & (size - 1));
	}
	mutex_unlock(&mmu->lock);
	mutex_unlock(&vm->lock);
	return 0;
}
