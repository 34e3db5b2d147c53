// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - capabilities: names of vendors, extensions and
 * MHV_CAP_* flags, and struct mhv_caps as a table or as JSON.
 */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "libmultios_hv.h"
#include "internal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *mhv_vendor_name(uint32_t vendor)
{
	static const char *const names[] = {
		[MHV_VENDOR_UNKNOWN]	= "unknown",
		[MHV_VENDOR_AMD]	= "AMD",
		[MHV_VENDOR_INTEL]	= "Intel",
	};

	return vendor < ARRAY_SIZE(names) ? names[vendor] : "unknown";
}

const char *mhv_virt_name(uint32_t virt)
{
	static const char *const names[] = {
		[MHV_VIRT_NONE]	= "none",
		[MHV_VIRT_SVM]	= "AMD-V (SVM)",
		[MHV_VIRT_VMX]	= "Intel VT-x (VMX)",
	};

	return virt < ARRAY_SIZE(names) ? names[virt] : "unknown";
}

/* the "extension" value of the JSON output */
static const char *mhv_virt_key(uint32_t virt)
{
	static const char *const keys[] = {
		[MHV_VIRT_NONE]	= "none",
		[MHV_VIRT_SVM]	= "svm",
		[MHV_VIRT_VMX]	= "vmx",
	};

	return virt < ARRAY_SIZE(keys) ? keys[virt] : "unknown";
}

/*
 * One entry per MHV_CAP_* flag, indexed by its bit number. A flag added
 * to the uapi header without an entry here is caught by the unit tests
 * (every bit below MHV_CAP_NR_FLAGS must have a name).
 */
#define CAP(flag, n, d)	[__builtin_ctzll(flag)] = { .name = n, .desc = d }

static const struct {
	const char *name;
	const char *desc;
} mhv_cap_flags[MHV_CAP_NR_FLAGS] = {
	CAP(MHV_CAP_SVM, "svm",
	    "the CPU has AMD-V: VMRUN runs a guest described by a VMCB"),
	CAP(MHV_CAP_VMX, "vmx",
	    "the CPU has Intel VT-x: VMLAUNCH runs a guest described by a VMCS"),
	CAP(MHV_CAP_FW_DISABLED, "fw_disabled",
	    "the firmware switched virtualization off (enable it in the BIOS/UEFI setup)"),
	CAP(MHV_CAP_NESTED_PAGING, "nested_paging",
	    "second-level page tables (NPT/EPT) translate guest-physical addresses in hardware"),
	CAP(MHV_CAP_PAGE_2M, "page_2m",
	    "the CPU has 2 MiB second-level pages: used where the host backing allows"),
	CAP(MHV_CAP_PAGE_1G, "page_1g",
	    "the CPU has 1 GiB second-level pages: used where the host backing allows"),
	CAP(MHV_CAP_NRIPS, "nrips",
	    "the CPU saves the next RIP on an exit, so skipping an instruction needs no decoding"),
	CAP(MHV_CAP_DECODE_ASSISTS, "decode_assists",
	    "the CPU reports the intercepted instruction's bytes and operands on an exit"),
	CAP(MHV_CAP_VMCB_CLEAN, "vmcb_clean",
	    "VMCB clean bits let VMRUN skip reloading guest state that did not change"),
	CAP(MHV_CAP_FLUSH_BY_ASID, "flush_by_asid",
	    "the TLB can be flushed for one guest's ASID instead of entirely"),
	CAP(MHV_CAP_UNRESTRICTED, "unrestricted_guest",
	    "VT-x runs real-mode and unpaged guest code directly, without emulation"),
	CAP(MHV_CAP_VPID, "vpid",
	    "TLB entries are tagged per vCPU (VPID), so entries and exits need no TLB flush"),
	CAP(MHV_CAP_NPT_5LEVEL, "npt_5level",
	    "the host uses 5-level paging (LA57), so second-level tables have 5 levels"),
	CAP(MHV_CAP_IN_USE, "in_use",
	    "another hypervisor (e.g. KVM) has the extension switched on right now"),
	CAP(MHV_CAP_EPT_AD, "ept_ad",
	    "EPT sets accessed/dirty bits, showing which guest pages were touched"),
};

const char *mhv_cap_flag_name(unsigned int bit)
{
	return bit < MHV_CAP_NR_FLAGS && mhv_cap_flags[bit].name ?
	       mhv_cap_flags[bit].name : "unknown";
}

const char *mhv_cap_flag_desc(unsigned int bit)
{
	return bit < MHV_CAP_NR_FLAGS && mhv_cap_flags[bit].desc ?
	       mhv_cap_flags[bit].desc : "unknown";
}

