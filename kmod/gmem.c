// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - guest memory as the vCPU thread sees it.
 *
 * Guest-physical memory is the user memory of the slots, so the vCPU
 * thread (whose mm is the VM's) reads and writes it with the ordinary
 * user-copy functions. Guest-virtual addresses are translated by walking
 * the guest's own page tables in its current paging mode.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/uaccess.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>

#include "mhv.h"

typedef unsigned long (*mhv_copy_fn)(void *data, void __user *uptr,
				     unsigned long len);

static unsigned long mhv_copy_in(void *data, void __user *uptr,
				 unsigned long len)
{
	return copy_from_user(data, uptr, len);
}

static unsigned long mhv_copy_out(void *data, void __user *uptr,
				  unsigned long len)
{
	return copy_to_user(uptr, data, len);
}

static int mhv_access_gpa(struct mhv_vm *vm, u64 gpa, void *data,
			  size_t len, bool write)
{
	while (len) {
		const struct mhv_slot *slot = mhv_find_slot(vm, gpa);
		size_t chunk;
		void __user *uptr;

		if (!slot || (write && (slot->flags & MHV_MEM_READONLY)))
			return -EFAULT;
		chunk = min_t(u64, len, slot->gpa + slot->size - gpa);
		uptr = u64_to_user_ptr(slot->hva + (gpa - slot->gpa));
		if ((write ? mhv_copy_out : mhv_copy_in)(data, uptr, chunk))
			return -EFAULT;
		gpa += chunk;
		data += chunk;
		len -= chunk;
	}
	return 0;
}

int mhv_read_gpa(struct mhv_vm *vm, u64 gpa, void *data, size_t len)
{
	return mhv_access_gpa(vm, gpa, data, len, false);
}

int mhv_write_gpa(struct mhv_vm *vm, u64 gpa, const void *data, size_t len)
{
	return mhv_access_gpa(vm, gpa, (void *)data, len, true);
}

#define GPTE_ADDR	GENMASK_ULL(51, 12)

/**
 * mhv_gva_to_gpa() - translate a guest linear address.
 * @vcpu:  the vCPU whose paging mode and CR3 are used
 * @gva:   linear address (segment base already added)
 * @write: the access is a write (not checked against the guest's RW
 *         bits: like a supervisor access with CR0.WP clear)
 * @gpa:   output
 *
 * Handles paging off, 32-bit (2-level), PAE (3-level) and long mode
 * (4- or 5-level) with large pages.
 *
 * Return: 0; -ENXIO when a page-table entry of the walk is not in slot
 * memory (the guest put its page tables in MMIO space); -EFAULT when an
 * entry is not present.
 */
int mhv_gva_to_gpa(struct mhv_vcpu *vcpu, u64 gva, bool write, u64 *gpa)
{
	struct mhv_sregs s;
	int level, levels, esize, bits;
	u64 table;

	mhv_vendor->get_sregs(vcpu, &s);
	if (!(s.cr0 & X86_CR0_PG)) {
		*gpa = gva & 0xffffffffULL;
		return 0;
	}
	if (s.efer & EFER_LMA) {
		levels = (s.cr4 & X86_CR4_LA57) ? 5 : 4;
		esize = 8;
		table = s.cr3 & GPTE_ADDR;
	} else if (s.cr4 & X86_CR4_PAE) {
		levels = 3;
		esize = 8;
		table = s.cr3 & 0xffffffe0ULL;
		gva &= 0xffffffffULL;
	} else {
		levels = 2;
		esize = 4;
		table = s.cr3 & 0xfffff000ULL;
		gva &= 0xffffffffULL;
	}

	for (level = levels; level >= 1; level--) {
		unsigned int idx;
		u64 e = 0;

		bits = esize == 8 ? 9 : 10;
		idx = (gva >> (12 + bits * (level - 1))) & ((1U << bits) - 1);
		if (levels == 3 && level == 3)
			idx = (gva >> 30) & 3;	/* PDPTE */
		if (mhv_read_gpa(vcpu->vm, table + idx * esize, &e, esize))
			return -ENXIO;
		if (!(e & _PAGE_PRESENT))
			return -EFAULT;
		if (level == 1) {
			*gpa = (e & GPTE_ADDR) | (gva & 0xfff);
			return 0;
		}
		if ((e & _PAGE_PSE) && level <= 3 &&
		    !(levels == 3 && level == 3)) {
			u64 size;

			if (esize == 4) {	/* 4M page, 32-bit paging */
				*gpa = (e & 0xffc00000ULL) | (gva & 0x3fffff);
				return 0;
			}
			size = 1ULL << (12 + 9 * (level - 1));
			*gpa = (e & GPTE_ADDR & ~(size - 1)) | (gva & (size - 1));
			return 0;
		}
		table = esize == 4 ? (e & 0xfffff000ULL) : (e & GPTE_ADDR);
	}
	return -EFAULT;
}

static int mhv_access_gva(struct mhv_vcpu *vcpu, u64 gva, void *data,
			  size_t len, bool write)
{
	while (len) {
		size_t chunk = min_t(u64, len, PAGE_SIZE - (gva & ~PAGE_MASK));
		u64 gpa;
		int ret;

		ret = mhv_gva_to_gpa(vcpu, gva, write, &gpa);
		if (!ret)
			ret = mhv_access_gpa(vcpu->vm, gpa, data, chunk, write);
		if (ret)
			return ret;
		gva += chunk;
		data += chunk;
		len -= chunk;
	}
	return 0;
}

int mhv_read_gva(struct mhv_vcpu *vcpu, u64 gva, void *data, size_t len)
{
	return mhv_access_gva(vcpu, gva, data, len, false);
}

int mhv_write_gva(struct mhv_vcpu *vcpu, u64 gva, const void *data,
		  size_t len)
{
	return mhv_access_gva(vcpu, gva, (void *)data, len, true);
}
