/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - one wrapper per SVM instruction. No other file contains
 * SVM instructions; VMRUN itself (with the GPR switch) is in vmenter.S.
 */
#ifndef _MHV_SVM_OPS_H
#define _MHV_SVM_OPS_H

#include <linux/types.h>

/* Enter the guest whose VMCB is at @vmcb_pa; see vmenter.S. */
void mhv_svm_vmrun(u64 vmcb_pa, u64 host_area_pa, u64 *gprs);
/* 1: mhv_svm_vmrun() runs UNTRAIN_RET's kernel-entry IBPB after #VMEXIT */
extern const u8 mhv_svm_exit_entry_ibpb;

/* Global interrupt flag: while clear, no interrupt or NMI is taken. */
static __always_inline void svm_clgi(void)
{
	asm volatile("clgi" ::: "memory");
}

static __always_inline void svm_stgi(void)
{
	asm volatile("stgi" ::: "memory");
}

#endif /* _MHV_SVM_OPS_H */
