/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libmultios_hv - the C library of MultiOS HV.
 *
 * One thin function per ioctl of /dev/multios_hv (system fd, VM fd,
 * vCPU fd), plus the pure helpers the tools share: names of enums and
 * flags, capability tables and JSON, VM config files, exit summaries.
 * Documentation/api.rst describes the ioctls themselves.
 *
 * Return convention: every function that can fail returns 0 (or a
 * non-negative value such as an fd or a count) on success and a negative
 * errno value on failure. errno itself is not part of the interface:
 * callers must use the return value.
 *
 * Formatting functions are snprintf-style: they return the length the
 * whole text needs (without the NUL), write at most @len bytes, never
 * overflow @buf and always NUL-terminate it when @len > 0. Call them
 * with (NULL, 0) to learn the size to allocate.
 *
 * Environment: MHV_DEVICE, when set and not empty, is the path
 * mhv_open_system() opens instead of /dev/multios_hv (tests use it).
 *
 * Build: pkg-config --cflags --libs multios_hv
 */
#ifndef _LIBMULTIOS_HV_H
#define _LIBMULTIOS_HV_H

#include <stddef.h>
#include <stdint.h>
#include <linux/multios_hv.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Library version: MAJOR changes when a function is removed or changes
 * meaning, MINOR when functions are added.
 */
#define MHV_LIB_VERSION_MAJOR	0
#define MHV_LIB_VERSION_MINOR	7

/**
 * mhv_lib_version() - version of the library actually linked.
 *
 * Return: "MAJOR.MINOR", e.g. "0.7" (compare with the macros above to
 * detect a program running against another build of the .so).
 */
const char *mhv_lib_version(void);

/* ---- system fd -------------------------------------------------------- */

/**
 * mhv_device_path() - the device mhv_open_system() opens.
 *
 * Return: $MHV_DEVICE when set and not empty, else MHV_DEVICE_PATH
 * ("/dev/multios_hv"). Never NULL.
 */
const char *mhv_device_path(void);

/**
 * mhv_open_system() - open the system fd.
 *
 * Opens mhv_device_path() with O_RDWR | O_CLOEXEC.
 *
 * Return: the fd, or -ENOENT (module not loaded), -EACCES (not root and
 * not in the group the udev rule grants, see tools/udev/), or another
 * -errno from open(2).
 */
int mhv_open_system(void);

/**
 * mhv_close() - close a system, VM or vCPU fd.
 * @fd: the fd
 *
 * Return: 0 or -errno (-EBADF for an fd that is not open).
 */
int mhv_close(int fd);

/**
 * mhv_get_api_version() - MHV_GET_API_VERSION.
 * @sys_fd: system fd
 *
 * Return: the module's API version (>= 0), or -errno.
 */
int mhv_get_api_version(int sys_fd);

/**
 * mhv_check_api() - check that the module speaks this header's API.
 * @sys_fd: system fd
 *
 * On a mismatch, prints one line to stderr naming both versions.
 *
 * Return: 0 when MHV_GET_API_VERSION returns MHV_API_VERSION, -EPROTO
 * when it returns another version, or -errno from the ioctl.
 */
int mhv_check_api(int sys_fd);

/**
 * mhv_get_caps() - MHV_GET_CAPS: what this host can do right now.
 * @sys_fd: system fd
 * @caps:   output, fully overwritten on success
 *
 * Return: 0 or -errno.
 */
int mhv_get_caps(int sys_fd, struct mhv_caps *caps);

/**
 * mhv_create_vm() - MHV_CREATE_VM.
 * @sys_fd: system fd
 * @cfg:    the VM's configuration (reserved fields zero)
 *
 * Return: the VM fd, or -errno.
 */
int mhv_create_vm(int sys_fd, const struct mhv_vm_config *cfg);

/**
 * mhv_create_vm_hint() - what to do about an error of mhv_create_vm().
 * @err: its negative errno
 *
 * The advice mhv and the tutorials print after the error, e.g. for
 * -EBUSY that another hypervisor (KVM) holds the CPU's virtualization
 * extension and how to make it let go.
 *
 * Return: one sentence without a trailing newline, or "" when there is
 * nothing to add to strerror(). Never NULL.
 */
const char *mhv_create_vm_hint(int err);

/**
 * mhv_get_run_size() - MHV_GET_RUN_SIZE.
 * @sys_fd: system fd
 *
 * The size is also remembered for mhv_map_run().
 *
 * Return: bytes to mmap() of a vCPU fd, or -errno.
 */