_Static_assert(MHV_CAP_NR_FLAGS < 64, "mhv_caps.flags has 64 bits");

/* Flag bits this library has no name for (a newer module). */
static uint64_t mhv_caps_unknown_flags(const struct mhv_caps *c)
{
	return c->flags & ~((1ULL << MHV_CAP_NR_FLAGS) - 1);
}

/* vendor_id is a fixed-size field from the module: print it defensively */
static void mhv_caps_vendor_id(const struct mhv_caps *c,
			       char out[sizeof(c->vendor_id) + 1])
{
	size_t i, n = strnlen(c->vendor_id, sizeof(c->vendor_id));

	for (i = 0; i < n; i++)
		out[i] = isprint((unsigned char)c->vendor_id[i]) ?
			 c->vendor_id[i] : '?';
	out[n] = '\0';
}

#define ROW	"%-20s "

int mhv_caps_format_table(const struct mhv_caps *c, char *buf, size_t len)
{
	char vendor_id[sizeof(c->vendor_id) + 1];
	uint64_t unknown = mhv_caps_unknown_flags(c);
	struct mhv_out o;
	unsigned int i;

	mhv_caps_vendor_id(c, vendor_id);
	mhv_out_init(&o, buf, len);
	mhv_out_printf(&o, ROW "%s (%s)\n", "vendor",
		       mhv_vendor_name(c->vendor), vendor_id);
	mhv_out_printf(&o, ROW "%s", "extension", mhv_virt_name(c->virt));
	if (c->virt == MHV_VIRT_SVM)
		mhv_out_printf(&o, ", revision %u", c->svm_revision);
	mhv_out_printf(&o, "\n");
	mhv_out_printf(&o, ROW "%u\n", "CPUs", c->nr_cpus);
	mhv_out_printf(&o, ROW "%u\n", "max vCPUs per VM", c->max_vcpus);
	mhv_out_printf(&o, ROW "%u\n",
		       c->virt == MHV_VIRT_SVM ? "ASIDs" :
		       c->virt == MHV_VIRT_VMX ? "VPIDs" : "ASIDs/VPIDs",
		       c->nr_asids);
	if (c->npt_levels)
		mhv_out_printf(&o, ROW "%u\n", "paging levels", c->npt_levels);
	else
		mhv_out_printf(&o, ROW "none\n", "paging levels");
	mhv_out_printf(&o, ROW "%u MiB\n", "max memory per VM", c->max_mem_mb);
	mhv_out_printf(&o, "flags:\n");
	for (i = 0; i < MHV_CAP_NR_FLAGS; i++)
		mhv_out_printf(&o, "  %-18s %-3s  %s\n", mhv_cap_flag_name(i),
			       c->flags & (1ULL << i) ? "yes" : "no",
			       mhv_cap_flag_desc(i));
	if (unknown)
		mhv_out_printf(&o, "  %-18s 0x%" PRIx64 "  %s\n", "other flags",
			       unknown,
			       "bits this libmultios_hv does not know (a newer module)");
	return mhv_out_done(&o);
}

int mhv_caps_format_json(const struct mhv_caps *c, char *buf, size_t len)
{
	struct mhv_out o;
	struct mhv_json j;
	unsigned int i;

	mhv_out_init(&o, buf, len);
	mhv_json_init(&j, &o);
	mhv_json_begin_object(&j, NULL);
	mhv_json_str(&j, "vendor", mhv_vendor_name(c->vendor));
	mhv_json_strn(&j, "vendor_id", c->vendor_id, sizeof(c->vendor_id));
	mhv_json_str(&j, "extension", mhv_virt_key(c->virt));
	mhv_json_uint(&j, "cpus", c->nr_cpus);
	mhv_json_uint(&j, "max_vcpus", c->max_vcpus);
	mhv_json_uint(&j, "asids", c->nr_asids);
	mhv_json_uint(&j, "paging_levels", c->npt_levels);
	mhv_json_uint(&j, "max_memory_mb", c->max_mem_mb);
	mhv_json_uint(&j, "svm_revision", c->svm_revision);
	mhv_json_uint(&j, "unknown_flags", mhv_caps_unknown_flags(c));
	mhv_json_begin_object(&j, "flags");
	for (i = 0; i < MHV_CAP_NR_FLAGS; i++)
		mhv_json_bool(&j, mhv_cap_flag_name(i), c->flags & (1ULL << i));
	mhv_json_end_object(&j);
	mhv_json_end_object(&j);
	return mhv_out_done(&o);
}
