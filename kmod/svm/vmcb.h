/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the AMD VMCB (Virtual Machine Control Block), as laid out
 * in the AMD64 Architecture Programmer's Manual, Vol. 2, Appendix B.
 *
 * One 4K page per vCPU: a control area (what to intercept, how to enter,
 * why we exited) at 0x000 and the guest state save area at 0x400.
 */
#ifndef _MHV_SVM_VMCB_H
#define _MHV_SVM_VMCB_H

#include <linux/types.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>

struct vmcb_ctrl {
	u32 intercept_cr;		/* 0x000: CR reads 0-15, writes 16-31 */
	u32 intercept_dr;		/* 0x004 */
	u32 intercept_exceptions;	/* 0x008: one bit per vector */
	u32 intercept_misc1;		/* 0x00c: SVM_INTERCEPT1_* */
	u32 intercept_misc2;		/* 0x010: SVM_INTERCEPT2_* */
	u32 intercept_misc3;		/* 0x014 */
	u8  reserved_1[0x3c - 0x18];
	u16 pause_filter_thresh;	/* 0x03c */
	u16 pause_filter_count;		/* 0x03e */
	u64 iopm_base_pa;		/* 0x040: I/O permission map */
	u64 msrpm_base_pa;		/* 0x048: MSR permission map */
	u64 tsc_offset;			/* 0x050 */
	u32 asid;			/* 0x058: guest address space id */
	u8  tlb_ctl;			/* 0x05c: SVM_TLB_* */
	u8  reserved_2[3];
	u64 int_ctl;			/* 0x060: V_TPR, V_IRQ, V_INTR_MASKING */
	u64 int_state;			/* 0x068: interrupt shadow */
	u64 exit_code;			/* 0x070 */
	u64 exit_info_1;		/* 0x078 */
	u64 exit_info_2;		/* 0x080 */
	u64 exit_int_info;		/* 0x088: event being delivered */
	u64 nested_ctl;			/* 0x090: bit 0 = nested paging */
	u64 avic_vapic_bar;		/* 0x098 */
	u64 ghcb_gpa;			/* 0x0a0 */
	u64 event_inj;			/* 0x0a8: event to inject */
	u64 nested_cr3;			/* 0x0b0: root of the NPT */
	u64 virt_ext;			/* 0x0b8 */
	u32 clean;			/* 0x0c0: VMCB clean bits */
	u32 reserved_3;
	u64 next_rip;			/* 0x0c8: with NRIPS */
	u8  insn_len;			/* 0x0d0: with decode assists */
	u8  insn_bytes[15];
	u8  reserved_4[0x400 - 0x0e0];
} __packed;

struct vmcb_seg {
	u16 selector;
	u16 attrib;	/* type:4 s:1 dpl:2 p:1 avl:1 l:1 db:1 g:1 */
	u32 limit;
	u64 base;
} __packed;

struct vmcb_save {
	struct vmcb_seg es;		/* 0x400 */
	struct vmcb_seg cs;
	struct vmcb_seg ss;
	struct vmcb_seg ds;
	struct vmcb_seg fs;
	struct vmcb_seg gs;
	struct vmcb_seg gdtr;
	struct vmcb_seg ldtr;
	struct vmcb_seg idtr;
	struct vmcb_seg tr;		/* 0x490 */
	u8  reserved_1[0xcb - 0xa0];
	u8  cpl;			/* 0x4cb */
	u32 reserved_2;
	u64 efer;			/* 0x4d0 */
	u8  reserved_3[0x148 - 0xd8];
	u64 cr4;			/* 0x548 */
	u64 cr3;
	u64 cr0;
	u64 dr7;
	u64 dr6;
	u64 rflags;
	u64 rip;			/* 0x578 */
	u8  reserved_4[0x1d8 - 0x180];
	u64 rsp;			/* 0x5d8 */
	u64 s_cet;
	u64 ssp;
	u64 isst_addr;
	u64 rax;			/* 0x5f8 */
	u64 star;
	u64 lstar;
	u64 cstar;
	u64 sfmask;
	u64 kernel_gs_base;
	u64 sysenter_cs;
	u64 sysenter_esp;
	u64 sysenter_eip;
	u64 cr2;			/* 0x640 */
	u8  reserved_5[0x268 - 0x248];
	u64 g_pat;			/* 0x668 */
	u64 dbgctl;
	u64 br_from;
	u64 br_to;
	u64 last_excp_from;
	u64 last_excp_to;
} __packed;

struct vmcb {
	struct vmcb_ctrl control;
	struct vmcb_save save;
} __packed;

static_assert(offsetof(struct vmcb_ctrl, iopm_base_pa) == 0x040);
static_assert(offsetof(struct vmcb_ctrl, nested_cr3) == 0x0b0);
static_assert(offsetof(struct vmcb_ctrl, insn_len) == 0x0d0);
static_assert(sizeof(struct vmcb_ctrl) == 0x400);
static_assert(offsetof(struct vmcb_save, efer) == 0x0d0);
static_assert(offsetof(struct vmcb_save, cr4) == 0x148);
static_assert(offsetof(struct vmcb_save, rsp) == 0x1d8);
static_assert(offsetof(struct vmcb_save, rax) == 0x1f8);
static_assert(offsetof(struct vmcb_save, g_pat) == 0x268);