int mhv_get_run_size(int sys_fd);

/* ---- VM fd ------------------------------------------------------------ */

/* MHV_SET_MEMORY_REGION: set (size != 0) or delete (size == 0) a slot. */
int mhv_set_memory_region(int vm_fd, const struct mhv_memory_region *r);
/* Delete memory slot @slot. */
int mhv_delete_memory_region(int vm_fd, uint32_t slot);
/* MHV_CREATE_VCPU: returns the vCPU fd. */
int mhv_create_vcpu(int vm_fd, unsigned int id);
/* MHV_GET_VM_INFO */
int mhv_get_vm_info(int vm_fd, struct mhv_vm_info *info);
/* MHV_STOP_VM; @how: MHV_STOP_GRACEFUL or MHV_STOP_FORCE */
int mhv_stop_vm(int vm_fd, unsigned int how);
/* MHV_TRANSLATE: tr->gpa in, the rest out. */
int mhv_translate(int vm_fd, struct mhv_translate *tr);
/* MHV_SET_CPUID / MHV_GET_CPUID */
int mhv_set_cpuid(int vm_fd, const struct mhv_cpuid *cpuid);
int mhv_get_cpuid(int vm_fd, struct mhv_cpuid *cpuid);

/* ---- in-kernel devices (VM fd; Documentation/devices.rst) -------------- */

/* MHV_CREATE_DEVICE: returns the new device's id (>= 0). */
int mhv_create_device(int vm_fd, uint32_t type, uint32_t space,
		      uint64_t base);
/* ... with the interrupt vector the device raises in vCPU 0 (32..255). */
int mhv_create_device_irq(int vm_fd, uint32_t type, uint32_t space,
			  uint64_t base, uint32_t irq_vector);
/* MHV_LIST_DEVICES */
int mhv_list_devices(int vm_fd, struct mhv_device_list *list);
/* MHV_DESCRIBE_DEVICE: *desc fully overwritten. */
int mhv_describe_device(int vm_fd, uint32_t id, struct mhv_device_desc *desc);
/* MHV_DEVICE_READ / MHV_DEVICE_WRITE: one register from the host. */
int mhv_device_read(int vm_fd, uint32_t id, uint32_t offset, uint32_t size,
		    uint64_t *value);
int mhv_device_write(int vm_fd, uint32_t id, uint32_t offset, uint32_t size,
		     uint64_t value);
/* MHV_GET_DEVICE_STATS: *st fully overwritten. */
int mhv_get_device_stats(int vm_fd, uint32_t id, struct mhv_device_stats *st);
/* MHV_RESET_DEVICE_STATS */
int mhv_reset_device_stats(int vm_fd, uint32_t id);
/* MHV_SET_DEVICE_MODE; @mode: enum mhv_dev_mode */
int mhv_set_device_mode(int vm_fd, uint32_t id, uint32_t mode);
/* MHV_RESET_DEVICE: registers to their reset values */
int mhv_reset_device(int vm_fd, uint32_t id);
/* MHV_DEV_UART_READ_OUTPUT: returns the bytes copied to buf (<= len). */
int mhv_uart_read_output(int vm_fd, uint32_t id, void *buf, uint32_t len);
/* MHV_DEV_UART_WRITE_INPUT: returns the bytes the receiver kept. */
int mhv_uart_write_input(int vm_fd, uint32_t id, const void *buf,
			 uint32_t len);

/* ---- vCPU fd ------------------------------------------------------------ */

/*
 * mmap the run page of a vCPU fd into *run. Its size is MHV_GET_RUN_SIZE:
 * the value mhv_get_run_size() last returned, or else asked once of a
 * system fd of mhv_device_path(); mhv_unmap_run() unmaps the same size.
 */
int mhv_map_run(int vcpu_fd, struct mhv_run **run);
int mhv_unmap_run(struct mhv_run *run);

/**
 * mhv_vcpu_set_real_mode() - start a vCPU in real mode at @entry.
 * @vcpu_fd: vCPU fd (in its reset state: real mode)
 * @entry:   guest-physical address of the first instruction, below 1 MiB
 * @stack:   guest-physical address of the top of the stack, below 1 MiB
 *
 * Sets CS:IP to (@entry >> 4) & 0xf000 : @entry & 0xffff, DS, ES, FS
 * and GS to the same segment as CS, SS:SP likewise from @stack, RFLAGS to
 * 2 (interrupts disabled) and every other general register to 0. Segment
 * bases follow the selectors (base = selector * 16); limits and
 * attributes keep their reset values (64 KiB, data/code).
 * E.g. @entry 0x1000, @stack 0xfff0: CS:IP 0000:1000, SS:SP 0000:FFF0.
 *
 * Return: 0, -EINVAL for an address at or above 1 MiB, or -errno of
 * MHV_GET_SREGS/MHV_SET_SREGS/MHV_SET_REGS.
 */
