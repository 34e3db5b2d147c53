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

#endif /* _MHV_SVM_VMCB_H */
