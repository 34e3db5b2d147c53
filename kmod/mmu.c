// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - second-level paging (NPT on AMD, EPT on Intel).
 *
 * One generic walker over 4- or 5-level tables; the entry format comes
 * from the vendor (struct mhv_spte_ops). Tables start empty and are filled on
 * demand, one page per nested page fault: the largest page (4K, 2M or 1G)
 * that the VM's page_size policy, the slot and the host backing allow
 * (mhv_map_level()). The backing user page is pinned long-term when first
 * mapped (mhv_pin_page(): one pin holds the whole host folio) and every
 * 4K page the leaf covers is charged to RLIMIT_MEMLOCK; they are
 * unpinned and uncharged when the slot is deleted or the VM is destroyed.
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
 * Find the entry for @gpa at level *@level (1 for lookups), creating
 * tables on the way when @create. A leaf met higher up is returned; a
 * table where a leaf of *@level was asked for makes the walk go on down
 * (the range is already partly mapped with smaller pages). Returns NULL
 * when a table is missing (or cannot be allocated); *@level says at which
 * level the walk stopped.
 */
static u64 *mhv_mmu_walk(struct mhv_mmu *mmu, u64 gpa, bool create,
			 int *level)
{
	const struct mhv_spte_ops *ops = mhv_vendor->spte;
	u64 *table = mmu->root;
	int want = *level, l;

	for (l = mmu->levels; l > 1; l--) {
		u64 *e = &table[mhv_pt_index(gpa, l)];

		*level = l;
		if (ops->present(*e)) {
			if (ops->is_leaf(*e, l))
				return e;
			want = min(want, l - 1);
		} else {
			u64 *next;

			if (l <= want)
				return e;
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
	*level = 1;
	return &table[mhv_pt_index(gpa, 1)];
}

/* The largest level the VM's page_size policy allows (1: 4K only). */
static int mhv_policy_level(const struct mhv_vm *vm)
{
	u64 flags = mhv_caps_boot()->flags;

	switch (vm->config.page_size) {
	case MHV_PAGE_SIZE_4K:
		return 1;
	case MHV_PAGE_SIZE_2M:
		return 2;
	default:	/* auto; 1g was checked against the CPU at creation */
		if (flags & MHV_CAP_PAGE_1G)
			return 3;
		return flags & MHV_CAP_PAGE_2M ? 2 : 1;
	}
}

/*
 * The largest level, at most @max, whose aligned range around @gpa lies
 * in @slot and has the same offset in user space as in guest-physical
 * space (so one host page of that size can back all of it).
 */
static int mhv_slot_level(const struct mhv_slot *slot, u64 gpa, int max)
{
	int level;

	for (level = max; level > 1; level--) {
		u64 size = mhv_level_size(level), base = gpa & ~(size - 1);

		if (base >= slot->gpa && base + size <= slot->gpa + slot->size &&
		    !((slot->hva - slot->gpa) & (size - 1)))
			return level;
	}
	return 1;
}

/*
 * The level to map @gpa with, @page being the pinned page behind it at
 * @hva: what the policy and the slot allow, cut to the host page that
 * maps @hva (mhv_host_level()), whose folio must hold the whole range
 * (the one pin then holds all of it). The extra pages of a large leaf
 * are charged here; the caller charged the first one.
 */
static int mhv_map_level(struct mhv_vm *vm, const struct mhv_slot *slot,
			 u64 gpa, unsigned long hva, struct page *page)
{
	int level = mhv_slot_level(slot, gpa, mhv_policy_level(vm));
	struct folio *folio = page_folio(page);
	unsigned long head, npages;

	if (level > 1)
		level = min(level, mhv_host_level(vm->mm, hva, page));
	for (; level > 1; level--) {
		npages = mhv_level_size(level) >> PAGE_SHIFT;
		head = page_to_pfn(page) - ((gpa >> PAGE_SHIFT) & (npages - 1));
		if (head >= folio_pfn(folio) &&
		    head + npages <= folio_pfn(folio) + folio_nr_pages(folio) &&
		    !mhv_pin_account(vm, npages - 1))
			break;
	}
	return level;
}

/**
 * mhv_mmu_map() - map the page of @gpa after a nested page fault.
 * @vm:     the VM
 * @gpa:    the faulting guest-physical address, inside one of its slots
 * @write:  the fault was a write
 * @mapped: output: the level of the leaf mapped (1: 4K, 2: 2M, 3: 1G),
 *          0 when another vCPU mapped it first
 *
 * Runs on the vCPU thread (its mm is the VM's), may sleep.
 * Return: 0, or -errno when the user memory cannot be pinned.
 */
int mhv_mmu_map(struct mhv_vm *vm, u64 gpa, bool write, int *mapped)
{
	const struct mhv_slot *slot = mhv_find_slot(vm, gpa);
	const struct mhv_spte_ops *ops = mhv_vendor->spte;
	struct mhv_mmu *mmu = &vm->mmu;
	u32 prot = MHV_SPTE_R | MHV_SPTE_X;
	unsigned long hva, charged, npages = 0;
	struct page *page;
	int level, ret;
	u64 *e;

	*mapped = 0;
	if (!slot)
		return -EFAULT;
	gpa &= PAGE_MASK;
	hva = slot->hva + (gpa - slot->gpa);
	if (!(slot->flags & MHV_MEM_READONLY))
		prot |= MHV_SPTE_W;
	ret = mhv_pin_page(vm, hva, prot & MHV_SPTE_W, &page);
	if (ret)
		return ret;
	level = mhv_map_level(vm, slot, gpa, hva, page);
	charged = mhv_level_size(level) >> PAGE_SHIFT;

	mutex_lock(&mmu->lock);
	e = mhv_mmu_walk(mmu, gpa, true, &level);
	if (!e) {
		ret = -ENOMEM;
	} else if (ops->present(*e)) {
		/* another vCPU filled it first */
		ret = 1;
	} else {
		u64 size = mhv_level_size(level);

		*e = ops->leaf(page_to_phys(page) - (gpa & (size - 1)), prot,
			       level);
		npages = size >> PAGE_SHIFT;
		WRITE_ONCE(mmu->nr_mapped, mmu->nr_mapped + npages);
		WRITE_ONCE(mmu->nr_leaves[level - 1],
			   mmu->nr_leaves[level - 1] + 1);
		*mapped = level;
	}
	mutex_unlock(&mmu->lock);
	if (ret)
		unpin_user_page(page);
	/* a smaller leaf than charged for: a table was in the way */
	mhv_unpin_account(vm, charged - npages);
	return ret < 0 ? ret : 0;
}

static void mhv_unpin_leaf(struct mhv_mmu *mmu, u64 e, int level)
{
	const struct mhv_spte_ops *ops = mhv_vendor->spte;
	struct page *page = pfn_to_page(ops->addr(e) >> PAGE_SHIFT);
	bool dirty = ops->prot(e) & MHV_SPTE_W;

	/* the one pin of the leaf, on the folio that holds all of it */
	unpin_user_pages_dirty_lock(&page, 1, dirty);
	WRITE_ONCE(mmu->nr_mapped,
		   mmu->nr_mapped - (mhv_level_size(level) >> PAGE_SHIFT));
	WRITE_ONCE(mmu->nr_leaves[level - 1], mmu->nr_leaves[level - 1] - 1);
}

/*
 * Clear the leaves of [start, end) under @table, large ones whole (a
 * large leaf lies in one slot, so in the range of a slot deleted), and
 * free the tables that map only addresses inside the range: a larger
 * page may be mapped there later. The caller releases the RLIMIT_MEMLOCK
 * charge of the pages unpinned (the difference of mmu->nr_mapped) once
 * it dropped mmu->lock, and flushes the TLBs.
 */
static void mhv_mmu_zap(struct mhv_mmu *mmu, u64 *table, int level,
			u64 base, u64 start, u64 end)
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
		mhv_mmu_zap(mmu, __va(ops->addr(e)), level - 1, lo, start, end);
		if (lo >= start && hi <= end) {
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
	mhv_mmu_zap(mmu, mmu->root, mmu->levels, 0, gpa, gpa + size);
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
	mhv_mmu_zap(mmu, mmu->root, mmu->levels, 0, 0, U64_MAX);
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
	level = 1;
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