int mhv_vcpu_set_real_mode(int vcpu_fd, uint32_t entry, uint32_t stack);
/* MHV_RUN: 0 with run->exit_reason set, or -EINTR, -EIO, ... */
int mhv_run(int vcpu_fd);
/* MHV_GET_REGS / MHV_SET_REGS / MHV_GET_SREGS / MHV_SET_SREGS */
int mhv_get_regs(int vcpu_fd, struct mhv_regs *regs);
int mhv_set_regs(int vcpu_fd, const struct mhv_regs *regs);
int mhv_get_sregs(int vcpu_fd, struct mhv_sregs *sregs);
int mhv_set_sregs(int vcpu_fd, const struct mhv_sregs *sregs);
/* MHV_GET_MSRS / MHV_SET_MSRS: the number of MSRs read/written (may be
 * < msrs->nmsrs). */
int mhv_get_msrs(int vcpu_fd, struct mhv_msrs *msrs);
int mhv_set_msrs(int vcpu_fd, const struct mhv_msrs *msrs);
/* MHV_GET_STATE_DUMP: readable VMCB/VMCS into @buf; returns its length. */
int mhv_get_state_dump(int vcpu_fd, char *buf, size_t size);
/* MHV_GET_VCPU_STATS */
int mhv_get_vcpu_stats(int vcpu_fd, struct mhv_vcpu_stats *stats);
/*
 * MHV_INTERRUPT: external interrupt @vector (32..255), delivered when the
 * guest can take it; wakes a vCPU halted in the kernel. Any thread, also
 * while another one is inside mhv_run() on the vCPU.
 */
int mhv_interrupt(int vcpu_fd, uint32_t vector);
/*
 * MHV_QUEUE_EXCEPTION: exception @vector at the next entry; @flags
 * MHV_EXC_F_ERROR_CODE exactly for the vectors that push one. -EBUSY
 * while one is still queued.
 */
int mhv_queue_exception(int vcpu_fd, uint32_t vector, uint32_t flags,
			uint32_t error_code);

/* ---- binary statistics (Documentation/api.rst, "Statistics fds") ------- */

/* MHV_GET_STATS_FD / MHV_GET_VCPU_STATS_FD: a read-only stats fd. */
int mhv_get_stats_fd(int vm_fd);
int mhv_get_vcpu_stats_fd(int vcpu_fd);
/* MHV_GET_FLIGHT_RECORDER: the vCPU's last exits, oldest first. */
int mhv_get_flight_recorder(int vcpu_fd, struct mhv_flight_recorder *fr);

/* One statistic, as its descriptor says. */
struct mhv_stat_field {
	char name[MHV_STATS_NAME_SIZE];
	uint32_t flags;			/* MHV_STATS_TYPE_|UNIT_|BASE_* */
	int16_t exponent;
	uint16_t size;			/* values (histogram buckets) */
	uint32_t offset;		/* of its values in the data block */
};

/*
 * A parsed stats file: the descriptors and the last data block read.
 * Works with any file of the format, whatever statistics it holds.
 */
struct mhv_stats_reader {
	int fd;				/* the stats fd, -1 for a buffer */
	char id[MHV_STATS_ID_SIZE];	/* "VM" or "VM/vcpuN" */
	uint32_t nr;			/* fields */
	struct mhv_stat_field *fields;
	uint32_t data_offset;
	uint32_t data_size;		/* bytes of data (a multiple of 8) */
	uint64_t *data;			/* the last data block (zeros at first) */
};

/**
 * mhv_stats_parse() - parse a whole stats file held in memory.
 * @r:   output; free with mhv_stats_close()
 * @buf: the file's bytes from offset 0
 * @len: how many; when they include the data block it is copied too
 *
 * Checks the magic, that every block and every field's values lie inside
 * the file, the names are NUL-terminated, and the types are known.
 *
 * Return: 0, -EPROTO for a malformed file, -ENOMEM.
 */
