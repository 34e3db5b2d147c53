/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the Intel VMCS (Virtual Machine Control Structure).
 *
 * Unlike AMD's VMCB, the VMCS has no public memory layout: software reads
 * and writes it field by field with VMREAD/VMWRITE, each field named by a
 * 32-bit encoding (Intel SDM Vol. 3, Appendix B). The encodings below
 * are grouped as the SDM groups them: width (16/32/64-bit, natural) and
 * kind (control, read-only exit information, guest state, host state).
 */
#ifndef _MHV_VMX_VMCS_H
#define _MHV_VMX_VMCS_H

#include <linux/bits.h>

/* 16-bit */
#define VMCS_VPID			0x0000
#define VMCS_GUEST_ES_SEL		0x0800	/* + 2 * segment */
#define VMCS_HOST_ES_SEL		0x0c00
#define VMCS_HOST_CS_SEL		0x0c02
#define VMCS_HOST_SS_SEL		0x0c04
#define VMCS_HOST_DS_SEL		0x0c06
#define VMCS_HOST_FS_SEL		0x0c08
#define VMCS_HOST_GS_SEL		0x0c0a
#define VMCS_HOST_TR_SEL		0x0c0c
/* 64-bit */
#define VMCS_TSC_OFFSET			0x2010
#define VMCS_EPT_POINTER		0x201a
#define VMCS_GUEST_PHYS_ADDR		0x2400	/* read-only */
#define VMCS_LINK_POINTER		0x2800
#define VMCS_GUEST_DEBUGCTL		0x2802
#define VMCS_GUEST_PAT			0x2804
#define VMCS_GUEST_EFER			0x2806
#define VMCS_HOST_PAT			0x2c00
#define VMCS_HOST_EFER			0x2c02
/* 32-bit */
#define VMCS_PIN_CONTROLS		0x4000
#define VMCS_PROC_CONTROLS		0x4002
#define VMCS_EXCEPTION_BITMAP		0x4004
#define VMCS_CR3_TARGET_COUNT		0x400a
#define VMCS_EXIT_CONTROLS		0x400c
#define VMCS_EXIT_MSR_STORE_COUNT	0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT	0x4010
#define VMCS_ENTRY_CONTROLS		0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT	0x4014
#define VMCS_ENTRY_INTR_INFO		0x4016
#define VMCS_ENTRY_EXCEPTION_ERRCODE	0x4018
#define VMCS_PROC_CONTROLS2		0x401e
#define VMCS_INSTRUCTION_ERROR		0x4400	/* read-only from here */
#define VMCS_EXIT_REASON		0x4402
#define VMCS_EXIT_INTR_INFO		0x4404
#define VMCS_EXIT_INTR_ERRCODE		0x4406
#define VMCS_IDT_VECTORING_INFO		0x4408
#define VMCS_IDT_VECTORING_ERRCODE	0x440a
#define VMCS_EXIT_INSTRUCTION_LEN	0x440c
#define VMCS_GUEST_ES_LIMIT		0x4800	/* + 2 * segment */
#define VMCS_GUEST_GDTR_LIMIT		0x4810
#define VMCS_GUEST_IDTR_LIMIT		0x4812
#define VMCS_GUEST_ES_AR		0x4814	/* + 2 * segment */
#define VMCS_GUEST_INTERRUPTIBILITY	0x4824
#define VMCS_GUEST_ACTIVITY_STATE	0x4826
#define VMCS_GUEST_SYSENTER_CS		0x482a
#define VMCS_GUEST_PREEMPTION_TIMER	0x482e
#define VMCS_HOST_SYSENTER_CS		0x4c00
/* natural width */
#define VMCS_CR0_GUEST_HOST_MASK	0x6000
#define VMCS_CR4_GUEST_HOST_MASK	0x6002
#define VMCS_CR0_READ_SHADOW		0x6004
#define VMCS_CR4_READ_SHADOW		0x6006
#define VMCS_EXIT_QUALIFICATION		0x6400	/* read-only */
#define VMCS_GUEST_LINEAR_ADDR		0x640a	/* read-only */
#define VMCS_GUEST_CR0			0x6800
#define VMCS_GUEST_CR3			0x6802
#define VMCS_GUEST_CR4			0x6804
#define VMCS_GUEST_ES_BASE		0x6806	/* + 2 * segment */
#define VMCS_GUEST_GDTR_BASE		0x6816
#define VMCS_GUEST_IDTR_BASE		0x6818
#define VMCS_GUEST_DR7			0x681a
#define VMCS_GUEST_RSP			0x681c
#define VMCS_GUEST_RIP			0x681e
#define VMCS_GUEST_RFLAGS		0x6820
#define VMCS_GUEST_PENDING_DBG		0x6822
#define VMCS_GUEST_SYSENTER_ESP		0x6824
#define VMCS_GUEST_SYSENTER_EIP		0x6826
#define VMCS_HOST_CR0			0x6c00
#define VMCS_HOST_CR3			0x6c02
#define VMCS_HOST_CR4			0x6c04
#define VMCS_HOST_FS_BASE		0x6c06
#define VMCS_HOST_GS_BASE		0x6c08
#define VMCS_HOST_TR_BASE		0x6c0a
#define VMCS_HOST_GDTR_BASE		0x6c0c
#define VMCS_HOST_IDTR_BASE		0x6c0e
#define VMCS_HOST_SYSENTER_ESP		0x6c10
#define VMCS_HOST_SYSENTER_EIP		0x6c12
#define VMCS_HOST_RSP			0x6c14
#define VMCS_HOST_RIP			0x6c16

