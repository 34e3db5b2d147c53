/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the VMCB, as the kernel defines it (<asm/svm.h>: struct
 * vmcb, the INTERCEPT_* bits, SVM_EVTINJ_*, SVM_IOIO_*, the exit codes
 * of <uapi/asm/svm.h>), and the few encodings the kernel leaves to KVM's
 * own sources.
 */
#ifndef _MHV_SVM_VMCB_H
#define _MHV_SVM_VMCB_H

#include <linux/bits.h>
#include <asm/svm.h>

/* EXITINFO1 of IOIO exits: the segment of OUTS and the port */
#define SVM_IOIO_SEG_SHIFT		10
#define SVM_IOIO_PORT_SHIFT		16

/* EXITINFO1 of CR/DR exits with decode assists: the register is valid */
#define SVM_CRDR_VALID			BIT_ULL(63)

/*
 * VMCB clean bits (APM vol. 2, "VMCB state caching"): a set bit lets
 * VMRUN keep its cached copy of that area; every write of the area by
 * the module clears it (svm_mark_dirty()).
 */
enum svm_clean_bit {
	SVM_CLEAN_I,		/* intercept vectors, TSC offset, pause filter */
	SVM_CLEAN_IOPM,		/* IOPM_BASE_PA, MSRPM_BASE_PA */
	SVM_CLEAN_ASID,
	SVM_CLEAN_TPR,		/* V_TPR, V_IRQ, V_INTR_PRIO ... (int_ctl) */
	SVM_CLEAN_NP,		/* nested_cr3, G_PAT */
	SVM_CLEAN_CR,		/* CR0, CR3, CR4, EFER */
	SVM_CLEAN_DR,		/* DR6, DR7 */
	SVM_CLEAN_DT,		/* GDTR, IDTR */
	SVM_CLEAN_SEG,		/* CS, DS, SS, ES, CPL */
	SVM_CLEAN_CR2,
	SVM_CLEAN_LBR,		/* DBGCTL, last branch records */
	SVM_CLEAN_NR		/* AVIC (bit 11) is not used: always reloaded */
};

/*
 * What a VMRUN may keep after an exit: all of it but the TPR area, which
 * the CPU writes back at every exit (V_TPR, V_IRQ), reloaded each time
 * as KVM does.
 */
#define SVM_CLEAN_ALL		((BIT(SVM_CLEAN_NR) - 1) & ~BIT(SVM_CLEAN_TPR))

#endif /* _MHV_SVM_VMCB_H */