int mhv_stats_parse(struct mhv_stats_reader *r, const void *buf, size_t len);
/* Read header and descriptors of @stats_fd (pread) and then the data. */
int mhv_stats_open(struct mhv_stats_reader *r, int stats_fd);
/* pread the data block again: the values now. */
int mhv_stats_refresh(struct mhv_stats_reader *r);
/* Free what mhv_stats_parse/open allocated (the fd is not closed). */
void mhv_stats_close(struct mhv_stats_reader *r);
/* The field called @name, or NULL. */
const struct mhv_stat_field *mhv_stats_find(const struct mhv_stats_reader *r,
					    const char *name);
/* Its values in the last data block read. */
const uint64_t *mhv_stats_values(const struct mhv_stats_reader *r,
				 const struct mhv_stat_field *f);
/* The first value of @name into *@val: 0, or -ENOENT. */
int mhv_stats_get(const struct mhv_stats_reader *r, const char *name,
		  uint64_t *val);
/* The value of @name, 0 when there is no such field. */
uint64_t mhv_stats_value(const struct mhv_stats_reader *r, const char *name);
/* base^exponent of a field: what one raw unit is worth (1e-9 for ns). */
double mhv_stat_scale(const struct mhv_stat_field *f);
/* "counter", "instant", "histogram" */
const char *mhv_stat_type_name(uint32_t flags);

/**
 * mhv_hist_percentile() - a percentile of a log2 histogram.
 * @b: buckets as MHV_STATS_TYPE_HIST_LOG2 says ([2^i, 2^(i+1)))
 * @n: buckets
 * @p: percentile, 0 .. 100
 *
 * The histogram keeps no exact values: the result lies inside the bucket
 * that holds the value of rank ceil(p/100 * count), interpolated linearly
 * inside it (so it is right within a factor of 2).
 *
 * Return: the estimate in raw units, 0 for an empty histogram.
 */
double mhv_hist_percentile(const uint64_t *b, unsigned int n, double p);
/* Sum of the buckets. */
uint64_t mhv_hist_count(const uint64_t *b, unsigned int n);

/*
 * Every nonzero field as "name value unit" lines; histograms as their
 * count and estimated p50/p90/p99 (all fields when @all).
 */
int mhv_stats_reader_format(const struct mhv_stats_reader *r, int all,
			    char *buf, size_t len);
/*
 * One JSON object: "id", then per field its name: a number, or for a
 * histogram {"count", "p50_ns", "p90_ns", "p99_ns", "buckets": [...]}.
 */
int mhv_stats_reader_json(const struct mhv_stats_reader *r, char *buf,
			  size_t len);

/* "cpuid", "npf", ... (enum mhv_exit_type) */
const char *mhv_exit_type_name(uint32_t type);
/*
 * A flight recorder for humans: one line per exit, oldest first, with
 * its time relative to the last one, type, RIP, exit code and info, and
 * a last line saying whether the VM crashed (and why).
 */
int mhv_flight_format(const struct mhv_flight_recorder *fr, char *buf,
		      size_t len);

/* ---- performance monitor (monitor.c; statistics by GSL) ----------------- */

enum mhv_metric {
	MHV_METRIC_EXIT_RATE,		/* exits per second */
	MHV_METRIC_HV_OVERHEAD,		/* hypervisor time / (guest + hypervisor) */
	MHV_METRIC_MEMORY_USED,		/* bytes mapped for the guest */
	MHV_METRIC_NPF_RATE,		/* nested page faults per second */
	MHV_METRIC_IO_RATE,		/* port I/O and MMIO exits per second */
	MHV_METRIC_DEV_RATE,		/* in-kernel device accesses per second */
	MHV_METRIC_GUEST_CPU,		/* guest time / wall time (1 = a CPU) */
	MHV_METRIC_NR
};

#define MHV_METRIC_ALL		((1u << MHV_METRIC_NR) - 1)

/* "exit_rate", "hv_overhead", ... and the inverse (-EINVAL) */
const char *mhv_metric_name(unsigned int metric);
int mhv_metric_from_name(const char *name);

struct mhv_monitor_config {
	unsigned int interval_ms;	/* between samples (the caller sleeps) */
	unsigned int retention;		/* samples kept; older ones dropped */
	uint32_t metrics;		/* bits of enum mhv_metric to report */
	/* alert when a metric rises above its threshold; 0: none */
	double threshold[MHV_METRIC_NR];
};

/* The counters a sample is computed from (a VM's stats fd). */
struct mhv_monitor_counters {
	double time;			/* seconds, CLOCK_MONOTONIC */
	uint64_t exits, guest_ns, hyp_ns, pages_mapped, npf, io, dev;
};