/* intercept_misc1 */
#define SVM_INTERCEPT1_INTR		BIT(0)
#define SVM_INTERCEPT1_NMI		BIT(1)
#define SVM_INTERCEPT1_SMI		BIT(2)
#define SVM_INTERCEPT1_INIT		BIT(3)
#define SVM_INTERCEPT1_RDPMC		BIT(15)
#define SVM_INTERCEPT1_CPUID		BIT(18)
#define SVM_INTERCEPT1_INVD		BIT(22)
#define SVM_INTERCEPT1_HLT		BIT(24)
#define SVM_INTERCEPT1_INVLPGA		BIT(26)
#define SVM_INTERCEPT1_IOIO_PROT	BIT(27)
#define SVM_INTERCEPT1_MSR_PROT		BIT(28)
#define SVM_INTERCEPT1_SHUTDOWN		BIT(31)
/* intercept_misc2 */
#define SVM_INTERCEPT2_VMRUN		BIT(0)
#define SVM_INTERCEPT2_VMMCALL		BIT(1)
#define SVM_INTERCEPT2_VMLOAD		BIT(2)
#define SVM_INTERCEPT2_VMSAVE		BIT(3)
#define SVM_INTERCEPT2_STGI		BIT(4)
#define SVM_INTERCEPT2_CLGI		BIT(5)
#define SVM_INTERCEPT2_SKINIT		BIT(6)
#define SVM_INTERCEPT2_WBINVD		BIT(9)	/* and WBNOINVD */
#define SVM_INTERCEPT2_MONITOR		BIT(10)
#define SVM_INTERCEPT2_MWAIT		BIT(11)
#define SVM_INTERCEPT2_MWAIT_COND	BIT(12)
#define SVM_INTERCEPT2_XSETBV		BIT(13)
#define SVM_INTERCEPT2_RDPRU		BIT(14)

#define SVM_TLB_FLUSH_NOTHING		0
#define SVM_TLB_FLUSH_ALL		1

#define SVM_INT_CTL_V_INTR_MASKING	BIT_ULL(24)
#define SVM_NESTED_CTL_NP_ENABLE	BIT_ULL(0)

/* event_inj / exit_int_info */
#define SVM_EVTINJ_VEC_MASK		0xffULL
#define SVM_EVTINJ_TYPE_MASK		(7ULL << 8)
#define SVM_EVTINJ_TYPE_EXEPT		(3ULL << 8)
#define SVM_EVTINJ_TYPE_SOFT		(4ULL << 8)
#define SVM_EVTINJ_VALID_ERR		BIT_ULL(11)
#define SVM_EVTINJ_VALID		BIT_ULL(31)

/* Exit codes (APM Vol. 2, Appendix C) */
#define SVM_EXIT_WRITE_CR4		0x014
#define SVM_EXIT_READ_DR0		0x020	/* ... DR7: 0x027 */
#define SVM_EXIT_WRITE_DR0		0x030	/* ... DR7: 0x037 */
#define SVM_EXIT_EXCP_BASE		0x040
#define SVM_EXIT_INTR			0x060
#define SVM_EXIT_NMI			0x061
#define SVM_EXIT_SMI			0x062
#define SVM_EXIT_INIT			0x063
#define SVM_EXIT_RDPMC			0x06f
#define SVM_EXIT_CPUID			0x072
#define SVM_EXIT_INVD			0x076
#define SVM_EXIT_HLT			0x078
#define SVM_EXIT_INVLPGA		0x07a
#define SVM_EXIT_IOIO			0x07b
#define SVM_EXIT_MSR			0x07c
#define SVM_EXIT_SHUTDOWN		0x07f
#define SVM_EXIT_VMRUN			0x080
#define SVM_EXIT_VMMCALL		0x081
#define SVM_EXIT_VMLOAD			0x082
#define SVM_EXIT_VMSAVE			0x083
#define SVM_EXIT_STGI			0x084
#define SVM_EXIT_CLGI			0x085
#define SVM_EXIT_SKINIT			0x086
#define SVM_EXIT_WBINVD			0x089
#define SVM_EXIT_MONITOR		0x08a
#define SVM_EXIT_MWAIT			0x08b
#define SVM_EXIT_MWAIT_COND		0x08c
#define SVM_EXIT_XSETBV			0x08d
#define SVM_EXIT_RDPRU			0x08e
#define SVM_EXIT_NPF			0x400
#define SVM_EXIT_INVALID		((u64)-1)

/* EXITINFO1 of IOIO */
#define SVM_IOIO_TYPE_IN		BIT(0)
#define SVM_IOIO_STR			BIT(2)
#define SVM_IOIO_REP			BIT(3)
#define SVM_IOIO_SIZE_SHIFT		4	/* 3 bits: 1, 2, 4 bytes */
#define SVM_IOIO_ASIZE_SHIFT		7	/* 3 bits: 16, 32, 64 */
#define SVM_IOIO_SEG_SHIFT		10
#define SVM_IOIO_PORT_SHIFT		16

/* EXITINFO1 of NPF */
/* EXITINFO1 of CR/DR exits with decode assists */
#define SVM_CRDR_VALID			BIT_ULL(63)
#define SVM_CRDR_GPR_MASK		0xfULL

#define SVM_NPF_PRESENT			BIT_ULL(0)
#define SVM_NPF_WRITE			BIT_ULL(1)
#define SVM_NPF_FETCH			BIT_ULL(4)

#endif /* _MHV_SVM_VMCB_H */