/* Segments in VMCS field order: field = base field + 2 * index */
enum vmx_seg { VMX_ES, VMX_CS, VMX_SS, VMX_DS, VMX_FS, VMX_GS, VMX_LDTR,
	       VMX_TR, VMX_NR_SEGS };

/* Access-rights format */
#define VMX_AR_UNUSABLE			BIT(16)

/* Pin-based controls */
#define VMX_PIN_EXT_INTR_EXITING	BIT(0)
#define VMX_PIN_NMI_EXITING		BIT(3)
#define VMX_PIN_PREEMPTION_TIMER	BIT(6)
/* Primary processor-based controls */
#define VMX_PROC_TSC_OFFSETTING		BIT(3)
#define VMX_PROC_HLT_EXITING		BIT(7)
#define VMX_PROC_MWAIT_EXITING		BIT(10)
#define VMX_PROC_RDPMC_EXITING		BIT(11)
#define VMX_PROC_CR3_LOAD_EXITING	BIT(15)
#define VMX_PROC_CR3_STORE_EXITING	BIT(16)
#define VMX_PROC_CR8_LOAD_EXITING	BIT(19)	/* else MOV CR8 is the host TPR */
#define VMX_PROC_CR8_STORE_EXITING	BIT(20)
#define VMX_PROC_MOV_DR_EXITING		BIT(23)
#define VMX_PROC_UNCOND_IO_EXITING	BIT(24)
#define VMX_PROC_MONITOR_EXITING	BIT(29)
#define VMX_PROC_SECONDARY		BIT(31)
/* Secondary processor-based controls */
#define VMX_PROC2_EPT			BIT(1)
#define VMX_PROC2_RDTSCP		BIT(3)	/* and RDPID */
#define VMX_PROC2_VPID			BIT(5)
#define VMX_PROC2_WBINVD_EXITING	BIT(6)	/* and WBNOINVD */
#define VMX_PROC2_UNRESTRICTED		BIT(7)
/* VM-exit controls */
#define VMX_EXIT_SAVE_DEBUG		BIT(2)
#define VMX_EXIT_HOST_64BIT		BIT(9)
#define VMX_EXIT_SAVE_PAT		BIT(18)
#define VMX_EXIT_LOAD_PAT		BIT(19)
#define VMX_EXIT_SAVE_EFER		BIT(20)
#define VMX_EXIT_LOAD_EFER		BIT(21)
/* VM-entry controls */
#define VMX_ENTRY_LOAD_DEBUG		BIT(2)
#define VMX_ENTRY_IA32E_GUEST		BIT(9)
#define VMX_ENTRY_LOAD_PAT		BIT(14)
#define VMX_ENTRY_LOAD_EFER		BIT(15)