struct mhv_sample {
	double time;
	double value[MHV_METRIC_NR];
};

struct mhv_alert {
	double time;
	unsigned int metric;
	double value;
	double threshold;
};

#define MHV_MONITOR_MAX_ALERTS	64

struct mhv_monitor {
	struct mhv_monitor_config cfg;
	struct mhv_stats_reader stats;	/* of the stats fd, if any */
	struct mhv_monitor_counters last;	/* the previous counters */
	int have_last;
	struct mhv_sample *samples;	/* ring of cfg.retention */
	unsigned int nr_samples, next;
	struct mhv_alert alerts[MHV_MONITOR_MAX_ALERTS];
	unsigned int nr_alerts;		/* kept (at most the max) */
	uint64_t total_alerts;
	uint32_t alerting;		/* metrics above their threshold now */
};

/* Defaults: 1000 ms, 60 samples, every metric, no thresholds. */
void mhv_monitor_config_default(struct mhv_monitor_config *cfg);
/* @stats_fd: a VM stats fd (kept open by the caller), or -1 (feed it). */
int mhv_monitor_init(struct mhv_monitor *m,
		     const struct mhv_monitor_config *cfg, int stats_fd);
void mhv_monitor_free(struct mhv_monitor *m);
/* Read the counters of a parsed VM stats file. */
void mhv_monitor_counters_from_stats(const struct mhv_stats_reader *r, double time,
			     struct mhv_monitor_counters *c);
/* Metrics between two readings (pure). */
void mhv_metrics_compute(const struct mhv_monitor_counters *a,
			 const struct mhv_monitor_counters *b, double *value);
/*
 * Add the counters @c: the first call only remembers them; later ones
 * store a sample and check the thresholds. Returns the new alerts (a
 * metric alerts when it crosses its threshold upwards, once until it
 * falls below again).
 */
int mhv_monitor_feed(struct mhv_monitor *m, const struct mhv_monitor_counters *c);
/* mhv_monitor_feed() with the stats fd read now. */
int mhv_monitor_sample(struct mhv_monitor *m);
/* The retained samples, oldest first: sample @i (0 .. nr_samples - 1). */
const struct mhv_sample *mhv_monitor_get(const struct mhv_monitor *m,
					 unsigned int i);
/* The report: per metric last, mean, min, max; then the alerts. */
int mhv_monitor_report(const struct mhv_monitor *m, char *buf, size_t len);

/* A profiling session: values (e.g. ns of an operation) and a summary. */
struct mhv_profile {
	char name[32];
	double *values;
	size_t n, cap;
};

struct mhv_profile_summary {
	size_t count;
	double mean, min, max;
	double stddev;			/* sample standard deviation (n - 1) */
	double p50, p90, p99, p999;	/* linear interpolation between the
					 * closest ranks of the sorted values
					 */
};

int mhv_profile_begin(struct mhv_profile *p, const char *name);
int mhv_profile_add(struct mhv_profile *p, double value);
/* -ENODATA without values */
int mhv_profile_summary(const struct mhv_profile *p,
			struct mhv_profile_summary *s);
int mhv_profile_format(const struct mhv_profile *p, const char *unit,
		       char *buf, size_t len);
void mhv_profile_end(struct mhv_profile *p);

/* ---- names (never NULL; "unknown" for values out of range) ------------- */

/* "AMD", "Intel" or "unknown" (enum mhv_vendor) */
const char *mhv_vendor_name(uint32_t vendor);
/* "none", "AMD-V (SVM)", "Intel VT-x (VMX)" (enum mhv_virt) */
const char *mhv_virt_name(uint32_t virt);

/**
 * mhv_cap_flag_name() - short name of one capability flag.
 * @bit: bit number of an MHV_CAP_* flag (0 .. MHV_CAP_NR_FLAGS - 1)
 *
 * Return: a snake_case name ("svm", "nested_paging", "page_1g", ...),
 * the same as the key in mhv_caps_format_json(); "unknown" for a bit
 * this library does not know.
 */
const char *mhv_cap_flag_name(unsigned int bit);

/**
 * mhv_cap_flag_desc() - what one capability flag means, for students.
 * @bit: bit number of an MHV_CAP_* flag
 *
 * Return: one line without a trailing newline; "unknown" for a bit this
 * library does not know.
 */
const char *mhv_cap_flag_desc(unsigned int bit);

