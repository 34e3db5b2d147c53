// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - names of the uapi enums and flags.
 */
#include "libmultios_hv.h"

#define NAME_OF(table, i) \
	((i) < sizeof(table) / sizeof((table)[0]) && (table)[i] ? \
	 (table)[i] : "unknown")

const char *mhv_vendor_name(uint32_t vendor)
{
	static const char *const n[] = {
		[MHV_VENDOR_UNKNOWN] = "unknown", [MHV_VENDOR_AMD] = "AMD",
		[MHV_VENDOR_INTEL] = "Intel",
	};
	return NAME_OF(n, vendor);
}

const char *mhv_virt_name(uint32_t virt)
{
	static const char *const n[] = {
		[MHV_VIRT_NONE] = "none", [MHV_VIRT_SVM] = "AMD-V (SVM)",
		[MHV_VIRT_VMX] = "Intel VT-x (VMX)",
	};
	return NAME_OF(n, virt);
}

static const struct {
	const char *name;
	const char *desc;
} cap_flags[MHV_CAP_NR_FLAGS] = {
	{ "svm", "CPU has AMD-V: VMRUN runs a guest from a VMCB" },
	{ "vmx", "CPU has Intel VT-x: VMLAUNCH runs a guest from a VMCS" },
	{ "fw_disabled", "firmware locked virtualization off (BIOS setting)" },
	{ "nested_paging", "second-level page tables (NPT/EPT) translate guest-physical addresses" },
	{ "page_2m", "second-level tables can map 2 MiB pages" },
	{ "page_1g", "second-level tables can map 1 GiB pages" },
	{ "nrips", "the CPU saves the next RIP on exits (no decoding to skip)" },
	{ "decode_assists", "the CPU decodes intercepted instructions for us" },
	{ "vmcb_clean", "VMCB clean bits let VMRUN skip reloading unchanged state" },
	{ "flush_by_asid", "TLB entries can be flushed for one guest ASID" },
	{ "unrestricted_guest", "real-mode guests run directly under VT-x" },
	{ "vpid", "tagged TLB entries per vCPU (VT-x VPID)" },
	{ "npt_5level", "second-level tables have 5 levels (host uses LA57)" },
	{ "in_use", "another hypervisor (e.g. KVM) currently owns the extension" },
	{ "ept_ad", "EPT keeps accessed/dirty bits" },
};

const char *mhv_cap_flag_name(unsigned int bit)
{
	return bit < MHV_CAP_NR_FLAGS ? cap_flags[bit].name : "unknown";
}

const char *mhv_cap_flag_desc(unsigned int bit)
{
	return bit < MHV_CAP_NR_FLAGS ? cap_flags[bit].desc : "unknown";
}

const char *mhv_vm_state_name(uint32_t state)
{
	static const char *const n[] = {
		[MHV_VM_CREATED] = "CREATED", [MHV_VM_RUNNING] = "RUNNING",
		[MHV_VM_PAUSED] = "PAUSED", [MHV_VM_STOPPED] = "STOPPED",
		[MHV_VM_ERROR] = "ERROR",
	};
	return NAME_OF(n, state);
}

const char *mhv_exit_reason_name(uint32_t reason)
{
	static const char *const n[] = {
		[MHV_EXIT_NONE] = "NONE", [MHV_EXIT_IO] = "IO",
		[MHV_EXIT_MMIO] = "MMIO", [MHV_EXIT_HLT] = "HLT",
		[MHV_EXIT_SHUTDOWN] = "SHUTDOWN",
		[MHV_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[MHV_EXIT_UNKNOWN] = "UNKNOWN", [MHV_EXIT_INTR] = "INTR",
		[MHV_EXIT_STOPPED] = "STOPPED",
		[MHV_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
	};
	return NAME_OF(n, reason);
}

const char *mhv_error_name(uint32_t error)
{
	static const char *const n[] = {
		[MHV_ERR_NONE] = "none",
		[MHV_ERR_TRIPLE_FAULT] = "triple fault",
		[MHV_ERR_ENTRY_FAILED] = "VM entry failed (invalid guest state)",
		[MHV_ERR_UNKNOWN_EXIT] = "unhandled exit",
		[MHV_ERR_INTERNAL] = "internal error (emulation or memory)",
	};
	return NAME_OF(n, error);
}

const char *mhv_stat_name(unsigned int stat)
{
	static const char *const n[] = {
		[MHV_STAT_EXITS] = "exits", [MHV_STAT_USER_EXITS] = "user_exits",
		[MHV_STAT_CPUID] = "cpuid", [MHV_STAT_HLT] = "hlt",
		[MHV_STAT_IO] = "io", [MHV_STAT_IO_STRING] = "io_string",
		[MHV_STAT_MMIO] = "mmio", [MHV_STAT_MSR_READ] = "msr_read",
		[MHV_STAT_MSR_WRITE] = "msr_write", [MHV_STAT_MSR_GP] = "msr_gp",
		[MHV_STAT_NPF] = "npf", [MHV_STAT_INTR] = "intr",
		[MHV_STAT_NMI] = "nmi", [MHV_STAT_SHUTDOWN] = "shutdown",
		[MHV_STAT_FAIL_ENTRY] = "fail_entry",
		[MHV_STAT_UNKNOWN] = "unknown_exit", [MHV_STAT_SIGNAL] = "signal",
		[MHV_STAT_UD] = "ud_injected",
	};
	return NAME_OF(n, stat);
}
