/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - one wrapper per VMX instruction. Each reports failure
 * (CF or ZF set: VMfailInvalid / VMfailValid) to its caller; no other
 * file contains VMX instructions except vmenter.S (VMLAUNCH/VMRESUME).
 */
#ifndef _MHV_VMX_OPS_H
#define _MHV_VMX_OPS_H

#include <linux/types.h>
#include <linux/errno.h>

/* Enter the guest; 0 after a VM exit, 1 if VMLAUNCH/VMRESUME failed. */
int mhv_vmx_vmenter(u64 *gprs, int launched);

static __always_inline int vmx_vmxon(u64 pa)
{
	asm goto("vmxon %0; jbe %l[fail]" : : "m"(pa) : "cc", "memory" : fail);
	return 0;
fail:
	return -EIO;
}

static __always_inline void vmx_vmxoff(void)
{
	asm volatile("vmxoff" ::: "cc", "memory");
}

static __always_inline int vmx_vmclear(u64 pa)
{
	asm goto("vmclear %0; jbe %l[fail]" : : "m"(pa) : "cc", "memory" : fail);
	return 0;
fail:
	return -EIO;
}

static __always_inline int vmx_vmptrld(u64 pa)
{
	asm goto("vmptrld %0; jbe %l[fail]" : : "m"(pa) : "cc", "memory" : fail);
	return 0;
fail:
	return -EIO;
}

/* Says in dmesg (rate-limited) which access failed and why; vmx.c. */
void vmx_access_failed(const char *insn, unsigned long field);

/*
 * VMREAD and VMWRITE report their own failures (a module bug: a field
 * the CPU lacks, or no current VMCS); a field that cannot be read reads
 * as 0.
 */
static __always_inline u64 vmx_vmread(unsigned long field)
{
	unsigned long value;

	asm goto("vmread %1, %0; jbe %l[fail]"
		 : "=r"(value) : "r"(field) : "cc" : fail);
	return value;
fail:
	vmx_access_failed("VMREAD", field);
	return 0;
}

static __always_inline void vmx_vmwrite(unsigned long field, u64 value)
{
	asm goto("vmwrite %0, %1; jbe %l[fail]"
		 : : "r"((unsigned long)value), "r"(field) : "cc" : fail);
	return;
fail:
	vmx_access_failed("VMWRITE", field);
}

/* @type: VMX_EPT_EXTENT_* (<asm/vmx.h>) */
static __always_inline int vmx_invept(unsigned long type, u64 eptp)
{
	struct { u64 eptp, reserved; } desc = { eptp, 0 };

	asm goto("invept %0, %1; jbe %l[fail]"
		 : : "m"(desc), "r"(type) : "cc", "memory" : fail);
	return 0;
fail:
	return -EIO;
}

/* @type: VMX_VPID_EXTENT_* (<asm/vmx.h>) */
static __always_inline int vmx_invvpid(unsigned long type, u16 vpid)
{
	struct { u64 vpid, gva; } desc = { vpid, 0 };

	asm goto("invvpid %0, %1; jbe %l[fail]"
		 : : "m"(desc), "r"(type) : "cc", "memory" : fail);
	return 0;
fail:
	return -EIO;
}

#endif /* _MHV_VMX_OPS_H */
