/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the Intel VMCS (Virtual Machine Control Structure).
 *
 * Unlike AMD's VMCB, the VMCS has no public memory layout: software reads
 * and writes it field by field with VMREAD/VMWRITE, each field named by a
 * 32-bit encoding (Intel SDM Vol. 3, Appendix B).
 *
 * The kernel's headers name nearly all of it, and this module uses their
 * names: the field encodings (enum vmcs_field), the control bits
 * (PIN_BASED_*, CPU_BASED_*, SECONDARY_EXEC_*, VM_EXIT_*, VM_ENTRY_*),
 * interruption information (INTR_INFO_*, INTR_TYPE_*), segment access
 * rights (VMX_AR_*), EPT entries and capabilities (VMX_EPT_*, VMX_EPTP_*)
 * and the exit qualifications it has names for (EPT_VIOLATION_*,
 * CONTROL_REG_ACCESS_*, DEBUG_REG_ACCESS_*) in <asm/vmx.h>; the exit
 * reasons (EXIT_REASON_*) in <uapi/asm/vmx.h>; the capability MSRs
 * (MSR_IA32_VMX_*, FEAT_CTL_*, VMX_BASIC_TRUE_CTLS) in <asm/msr-index.h>.
 *
 * Defined here is only what those headers (of Linux 6.1 and 6.12 alike)
 * do not name.
 */
#ifndef _MHV_VMX_VMCS_H
#define _MHV_VMX_VMCS_H

/*
 * HOST_RSP, for vmenter.S: <asm/vmx.h> is C only (an enum, inline
 * functions), not assembler-safe. vmx.c checks it against HOST_RSP.
 */
#define MHV_VMCS_HOST_RSP		0x6c14

#ifndef __ASSEMBLY__

#include <linux/bits.h>

/*
 * Segments in VMCS field order: field = ES field + 2 * index (the
 * kernel's VCPU_SREG_* put TR before LDTR, and live in KVM's headers).
 */
enum vmx_seg { VMX_ES, VMX_CS, VMX_SS, VMX_DS, VMX_FS, VMX_GS, VMX_LDTR,
	       VMX_TR, VMX_NR_SEGS };

/* Access rights: AVL, which the VMX_AR_* masks leave out */
#define MHV_VMX_AR_AVL			BIT(12)

/* Exit qualification of I/O instructions: no kernel names at all */
#define MHV_VMX_IO_SIZE_MASK		0x7
#define MHV_VMX_IO_IN			BIT(3)
#define MHV_VMX_IO_STRING		BIT(4)
#define MHV_VMX_IO_REP			BIT(5)
#define MHV_VMX_IO_PORT_SHIFT		16

/*
 * Exit qualification of CR accesses: the register number is bits 3:0
 * (CR8 needs bit 3); the kernel's CONTROL_REG_ACCESS_NUM covers 2:0 only.
 */
#define MHV_VMX_CR_NUM			0xf

/*
 * EPT entries: the page-size bit and the address field, which
 * <asm/vmx.h> does not name (the kernel's page-table masks are for x86
 * page tables and follow the host's physical-address mask).
 */
#define MHV_EPT_LARGE			BIT_ULL(7)
#define MHV_EPT_ADDR_MASK		GENMASK_ULL(51, 12)

#endif /* __ASSEMBLY__ */

#endif /* _MHV_VMX_VMCS_H */
