// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - information and resource limits.
 *
 * What an unprivileged caller may learn about the host (host-side values
 * in the state dump, host-physical addresses from TRANSLATE), how guest
 * memory pins are charged to RLIMIT_MEMLOCK and which mappings may back
 * a slot, and how much a guest or a caller can write to the kernel log.
 * Documentation/security.rst ("Information and resource limits") gives
 * the rules; this file is the one place that applies them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "mhv.h"

/* ---- host-side values ------------------------------------------------- */

/**
 * mhv_caller_sees_host() - may the current caller see host-side values?
 *
 * Host-side values are the host's own state (its RIP, RSP, CR3, segment
 * and descriptor-table bases, ...) and host-physical addresses (control
 * blocks, permission maps, nested_cr3/EPTP, TRANSLATE's hpa): the same
 * class of information the kernel keeps from /proc/PID/pagemap and %p
 * without CAP_SYS_ADMIN. The capability of the task making the ioctl is
 * what counts, not the opener's: an fd passed to (or inherited by) an
 * unprivileged process shows it nothing more. Not audited: lacking the
 * capability only hides values, it refuses nothing.
 */
bool mhv_caller_sees_host(void)
{
	return has_capability_noaudit(current, CAP_SYS_ADMIN);
}

/**
 * mhv_dump_host() - a host-side value as the state dump may show it.
 * @show_host: the reader may see host-side values
 * @val:       the value
 *
 * Vendor dumps pass every host-side field through this; hidden values
 * read as 0, and mhv_dump_header() says so at the top of the dump.
 */
u64 mhv_dump_host(bool show_host, u64 val)
{
	return show_host ? val : 0;
}

/* The first line of every state dump: are host-side values shown? */
size_t mhv_dump_header(char *buf, size_t size, bool show_host)
{
	static const char what[] =
		"host-side values (host state, physical addresses, nested_cr3/EPTP)";

	return scnprintf(buf, size, "%s: %s\n", what, show_host ? "shown" :
			 "hidden: needs CAP_SYS_ADMIN (shown as 0)");
}

/* ---- reports in the kernel log ---------------------------------------- */

static DEFINE_RATELIMIT_STATE(mhv_report_rs, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);

#define MHV_REPORTED	0	/* bit of vm->reported */

/**
 * mhv_report_begin() - may @vm write a report to the kernel log now?
 * @vm: the VM a guest or a caller made fail
 *
 * A report is one message (a line, or the failed-entry dump) about
 * something a guest or a user caused. Each VM gets one, its first; all
 * VMs together get DEFAULT_RATELIMIT_BURST per DEFAULT_RATELIMIT_INTERVAL
 * (the kernel's default printk rate limit). What is dropped is counted
 * by the rate limit's own "callbacks suppressed" line.
 *
 * Return: true when the caller should print its report now.
 */
bool mhv_report_begin(struct mhv_vm *vm)
{
	if (test_and_set_bit(MHV_REPORTED, &vm->reported))
		return false;
	return __ratelimit(&mhv_report_rs);
}

/* ---- memory behind slots ---------------------------------------------- */

/*
 * May this mapping back guest memory? Its pages are pinned long-term and
 * written by the guest behind the owner's back: fine for anonymous
 * memory and for shmem, memfd and hugetlbfs (no filesystem writeback),
 * not for other shared file mappings (the filesystem never learns that a
 * pinned page was dirtied) nor for VM_IO/VM_PFNMAP mappings, which have
 * no pages to pin.
 */
static int mhv_check_vma(struct vm_area_struct *vma)
{
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return -EOPNOTSUPP;
	if ((vma->vm_flags & VM_MAYSHARE) && vma->vm_file &&
	    !shmem_file(vma->vm_file) && !is_vm_hugetlb_page(vma))
		return -EOPNOTSUPP;
	return 0;
}

