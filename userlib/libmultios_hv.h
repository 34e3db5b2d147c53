/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libmultios_hv - the C library of MultiOS HV.
 *
 * One thin function per ioctl of /dev/multios_hv (system fd, VM fd,
 * vCPU fd), plus the pure helpers the tools share: names of enums and
 * flags, capability tables and JSON, VM config files, exit summaries.
 *
 * Convention: every function returns 0 (or a non-negative value such as
 * an fd) on success and a negative errno on failure; errno itself is not
 * part of the interface.
 */
#ifndef _LIBMULTIOS_HV_H
#define _LIBMULTIOS_HV_H

#include <stddef.h>
#include <stdint.h>
#include <linux/multios_hv.h>

#define MHV_LIB_VERSION_MAJOR	0
#define MHV_LIB_VERSION_MINOR	2

/* "MAJOR.MINOR" of this library */
const char *mhv_lib_version(void);

/* ---- system fd -------------------------------------------------------- */

/* Open /dev/multios_hv, or the path in $MHV_DEVICE. Returns an fd. */
int mhv_open_system(void);
int mhv_close(int fd);
/* MHV_GET_API_VERSION: the module's API version (>= 0). */
int mhv_get_api_version(int sys_fd);
/* -EPROTO unless the module speaks this header's MHV_API_VERSION. */
int mhv_check_api(int sys_fd);
int mhv_get_caps(int sys_fd, struct mhv_caps *caps);
/* MHV_CREATE_VM: returns the VM fd. */
int mhv_create_vm(int sys_fd, const struct mhv_vm_config *cfg);
/* MHV_GET_RUN_SIZE: bytes to mmap() of a vCPU fd. */
int mhv_get_run_size(int sys_fd);

/* ---- VM fd ------------------------------------------------------------ */

int mhv_set_memory_region(int vm_fd, const struct mhv_memory_region *r);
/* Delete memory slot @slot. */
int mhv_delete_memory_region(int vm_fd, uint32_t slot);
/* MHV_CREATE_VCPU: returns the vCPU fd. */
int mhv_create_vcpu(int vm_fd, unsigned int id);
int mhv_get_vm_info(int vm_fd, struct mhv_vm_info *info);
/* @how: MHV_STOP_GRACEFUL or MHV_STOP_FORCE */
int mhv_stop_vm(int vm_fd, unsigned int how);
int mhv_translate(int vm_fd, struct mhv_translate *tr);
int mhv_set_cpuid(int vm_fd, const struct mhv_cpuid *cpuid);
int mhv_get_cpuid(int vm_fd, struct mhv_cpuid *cpuid);

/* ---- vCPU fd ------------------------------------------------------------ */

/* mmap the run page of a vCPU fd into *run. */
int mhv_map_run(int vcpu_fd, struct mhv_run **run);
int mhv_unmap_run(struct mhv_run *run);
/* MHV_RUN: 0 with run->exit_reason set, or -EINTR, -EIO, ... */
int mhv_run(int vcpu_fd);
int mhv_get_regs(int vcpu_fd, struct mhv_regs *regs);
int mhv_set_regs(int vcpu_fd, const struct mhv_regs *regs);
int mhv_get_sregs(int vcpu_fd, struct mhv_sregs *sregs);
int mhv_set_sregs(int vcpu_fd, const struct mhv_sregs *sregs);
/* Return the number of MSRs read/written (may be < msrs->nmsrs). */
int mhv_get_msrs(int vcpu_fd, struct mhv_msrs *msrs);
int mhv_set_msrs(int vcpu_fd, const struct mhv_msrs *msrs);
/* Readable VMCB/VMCS of the vCPU into @buf; returns its length. */
int mhv_get_state_dump(int vcpu_fd, char *buf, size_t size);
int mhv_get_vcpu_stats(int vcpu_fd, struct mhv_vcpu_stats *stats);

/* ---- names (never NULL; "unknown" for values out of range) ------------- */

const char *mhv_vendor_name(uint32_t vendor);
const char *mhv_virt_name(uint32_t virt);
/* short snake_case name of MHV_CAP_* bit number @bit */
const char *mhv_cap_flag_name(unsigned int bit);
/* one-line explanation of MHV_CAP_* bit number @bit, for students */
const char *mhv_cap_flag_desc(unsigned int bit);
const char *mhv_vm_state_name(uint32_t state);
const char *mhv_exit_reason_name(uint32_t reason);
const char *mhv_error_name(uint32_t error);
const char *mhv_stat_name(unsigned int stat);

/* ---- formatting (snprintf-style: return the length needed) ------------- */

int mhv_caps_format_table(const struct mhv_caps *caps, char *buf, size_t len);
int mhv_caps_format_json(const struct mhv_caps *caps, char *buf, size_t len);
/* Nonzero counters as "name count" lines, with a total line. */
int mhv_stats_format(const struct mhv_vcpu_stats *stats, char *buf,
		     size_t len);

/* ---- VM config files -------------------------------------------------- */

/*
 * Parse a VM config file: "key = value" lines, '#' comments. Keys: name,
 * vcpus, memory_mb, arch (x86_64), features (comma list of educational,
 * monitoring, debug). Unset keys keep the defaults of
 * mhv_vm_config_default(). On error returns -EINVAL and writes
 * "line N: what is wrong" into @err.
 */
void mhv_vm_config_default(struct mhv_vm_config *cfg);
int mhv_vm_config_parse(const char *text, struct mhv_vm_config *cfg,
			char *err, size_t errlen);

#endif /* _LIBMULTIOS_HV_H */
