/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * MultiOS HV - the one interface shared by multios_hv.ko and userspace.
 *
 * Object model (like KVM): open("/dev/multios_hv") gives the system fd.
 * Every struct passed through an ioctl has a fixed size with reserved
 * space to grow; reserved fields must be zero on input and are zero on
 * output, so a later API version can give them a meaning.
 */
#ifndef _UAPI_LINUX_MULTIOS_HV_H
#define _UAPI_LINUX_MULTIOS_HV_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define MHV_DEVICE_NAME		"multios_hv"
#define MHV_DEVICE_PATH		"/dev/multios_hv"

/* Returned by MHV_GET_API_VERSION; bumped on any incompatible change. */
#define MHV_API_VERSION		1

/* ioctl type byte of every MultiOS HV ioctl */
#define MHVIO			0xE4

/* ---- capabilities -------------------------------------------------- */

enum mhv_vendor {
	MHV_VENDOR_UNKNOWN	= 0,
	MHV_VENDOR_AMD		= 1,
	MHV_VENDOR_INTEL	= 2,
};

/* Which hardware virtualization extension the module drives. */
enum mhv_virt {
	MHV_VIRT_NONE		= 0,
	MHV_VIRT_SVM		= 1,	/* AMD-V: VMRUN, VMCB, NPT */
	MHV_VIRT_VMX		= 2,	/* Intel VT-x: VMXON, VMCS, EPT */
};

/* Bits of mhv_caps.flags */
#define MHV_CAP_SVM		(1ULL << 0)  /* CPUID reports SVM */
#define MHV_CAP_VMX		(1ULL << 1)  /* CPUID reports VMX */
#define MHV_CAP_FW_DISABLED	(1ULL << 2)  /* VM_CR.SVMDIS / FEATURE_CONTROL */
#define MHV_CAP_NESTED_PAGING	(1ULL << 3)  /* NPT or EPT */
#define MHV_CAP_PAGE_2M		(1ULL << 4)  /* 2M second-level pages */
#define MHV_CAP_PAGE_1G		(1ULL << 5)  /* 1G second-level pages */
#define MHV_CAP_NRIPS		(1ULL << 6)  /* SVM: next-RIP saved on exit */
#define MHV_CAP_DECODE_ASSISTS	(1ULL << 7)  /* SVM: decode assists */
#define MHV_CAP_VMCB_CLEAN	(1ULL << 8)  /* SVM: VMCB clean bits */
#define MHV_CAP_FLUSH_BY_ASID	(1ULL << 9)  /* SVM: TLB flush by ASID */
#define MHV_CAP_UNRESTRICTED	(1ULL << 10) /* VMX: unrestricted guest */
#define MHV_CAP_VPID		(1ULL << 11) /* VMX: VPID */
#define MHV_CAP_NPT_5LEVEL	(1ULL << 12) /* host uses 5-level paging */
#define MHV_CAP_IN_USE		(1ULL << 13) /* another hypervisor owns it */
#define MHV_CAP_EPT_AD		(1ULL << 14) /* VMX: EPT accessed/dirty */
#define MHV_CAP_NR_FLAGS	15

struct mhv_caps {
	__u32 vendor;		/* enum mhv_vendor */
	__u32 virt;		/* enum mhv_virt */
	__u64 flags;		/* MHV_CAP_* */
	__u32 nr_cpus;		/* online CPUs the module can run vCPUs on */
	__u32 max_vcpus;	/* per VM */
	__u32 nr_asids;		/* SVM ASIDs or 65535 VPIDs, 0 if none */
	__u32 npt_levels;	/* second-level paging levels (4 or 5) */
	__u32 svm_revision;	/* SVM revision (CPUID 0x8000000A EAX) */
	__u32 max_mem_mb;	/* largest memory a VM may be given */
	char  vendor_id[16];	/* CPUID vendor string, NUL-terminated */
	__u64 reserved[14];
};

/* ---- system fd ioctls ---------------------------------------------- */

#define MHV_GET_API_VERSION	_IO(MHVIO, 0x00)
#define MHV_GET_CAPS		_IOR(MHVIO, 0x01, struct mhv_caps)

#endif /* _UAPI_LINUX_MULTIOS_HV_H */