/**
 * mhv_check_slot_memory() - may [@hva, @hva + @size) back a slot?
 * @hva:  start of the user memory, page aligned
 * @size: its length
 *
 * Called at MHV_SET_MEMORY_REGION for what is mapped then; holes are
 * allowed (nothing to pin yet). The mapping may change later, so
 * mhv_pin_page() checks again at each nested page fault.
 *
 * Return: 0 or -EOPNOTSUPP.
 */
int mhv_check_slot_memory(u64 hva, u64 size)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(mm);
	for (vma = find_vma(mm, hva); vma && vma->vm_start < hva + size;
	     vma = find_vma(mm, vma->vm_end)) {
		ret = mhv_check_vma(vma);
		if (ret)
			break;
	}
	mmap_read_unlock(mm);
	return ret;
}

/* The mapping at @hva may back guest memory (-EFAULT: nothing there). */
static int mhv_check_hva(struct mm_struct *mm, unsigned long hva)
{
	struct vm_area_struct *vma;
	int ret;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	vma = find_vma(mm, hva);
	ret = vma && vma->vm_start <= hva ? mhv_check_vma(vma) : -EFAULT;
	mmap_read_unlock(mm);
	return ret;
}

/*
 * A page the guest may write must be anonymous, shmem or hugetlbfs: the
 * mapping checked before pinning may have been replaced since. Read-only
 * pins of page-cache pages (a ROM image mapped MAP_PRIVATE) are fine.
 */
static bool mhv_page_writable_by_guest(struct page *page)
{
	struct folio *folio = page_folio(page);
	struct address_space *mapping;

	if (folio_test_anon(folio) || folio_test_hugetlb(folio))
		return true;
	mapping = folio_mapping(folio);
	return mapping && shmem_mapping(mapping);
}

/**
 * mhv_pin_page() - pin the user page behind a guest page, long-term.
 * @vm:    the VM; the caller is its vCPU thread (current->mm == vm->mm)
 * @hva:   user address of the page
 * @write: the guest may write it
 * @page:  output
 *
 * The page is charged to RLIMIT_MEMLOCK of vm->mm (account_locked_vm():
 * a caller with CAP_IPC_LOCK is counted but not limited) until
 * mhv_unpin_account() releases it. The pin is FOLL_LONGTERM through
 * pin_user_pages_fast(), the call that allows it without a WARN on both
 * 6.1 and 6.12 (6.1 refuses it in pin_user_pages_unlocked()); the
 * mapping is checked before (mhv_check_vma()) and the page after, as
 * the mapping can change in between.
 *
 * Return: 0; -ENOMEM over RLIMIT_MEMLOCK; -EOPNOTSUPP for a mapping that
 * may not back guest memory; -EINTR on a fatal signal; -EFAULT when
 * nothing is mapped there or it cannot be pinned.
 */
int mhv_pin_page(struct mhv_vm *vm, unsigned long hva, bool write,
		 struct page **page)
{
	unsigned int gup = FOLL_LONGTERM | (write ? FOLL_WRITE : 0);
	struct mm_struct *mm = vm->mm;
	int ret, n;

	ret = account_locked_vm(mm, 1, true);
	if (ret)
		return ret;
	ret = mhv_check_hva(mm, hva);
	if (!ret) {
		n = pin_user_pages_fast(hva, 1, gup, page);
		if (n != 1)
			ret = n < 0 ? n : -EFAULT;
	}
	if (!ret && write && !mhv_page_writable_by_guest(*page)) {
		unpin_user_page(*page);
		ret = -EOPNOTSUPP;
	}
	if (ret) {
		account_locked_vm(mm, 1, false);
		return ret;
	}
	mhv_memstat_pinned(1);
	return 0;
}

/**
 * mhv_unpin_account() - release the charge of pages just unpinned.
 * @vm:     the VM whose mm was charged
 * @npages: how many pages were unpinned
 *
 * Takes vm->mm's mmap_lock: call it with none of the module's locks but
 * vm->lock held (see the lock order in mhv.h). vm->mm may have exited
 * already (a process killed with its VM); it is still allocated
 * (mmgrab()) and its counter still the one that was charged.
 */
