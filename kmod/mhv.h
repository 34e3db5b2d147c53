/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - core definitions shared by the generic code and the vendor
 * backends (kmod/svm/, kmod/vmx/).
 */
#ifndef _MHV_H
#define _MHV_H

#include <linux/types.h>
#include <linux/multios_hv.h>

/* Limits the module enforces on every VM. */
#define MHV_MAX_VCPUS		16
#define MHV_MAX_MEM_MB		4096

/**
 * struct mhv_vendor_ops - one table per hardware extension (SVM, VMX).
 *
 * Generic code calls these hooks and nothing else of the vendor code;
 * each backend fills one instance with designated initializers.
 *
 * @name:	short name printed in dmesg and by tools ("svm", "vmx")
 * @virt:	enum mhv_virt value reported in struct mhv_caps
 * @probe:	fill the vendor part of @caps from CPUID and MSRs; returns 0
 *		when the extension exists (even if firmware disabled it),
 *		-ENODEV when the CPU lacks it. Runs in process context.
 */
struct mhv_vendor_ops {
	const char *name;
	enum mhv_virt virt;
	int (*probe)(struct mhv_caps *caps);
};

extern const struct mhv_vendor_ops mhv_svm_ops;
extern const struct mhv_vendor_ops mhv_vmx_ops;

/* The backend chosen at module load; never changes afterwards. */
extern const struct mhv_vendor_ops *mhv_vendor;

/* caps.c */
int mhv_caps_init(void);
void mhv_caps_get(struct mhv_caps *caps);

#endif /* _MHV_H */