/* Interruption information (entry injection, exit, IDT vectoring) */
#define VMX_INTR_VALID			BIT(31)
#define VMX_INTR_DELIVER_ERRCODE	BIT(11)
#define VMX_INTR_TYPE_HW_EXCEPTION	(3 << 8)
#define VMX_INTR_TYPE_MASK		(7 << 8)
#define VMX_INTR_TYPE_NMI		(2 << 8)
#define VMX_INTR_TYPE_SOFT_INTR		(4 << 8)	/* INT n */
#define VMX_INTR_TYPE_PRIV_SOFT_EXC	(5 << 8)	/* INT1 */
#define VMX_INTR_TYPE_SOFT_EXC		(6 << 8)	/* INT3, INTO */

/* Basic exit reasons (SDM Vol. 3, Appendix C) */
#define VMX_EXIT_EXCEPTION_NMI		0
#define VMX_EXIT_EXTERNAL_INTR		1
#define VMX_EXIT_TRIPLE_FAULT		2
#define VMX_EXIT_INIT			3
#define VMX_EXIT_SIPI			4
#define VMX_EXIT_CPUID			10
#define VMX_EXIT_HLT			12
#define VMX_EXIT_INVD			13
#define VMX_EXIT_RDPMC			15
#define VMX_EXIT_VMCALL			18
#define VMX_EXIT_VMCLEAR		19
#define VMX_EXIT_VMLAUNCH		20
#define VMX_EXIT_VMPTRLD		21
#define VMX_EXIT_VMPTRST		22
#define VMX_EXIT_VMREAD			23
#define VMX_EXIT_VMRESUME		24
#define VMX_EXIT_VMWRITE		25
#define VMX_EXIT_VMXOFF			26
#define VMX_EXIT_VMXON			27
#define VMX_EXIT_CR_ACCESS		28
#define VMX_EXIT_DR_ACCESS		29
#define VMX_EXIT_IO			30
#define VMX_EXIT_MSR_READ		31
#define VMX_EXIT_MSR_WRITE		32
#define VMX_EXIT_INVALID_STATE		33
#define VMX_EXIT_MSR_LOAD_FAIL		34
#define VMX_EXIT_MWAIT			36
#define VMX_EXIT_MONITOR		39
#define VMX_EXIT_MCE_DURING_ENTRY	41
#define VMX_EXIT_EPT_VIOLATION		48
#define VMX_EXIT_EPT_MISCONFIG		49
#define VMX_EXIT_INVEPT			50
#define VMX_EXIT_INVVPID		53
#define VMX_EXIT_PREEMPTION_TIMER	52
#define VMX_EXIT_WBINVD			54	/* and WBNOINVD */
#define VMX_EXIT_XSETBV			55
#define VMX_EXIT_MAX			56
#define VMX_EXIT_REASON_ENTRY_FAIL	BIT(31)

/* Exit qualification of I/O instructions */
#define VMX_IO_SIZE_MASK		0x7
#define VMX_IO_IN			BIT(3)
#define VMX_IO_STRING			BIT(4)
#define VMX_IO_REP			BIT(5)
#define VMX_IO_PORT_SHIFT		16
/* Exit qualification of EPT violations */
#define VMX_EPT_QUAL_WRITE		BIT(1)
#define VMX_EPT_QUAL_FETCH		BIT(2)
#define VMX_EPT_QUAL_PRESENT		(BIT(3) | BIT(4) | BIT(5))

/* EPT entries and pointer */
#define EPT_R				BIT_ULL(0)
#define EPT_W				BIT_ULL(1)
#define EPT_X				BIT_ULL(2)
#define EPT_MT_WB			(6ULL << 3)
#define EPT_LARGE			BIT_ULL(7)
#define EPT_ADDR_MASK			GENMASK_ULL(51, 12)
#define EPTP_MT_WB			6ULL
#define EPTP_LEVELS_SHIFT		3

#endif /* _MHV_VMX_VMCS_H */