void mhv_unpin_account(struct mhv_vm *vm, unsigned long npages)
{
	if (!npages)
		return;
	account_locked_vm(vm->mm, npages, false);
	mhv_memstat_pinned(-(long)npages);
}

/**
 * mhv_pin_account() - charge @npages more pinned pages to vm->mm.
 * @vm:     the VM; its vCPU thread, with none of the module's locks but
 *          vm->lock held (mmap_lock is taken)
 * @npages: pages a large leaf covers beyond the one mhv_pin_page()
 *          charged
 *
 * Return: 0, or -ENOMEM over RLIMIT_MEMLOCK (nothing charged then).
 */
int mhv_pin_account(struct mhv_vm *vm, unsigned long npages)
{
	int ret = account_locked_vm(vm->mm, npages, true);

	if (!ret)
		mhv_memstat_pinned(npages);
	return ret;
}

/**
 * mhv_host_level() - how large a host page maps @hva to @page.
 * @mm:   the VM's mm (the caller is its vCPU thread)
 * @hva:  a user address
 * @page: the page pinned at @hva
 *
 * Walks the host page tables of @mm, as KVM does to find how large a
 * page it may map: 3 when a 1G leaf (hugetlbfs) maps @hva, 2 for a 2M
 * leaf (a PMD-mapped transparent huge page or hugetlbfs), 1 otherwise,
 * and 1 when the leaf no longer maps @page (the mapping changed since
 * the pin). Upper-level tables are freed only under the mmap_lock
 * held for writing, so holding it for reading keeps them.
 */
int mhv_host_level(struct mm_struct *mm, unsigned long hva,
		   struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	pud_t *pudp, pud;
	pmd_t pmd;
	p4d_t *p4d;
	pgd_t *pgd;
	int level = 1;

	if (mmap_read_lock_killable(mm))
		return 1;
	pgd = pgd_offset(mm, hva);
	if (!pgd_present(READ_ONCE(*pgd)))
		goto out;
	p4d = p4d_offset(pgd, hva);
	if (!p4d_present(READ_ONCE(*p4d)))
		goto out;
	pudp = pud_offset(p4d, hva);
	pud = READ_ONCE(*pudp);
	if (!pud_present(pud))
		goto out;
	if (pud_leaf(pud)) {
		if (pud_pfn(pud) + ((hva & ~PUD_MASK) >> PAGE_SHIFT) == pfn)
			level = 3;
		goto out;
	}
	pmd = READ_ONCE(*pmd_offset(pudp, hva));
	if (pmd_present(pmd) && pmd_leaf(pmd) &&
	    pmd_pfn(pmd) + ((hva & ~PMD_MASK) >> PAGE_SHIFT) == pfn)
		level = 2;
out:
	mmap_read_unlock(mm);
	return level;
}

/**
 * mhv_report_dump() - the control block dump, as part of a report.
 * @vcpu: the vCPU whose entry failed
 *
 * Only after mhv_report_begin() said yes. Host-side values are always
 * hidden here, whoever reads the kernel log; each line names the VM and
 * vCPU so that it can be told apart from other VMs' lines.
 */
void mhv_report_dump(struct mhv_vcpu *vcpu)
{
	char *buf = kvzalloc(MHV_DUMP_MAX, GFP_KERNEL);
	char *line, *cur;
	size_t len;

	if (!buf)
		return;
	len = mhv_dump_header(buf, MHV_DUMP_MAX, false);
	mhv_vendor->dump(vcpu, buf + len, MHV_DUMP_MAX - len, false);
	cur = buf;
	while ((line = strsep(&cur, "\n")) && *line)
		pr_err("VM \"%s\" vCPU %u:   %s\n", vcpu->vm->config.name,
		       vcpu->id, line);
	kvfree(buf);
}