const char *mhv_vm_state_name(uint32_t state);
const char *mhv_exit_reason_name(uint32_t reason);
const char *mhv_error_name(uint32_t error);
const char *mhv_stat_name(unsigned int stat);
/* "demo", "debug-exit" (enum mhv_dev_type) */
const char *mhv_dev_type_name(uint32_t type);
/* "pio", "mmio" (enum mhv_dev_space) */
const char *mhv_dev_space_name(uint32_t space);
/* "read-write", "read-only", "disabled" (enum mhv_dev_mode) */
const char *mhv_dev_mode_name(uint32_t mode);
/* The inverses: the enum value of a name, or -EINVAL (also for NULL). */
int mhv_dev_type_from_name(const char *name);
int mhv_dev_mode_from_name(const char *name);

/*
 * What a VM state or an exit counter means, for students: one line
 * without a trailing newline; "" for a value this library does not know.
 */
const char *mhv_vm_state_desc(uint32_t state);
const char *mhv_stat_desc(unsigned int stat);

/* ---- formatting (snprintf-style, see the top of this file) ------------- */

/**
 * mhv_caps_format_table() - capabilities as a table for humans.
 * @caps: from mhv_get_caps()
 * @buf:  output (may be NULL when @len is 0)
 * @len:  size of @buf
 *
 * Lines: vendor, extension, CPUs, max vCPUs, ASIDs/VPIDs, paging levels,
 * max memory, then one line per MHV_CAP_* flag: name, yes/no, what it
 * means. Bits this library does not know are shown in hex.
 *
 * Return: the length of the whole table (without the NUL).
 */
int mhv_caps_format_table(const struct mhv_caps *caps, char *buf, size_t len);

/**
 * mhv_caps_format_json() - capabilities as one JSON object.
 * @caps: from mhv_get_caps()
 * @buf:  output (may be NULL when @len is 0)
 * @len:  size of @buf
 *
 * One line, no trailing newline. The keys are stable: "vendor",
 * "vendor_id", "extension" ("svm", "vmx" or "none"), "cpus", "max_vcpus",
 * "asids", "paging_levels", "max_memory_mb", "svm_revision",
 * "unknown_flags" (bits past MHV_CAP_NR_FLAGS, normally 0) and "flags",
 * an object with one boolean per mhv_cap_flag_name().
 *
 * Return: the length of the whole object (without the NUL).
 */
int mhv_caps_format_json(const struct mhv_caps *caps, char *buf, size_t len);

/* Nonzero counters as "name count" lines, with a total line. */
int mhv_stats_format(const struct mhv_vcpu_stats *stats, char *buf,
		     size_t len);

/*
 * A device's statistics (MHV_GET_DEVICE_STATS) for humans: lines for
 * reads and writes (with bytes), errors (with each kind), timed accesses
 * (mean, min, max) and one line per nonempty histogram bucket
 * ("  8-15 ns: 3"; the last bucket ">= 2147483648 ns").
 */
int mhv_dev_stats_format(const struct mhv_device_stats *st, char *buf,
			 size_t len);

/* ---- VM config files -------------------------------------------------- */

/*
 * Parse a VM config file: "key = value" lines, '#' comments. Keys: name,
 * vcpus, memory_mb, arch (x86_64), features (comma list of educational,
 * monitoring, debug). A value may be put in double or single quotes
 * (name = "My VM"). Unset keys keep the defaults of
 * mhv_vm_config_default() (name "vm", 1 vCPU, 16 MiB, x86_64,
 * educational). On error returns -EINVAL and writes "line N: what is
 * wrong" into @err; an unknown key is named, with the valid keys listed.
 */
void mhv_vm_config_default(struct mhv_vm_config *cfg);
int mhv_vm_config_parse(const char *text, struct mhv_vm_config *cfg,
			char *err, size_t errlen);

/* "name, vcpus, memory_mb, arch, features": the keys of a config file. */
const char *mhv_vm_config_keys(void);

/**
 * mhv_vm_config_check() - does this machine allow @cfg?
 * @cfg:    a parsed config
 * @caps:   from mhv_get_caps()
 * @err:    output: what is too large and the machine's limit (may be NULL)
 * @errlen: size of @err
 *
 * Return: 0, or -E2BIG (what MHV_CREATE_VM would return) when vcpus or
 * memory_mb exceed caps->max_vcpus or caps->max_mem_mb; @err then names
 * the key, its value and the limit.
 */
int mhv_vm_config_check(const struct mhv_vm_config *cfg,
			const struct mhv_caps *caps, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* _LIBMULTIOS_HV_H */
