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
#define MHV_LIB_VERSION_MINOR	9

/**
 * mhv_lib_version() - version of the library actually linked.
 *
 * Return: "MAJOR.MINOR", e.g. "0.9" (compare with the macros above to
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
/*
 * MHV_IRQ_LINE: interrupt line @gsi (< MHV_IRQCHIP_NR_GSI) of a VM made
 * with MHV_VM_F_IRQCHIP goes to @level (1 high, 0 low); an edge-triggered
 * input takes a 1 then a 0.
 */
int mhv_set_irq_line(int vm_fd, uint32_t gsi, uint32_t level);
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
/* ... driving line @gsi of the irqchip (MHV_DEV_F_IRQ_GSI) instead. */
int mhv_create_device_gsi(int vm_fd, uint32_t type, uint32_t space,
			  uint64_t base, uint32_t gsi);
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
/* MHV_RUN: 0 with run->exit_reason set, or -EINTR, -EIO, ...; then
 * mhv_run_console() for the UART output it carried, whatever the result */
int mhv_run(int vcpu_fd);

/**
 * mhv_run_console() - take the UART output the last MHV_RUN carried.
 * @run:    the vCPU's run page (mhv_map_run())
 * @data:   set to the bytes, in the run page (valid until the next
 *          MHV_RUN of this vCPU), or NULL when there are none; may be NULL
 * @device: set to the UART's device id; may be NULL
 * @pos:    set to the offset of the first byte in that UART's output
 *          stream (orders the batches of several vCPU threads); may be NULL
 *
 * Every return of MHV_RUN may carry UART output, whatever its exit
 * reason or result (MHV_EXIT_CONSOLE only says that a batch was ready):
 * call this after each one, before the next, or the bytes are lost. The
 * bytes are taken: run->console.len becomes 0, a second call gets none.
 *
 * Return: the number of bytes (0 .. MHV_RUN_CONSOLE_MAX), or -EPROTO when
 * run->console.len is larger (the page was not written by the module).
 */
int mhv_run_console(struct mhv_run *run, const void **data,
		    uint32_t *device, uint64_t *pos);
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
/*
 * MHV_GET_MP_STATE: the vCPU's run state (enum mhv_mp_run_state:
 * RUNNABLE, WAIT_SIPI, HALTED). Waits for a RUN in progress to return.
 */
int mhv_get_mp_state(int vcpu_fd, uint32_t *state);
/*
 * MHV_SET_MP_STATE: RUNNABLE, HALTED, or WAIT_SIPI (the vCPU takes the
 * INIT state and waits for a SIPI); these wait for a RUN in progress.
 */
int mhv_set_mp_state(int vcpu_fd, uint32_t state);
/*
 * A SIPI with @vector (MHV_SET_MP_STATE, MHV_MP_STATE_SIPI_RECEIVED):
 * a vCPU waiting for one starts at (vector << 8):0 in real mode; others
 * ignore it. Any thread, also while another one is inside mhv_run() on
 * the vCPU (it wakes it).
 */
int mhv_send_sipi(int vcpu_fd, uint8_t vector);
/*
 * MHV_NMI: an NMI for the vCPU, delivered when the guest does not block
 * NMIs (at most one pending); wakes a halted vCPU. Any thread.
 */
int mhv_nmi(int vcpu_fd);

/*
 * ---- several vCPUs: one thread each (run_all.c) ------------------------
 *
 * Called on vCPU @i's thread after each return of MHV_RUN (@ret: 0 or
 * -errno, @run its run page). Return 0 to run the vCPU on, anything else
 * to end the VM.
 */
typedef int (*mhv_vcpu_exit_fn)(void *arg, unsigned int i, int ret,
				struct mhv_run *run);
/*
 * Run the @n vCPUs @vcpu_fds (run pages @runs) of VM @vm_fd, each on a
 * thread of its own, until one ends the VM: the first @fn that returns
 * nonzero stops the VM (MHV_STOP_VM, MHV_STOP_FORCE: every vCPU leaves
 * the guest, one asleep in HLT or waiting for a SIPI too), every thread
 * returns, and that value is returned. A vCPU whose @fn returns 0 for
 * MHV_EXIT_STOPPED (someone else stopped the VM) or for an error other
 * than -EINTR ends the VM too, with 0 or that error. Returns -errno when
 * a thread cannot be started (the VM is then stopped as well).
 */
int mhv_vm_run_all(int vm_fd, unsigned int n, const int *vcpu_fds,
		   struct mhv_run *const *runs, mhv_vcpu_exit_fn fn,
		   void *arg);

/*
 * MHV_GET_LAPIC / MHV_SET_LAPIC: the local APIC's 1 KiB register page
 * (VMs created with MHV_VM_F_IRQCHIP; -ENXIO without). mhv_lapic_reg()
 * reads the 32-bit register at offset @reg (0x20 ID, 0x80 TPR, ...).
 */
int mhv_get_lapic(int vcpu_fd, struct mhv_lapic_state *st);
int mhv_set_lapic(int vcpu_fd, const struct mhv_lapic_state *st);
uint32_t mhv_lapic_reg(const struct mhv_lapic_state *st, unsigned int reg);

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
/* "demo", "debug-exit", "uart", "timer", "edu" (enum mhv_dev_type) */
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

/* ---- guest images: flat, ELF, Multiboot (loader.c) ---------------------- */

/*
 * What mhv run (and any program) boots: the image is checked completely
 * by mhv_image_parse() before anything is written to guest memory, so a
 * malformed image runs nothing. Parsing and loading are pure (no module
 * needed): the unit tests run them on the host.
 *
 * Formats and the state the vCPU starts in:
 *   flat       no header: 16-bit real-mode code copied to 0x1000, started
 *              at CS:IP 0000:1000, SS:SP 0000:FFF0 (mhv_vcpu_set_real_mode()).
 *   elf32      ELF32, EM_386, ET_EXEC: each PT_LOAD segment copied to its
 *              p_paddr, the bytes past p_filesz up to p_memsz zeroed;
 *              started at e_entry in flat 32-bit protected mode (CS 0x08
 *              code, DS/ES/FS/GS/SS 0x10 data, base 0, limit 4 GiB),
 *              paging off, EFLAGS 2, ESP = MHV_IMAGE_STACK_TOP.
 *   elf64      ELF64, EM_X86_64, ET_EXEC: the same, started at e_entry in
 *              64-bit long mode with the first 4 GiB identity-mapped
 *              (2 MiB pages; the GDT and page tables of mhv_guest.h),
 *              RSP = MHV_IMAGE_STACK_TOP.
 *   multiboot  a Multiboot (v1) header in the first 8192 bytes: loaded
 *              from its address fields (flags bit 16, the "a.out kludge")
 *              or else from the ELF program headers; started at the entry
 *              point in flat 32-bit protected mode, paging off, as the
 *              specification requires: EAX = 0x2BADB002, EBX = the boot
 *              information (MHV_IMAGE_MB_INFO): mem_lower, mem_upper,
 *              the command line, a memory map, the boot loader's name.
 * An e_entry inside a segment's virtual range is translated into its
 * physical address (as GRUB does), so kernels linked high still start.
 *
 * The first MiB belongs to the loader (ELF and Multiboot segments must be
 * at or above MHV_IMAGE_LOW_END): the GDT at 0x1000, the Multiboot
 * information at 0x8000 and its command line at 0x9000, the long-mode page
 * tables at 0x10000, the initial stack below 0x80000.
 */
enum mhv_image_format {
	MHV_IMAGE_DETECT	= 0,	/* mhv_image_parse(): find out */
	MHV_IMAGE_FLAT		= 1,
	MHV_IMAGE_ELF32		= 2,
	MHV_IMAGE_ELF64		= 3,
	MHV_IMAGE_MULTIBOOT	= 4,
	MHV_IMAGE_LINUX		= 5,	/* a bzImage (linux.c) */
	MHV_IMAGE_NR_FORMATS
};

/*
 * Why mhv_image_parse() refused an image (img->error); img->errmsg then
 * says it in one line naming the header, field or segment and the values.
 */
enum mhv_image_error {
	MHV_IMAGE_OK		= 0,
	MHV_IMAGE_ERR_EMPTY,		/* the file has no bytes */
	MHV_IMAGE_ERR_TRUNCATED,	/* a header, the program header table
					 * or a segment's bytes run past the
					 * end of the file
					 */
	MHV_IMAGE_ERR_BAD_MAGIC,	/* the format asked for is not there:
					 * no \x7fELF, no Multiboot magic in
					 * the first 8192 bytes
					 */
	MHV_IMAGE_ERR_CHECKSUM,		/* Multiboot magic + flags + checksum
					 * is not 0 (mod 2^32)
					 */
	MHV_IMAGE_ERR_BAD_HEADER,	/* a header field is invalid: ELF
					 * class, byte order, version, header
					 * sizes, p_filesz > p_memsz;
					 * Multiboot addresses out of order
					 */
	MHV_IMAGE_ERR_UNSUPPORTED,	/* valid, but not something mhv boots:
					 * not x86, not ET_EXEC, a required
					 * Multiboot feature (video mode)
					 */
	MHV_IMAGE_ERR_NO_SEGMENTS,	/* nothing to load (no PT_LOAD with
					 * bytes)
					 */
	MHV_IMAGE_ERR_TOO_MANY,		/* more than MHV_IMAGE_MAX_SEGMENTS */
	MHV_IMAGE_ERR_OVERFLOW,		/* an address + size wraps around
					 * (64-bit, or 4 GiB for 32-bit
					 * formats): a huge size
					 */
	MHV_IMAGE_ERR_OUTSIDE_MEMORY,	/* a segment ends past guest memory
					 * (or past the 4 GiB elf64 maps)
					 */
	MHV_IMAGE_ERR_RESERVED,		/* a segment starts below
					 * MHV_IMAGE_LOW_END (the loader's)
					 */
	MHV_IMAGE_ERR_OVERLAP,		/* two segments share bytes */
	MHV_IMAGE_ERR_ENTRY,		/* the entry point is in no segment */
	MHV_IMAGE_ERR_CMDLINE,		/* the command line is longer than
					 * MHV_IMAGE_CMDLINE_MAX - 1
					 */
	MHV_IMAGE_ERR_NR
};

#define MHV_IMAGE_MAX_SEGMENTS	16
#define MHV_IMAGE_FLAT_ADDR	0x1000u		/* flat: load and entry */
#define MHV_IMAGE_FLAT_STACK	0xfff0u		/* flat: SS:SP 0000:FFF0 */
#define MHV_IMAGE_LOW_END	0x100000u	/* ELF/Multiboot: at or above */
#define MHV_IMAGE_GDT		0x1000u
#define MHV_IMAGE_MB_INFO	0x8000u		/* struct multiboot_info */
#define MHV_IMAGE_MB_MMAP	0x8100u		/* its memory map */
#define MHV_IMAGE_MB_NAME	0x8200u		/* boot_loader_name */
#define MHV_IMAGE_MB_CMDLINE	0x9000u		/* cmdline */
#define MHV_IMAGE_CMDLINE_MAX	4096u		/* bytes with the NUL */
#define MHV_IMAGE_STACK_TOP	0x80000u	/* ESP/RSP of ELF, Multiboot */
/* linux: the zero page, the command line, the limits of the loader */
#define MHV_LINUX_BOOT_PARAMS	0x7000u		/* struct boot_params */
#define MHV_LINUX_CMDLINE	0x20000u	/* up to cmdline_size + NUL */
#define MHV_LINUX_MIN_VERSION	0x020cu		/* 2.12: 64-bit entry */
#define MHV_LINUX_ENTRY_64	0x200u		/* startup_64 from load */
#define MHV_LINUX_MAX_MEM	0xc0000000ULL	/* RAM ends below the APICs */
#define MHV_LINUX_BOOT_CS	0x10u		/* __BOOT_CS of the kernel */
#define MHV_LINUX_BOOT_DS	0x18u		/* __BOOT_DS */
#define MHV_MULTIBOOT_HEADER_MAGIC	0x1BADB002u
#define MHV_MULTIBOOT_BOOT_MAGIC	0x2BADB002u	/* EAX at entry */
#define MHV_MULTIBOOT_SEARCH		8192u	/* the header is in there */

/* One piece of the image in guest memory. */
struct mhv_image_segment {
	uint64_t addr;		/* guest-physical address */
	uint64_t offset;	/* of its bytes in the file */
	uint64_t filesz;	/* bytes copied from the file */
	uint64_t memsz;		/* bytes in memory (>= filesz; rest zeroed) */
};

/*
 * linux: what the bzImage's setup header says (Documentation/arch/x86/
 * boot.rst of the kernel) and where the loader puts things. Filled by
 * mhv_image_parse(); initrd_* by mhv_image_set_initrd(); acpi_rsdp by the
 * caller (mhv_acpi_build()) before mhv_image_load().
 */
struct mhv_linux_info {
	uint16_t version;		/* boot protocol, 0x020f = 2.15 */
	uint8_t setup_sects;		/* 512-byte real-mode setup sectors */
	uint8_t relocatable;		/* relocatable_kernel */
	uint16_t xloadflags;		/* XLF_* of <asm/bootparam.h> */
	uint32_t kernel_alignment;
	uint32_t init_size;		/* bytes the kernel needs from load */
	uint32_t initrd_addr_max;	/* highest byte of the initrd */
	uint32_t cmdline_size;		/* longest command line, no NUL */
	uint64_t load_addr;		/* the protected-mode kernel */
	const uint8_t *initrd;		/* NULL: none (not copied) */
	size_t initrd_len;
	uint64_t initrd_addr;		/* where it is loaded */
	uint64_t acpi_rsdp;		/* boot_params.acpi_rsdp_addr, 0: none */
};

/* A parsed image (mhv_image_parse() fills it all). */
struct mhv_image {
	uint32_t format;		/* enum mhv_image_format */
	uint32_t nr_segments;
	struct mhv_image_segment seg[MHV_IMAGE_MAX_SEGMENTS];
	uint64_t entry;			/* guest-physical entry point */
	uint32_t mb_flags;		/* multiboot: the header's flags */
	uint32_t mb_offset;		/* multiboot: the header's offset */
	uint32_t elf_class;		/* 32 or 64 when loaded from ELF */
	uint64_t mem_size;		/* guest memory it was checked for */
	const uint8_t *data;		/* the file (not copied) */
	size_t len;
	const char *cmdline;		/* multiboot, linux: NULL or the
					 * command line */
	int error;			/* enum mhv_image_error */
	char errmsg[256];		/* what is wrong, one line */
	struct mhv_linux_info lx;		/* linux: the setup header, the
					 * initrd, the RSDP */
};

/**
 * mhv_image_parse() - check an image and find where its bytes go.
 * @img:      output, fully overwritten
 * @data:     the file's bytes (kept as a pointer until mhv_image_load())
 * @len:      their number
 * @format:   enum mhv_image_format; MHV_IMAGE_DETECT: "HdrS" at offset
 *            0x202 makes it linux, else a Multiboot header in the first
 *            8192 bytes multiboot, else \x7fELF elf32/elf64, else flat
 * @mem_size: bytes of guest memory from guest-physical 0
 * @cmdline:  NULL, or the Multiboot or Linux command line (mhv run
 *            --append)
 *
 * Nothing is written anywhere but @img.
 *
 * Return: 0, -ENOEXEC when the image is refused (img->error says why and
 * img->errmsg in words), or -EINVAL for a @format out of range or a NULL
 * @img or @data.
 */
int mhv_image_parse(struct mhv_image *img, const void *data, size_t len,
		    uint32_t format, uint64_t mem_size, const char *cmdline);

/**
 * mhv_image_load() - write a parsed image into guest memory.
 * @img: from a successful mhv_image_parse()
 * @mem: img->mem_size bytes of guest memory (guest-physical 0 at @mem)
 *
 * Copies the segments and zeroes their bss; for the 32/64-bit formats
 * also writes the GDT, for elf64 the page tables, for multiboot the boot
 * information. Touches no other byte of @mem.
 *
 * Return: 0, or -EINVAL when @img was not parsed successfully.
 */
int mhv_image_load(const struct mhv_image *img, void *mem);

/**
 * mhv_image_boot_state() - the registers the image starts with.
 * @img:   a parsed image, not flat (real mode is mhv_vcpu_set_real_mode())
 * @regs:  output, fully overwritten
 * @sregs: output, fully overwritten
 *
 * Return: 0, or -EINVAL for a flat or unparsed image.
 */
int mhv_image_boot_state(const struct mhv_image *img, struct mhv_regs *regs,
			 struct mhv_sregs *sregs);

/**
 * mhv_vcpu_boot_image() - start a vCPU at a loaded image.
 * @vcpu_fd: vCPU fd
 * @img:     parsed (and loaded into the VM's memory)
 *
 * flat: mhv_vcpu_set_real_mode(@vcpu_fd, MHV_IMAGE_FLAT_ADDR,
 * MHV_IMAGE_FLAT_STACK); else MHV_SET_SREGS and MHV_SET_REGS with
 * mhv_image_boot_state().
 *
 * Return: 0, -EINVAL for an unparsed image, or -errno of the ioctls.
 */
int mhv_vcpu_boot_image(int vcpu_fd, const struct mhv_image *img);

/**
 * mhv_image_set_initrd() - give a parsed Linux image its initrd.
 * @img:  parsed as MHV_IMAGE_LINUX
 * @data: the initrd's bytes (kept as a pointer until mhv_image_load())
 * @len:  their number, > 0
 *
 * Places it as GRUB does: page-aligned, as high as guest memory,
 * initrd_addr_max and MHV_LINUX_MAX_MEM allow, above the kernel's
 * load_addr + init_size.
 *
 * Return: 0, -ENOEXEC when it does not fit (img->errmsg says why), or
 * -EINVAL for a non-Linux image or no data.
 */
int mhv_image_set_initrd(struct mhv_image *img, const void *data, size_t len);

/* One entry of a BIOS E820 memory map (types: E820_RAM, ... of <asm/e820.h>). */
struct mhv_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

/**
 * mhv_linux_e820() - the memory map a Linux guest gets for @mem_size.
 * @mem_size: bytes of guest RAM from 0 (at most MHV_LINUX_MAX_MEM)
 * @e:        output
 * @max:      room in @e
 *
 * RAM [0, 0x9fc00), reserved [0x9fc00, 0xa0000) (the EBDA a PC has),
 * reserved [0xe0000, 1 MiB) (the BIOS area: the ACPI tables), RAM
 * [1 MiB, @mem_size). The VGA hole 0xa0000-0xdffff is in no entry.
 *
 * Return: the number of entries, or -EINVAL (@mem_size under 2 MiB or
 * above the limit, @max too small).
 */
int mhv_linux_e820(uint64_t mem_size, struct mhv_e820_entry *e,
		   unsigned int max);

/* ---- ACPI tables (acpi.c) ------------------------------------------------ */

#define MHV_ACPI_BASE		0xe0000u	/* the RSDP, then the tables */
#define MHV_ACPI_SIZE		0x10000u	/* room for them */
#define MHV_ACPI_RSDP		MHV_ACPI_BASE
#define MHV_ACPI_MAX_VCPUS	255		/* 8-bit APIC IDs */
#define MHV_ACPI_RTC_CENTURY	0x32		/* FADT CENTURY: the CMOS byte */

/* What the tables describe. */
struct mhv_acpi_config {
	uint32_t nr_vcpus;	/* a Processor Local APIC each, IDs 0..n-1 */
	uint16_t pm_base;	/* port of the ACPI PM device (MHV_ACPI_PM_PORT) */
};

/**
 * mhv_acpi_build() - write a PC's ACPI tables into guest memory.
 * @mem:      guest memory (guest-physical 0 at @mem)
 * @mem_size: its size
 * @cfg:      vCPUs and the PM device's port
 *
 * At MHV_ACPI_BASE: RSDP (revision 2) -> RSDT, XSDT -> FADT (revision 6:
 * the PM device's PM1a event/control blocks and 32-bit PM timer, SCI_INT
 * 9, the reset register 0x06 at 0xcf9, FACS, DSDT), MADT (a Processor
 * Local APIC per vCPU, the I/O APIC at 0xfec00000 with GSI base 0, the
 * overrides IRQ 0 -> GSI 2 and IRQ 9 -> GSI 9 level/active high, LINT1 as
 * NMI), DSDT (only \_S5). Checksums set. Documentation/linux-boot.rst.
 *
 * Return: the bytes used from MHV_ACPI_BASE, or -EINVAL (memory smaller
 * than MHV_ACPI_BASE + MHV_ACPI_SIZE, 0 or more than MHV_ACPI_MAX_VCPUS
 * vCPUs, a port range past 0xffff).
 */
int mhv_acpi_build(void *mem, uint64_t mem_size,
		   const struct mhv_acpi_config *cfg);
/* The 8-bit sum of @len bytes (0 for a table whose checksum is right). */
uint8_t mhv_acpi_checksum(const void *data, size_t len);

/* "flat", "elf32", "elf64", "multiboot"; "detect" for 0; else "unknown" */
const char *mhv_image_format_name(uint32_t format);
/* The inverse ("detect" too), or -EINVAL */
int mhv_image_format_from_name(const char *name);
/* "ok", "empty", "truncated", "bad-magic", "checksum", "bad-header",
 * "unsupported", "no-segments", "too-many-segments", "overflow",
 * "outside-memory", "reserved", "overlap", "entry", "cmdline" */
const char *mhv_image_error_name(int error);

/* ---- devices named on a command line ------------------------------------ */

/**
 * mhv_device_spec_parse() - "TYPE@ADDR", as mhv run --device takes it.
 * @spec:   TYPE is a name of mhv_dev_type_name() ("demo", "uart",
 *          "debug-exit", ...); ADDR is a port number ("0x3f8", "1016",
 *          optionally "pio:0x3f8") or "mmio:" and a guest-physical
 *          address ("mmio:0xfe000000"); numbers in C syntax
 * @type:   output: enum mhv_dev_type
 * @space:  output: MHV_DEV_SPACE_PIO or MHV_DEV_SPACE_MMIO
 * @base:   output: the port or address
 * @err:    output: what is wrong (may be NULL)
 * @errlen: size of @err
 *
 * Return: 0, or -EINVAL with @err naming the bad part (an unknown type
 * lists the known ones; a port above 0xffff is refused).
 */
int mhv_device_spec_parse(const char *spec, uint32_t *type, uint32_t *space,
			  uint64_t *base, char *err, size_t errlen);
/*
 * The same, also taking "TYPE@ADDR,irq=VECTOR": @irq gets the vector the
 * device raises (32..255), 0 without the suffix.
 */
int mhv_device_spec_parse_irq(const char *spec, uint32_t *type,
			      uint32_t *space, uint64_t *base, uint32_t *irq,
			      char *err, size_t errlen);

/* ---- the summary of a run (summary.c) ----------------------------------- */

/* What mhv run reports at the end, gathered from the module's counters. */
struct mhv_run_summary {
	const char *name;		/* the VM's name */
	const char *image;		/* the image's path, or NULL */
	uint32_t format;		/* enum mhv_image_format */
	const char *end;		/* how it ended: "hlt", "debug-exit",
					 * "reset", "poweroff", "timeout",
					 * "max-exits", "signal", "stopped",
					 * "failed"
					 */
	int exit_status;		/* mhv's exit status */
	uint64_t run_ns;		/* from the first MHV_RUN to the end */
	int has_info;			/* @info is valid */
	struct mhv_vm_info info;
	int has_stats;			/* @stats is valid */
	struct mhv_vcpu_stats stats;	/* of vCPU 0 */
	unsigned int nr_devices;	/* <= MHV_MAX_DEVICES */
	struct mhv_device_info dev[MHV_MAX_DEVICES];
	struct mhv_device_stats dev_stats[MHV_MAX_DEVICES];
};

/**
 * mhv_run_summary_format_json() - a run's summary as one JSON object.
 * @s:   the summary
 * @buf: output (may be NULL when @len is 0)
 * @len: size of @buf
 *
 * One line. Keys: "name", "image", "format", "end", "exit_status",
 * "run_ns", "state" (a VM state name, or null), "npf" (nested page
 * faults), "memory_used_kb", "exits" (an object: "total" and every
 * nonzero counter by mhv_stat_name()), "devices" (an array of objects:
 * "id", "type", "space", "base", "mode", "reads", "writes",
 * "bytes_read", "bytes_written", "err_offset", "err_width",
 * "err_refused", "err_dropped", "time_count", "time_mean_ns",
 * "time_min_ns", "time_max_ns", "hist" (an array of
 * MHV_DEV_HIST_BUCKETS counts)).
 *
 * Return: the length of the whole object (without the NUL).
 */
int mhv_run_summary_format_json(const struct mhv_run_summary *s, char *buf,
				size_t len);

/* ---- VM config files -------------------------------------------------- */

/*
 * Parse a VM config file: "key = value" lines, '#' comments. Keys: name,
 * vcpus, memory_mb, arch (x86_64), features (comma list of educational,
 * monitoring, debug), page_size (auto, 4k, 2m, 1g: the largest
 * second-level page, enum mhv_page_size). A value may be put in double or
 * single quotes (name = "My VM"). Unset keys keep the defaults of
 * mhv_vm_config_default() (name "vm", 1 vCPU, 16 MiB, x86_64,
 * educational, page_size auto). On error returns -EINVAL and writes "line N: what is
 * wrong" into @err; an unknown key is named, with the valid keys listed.
 */
void mhv_vm_config_default(struct mhv_vm_config *cfg);
int mhv_vm_config_parse(const char *text, struct mhv_vm_config *cfg,
			char *err, size_t errlen);

/* "name, vcpus, memory_mb, arch, features, page_size": the config keys. */
const char *mhv_vm_config_keys(void);

/* "auto", "4k", "2m", "1g" for an enum mhv_page_size; NULL if unknown. */
const char *mhv_page_size_name(uint32_t page_size);
/* The reverse (case-insensitive): 0, or -EINVAL for another word. */
int mhv_page_size_parse(const char *s, uint32_t *page_size);

/**
 * mhv_vm_config_check() - does this machine allow @cfg?
 * @cfg:    a parsed config
 * @caps:   from mhv_get_caps()
 * @err:    output: what is too large and the machine's limit (may be NULL)
 * @errlen: size of @err
 *
 * Return: 0, or -E2BIG (what MHV_CREATE_VM would return) when vcpus or
 * memory_mb exceed caps->max_vcpus or caps->max_mem_mb, or -EOPNOTSUPP
 * when page_size is 2m or 1g and the CPU has no such second-level pages
 * (MHV_CAP_PAGE_2M/1G); @err then names the key, its value and the
 * limit.
 */
int mhv_vm_config_check(const struct mhv_vm_config *cfg,
			const struct mhv_caps *caps, char *err, size_t errlen);


/* ---- the trace channel and the VM list (generic netlink, trace.c) -------
 *
 * Built on libnl-genl-3 (pkg-config libnl-genl-3.0). The wire format is in
 * Documentation/tracing.rst; these functions are one client of it.
 */

/* One MHV_NL_CMD_EVENT message, decoded; fields of other types are 0. */
struct mhv_trace_event {
	uint32_t type;			/* enum mhv_trace_type */
	uint32_t vm_id;
	uint32_t vcpu;			/* or MHV_TRACE_NO_VCPU */
	uint64_t time_ns;		/* ns since boot (kernel local_clock()) */
	/* MHV_TRACE_EXIT (rip also ENTRY, NPF, INJECT) */
	uint32_t exit_reason;		/* enum mhv_trace_exit */
	uint64_t rip;
	uint64_t exit_code, exit_info1, exit_info2, exit_arg;
	uint64_t gpa;			/* EXIT of reason NPF, NPF */
	uint64_t handle_ns;
	int user;			/* 1: handed to userspace */
	/* MHV_TRACE_NPF */
	uint32_t access;		/* MHV_TRACE_ACC_* */
	uint64_t pages;
	/* MHV_TRACE_DEV */
	uint32_t dev_id, dev_type, width;
	uint64_t offset, value;
	int write, refused;
	/* MHV_TRACE_INJECT */
	uint32_t vector, inject_kind, error_code;
	int has_error_code;
	/* MHV_TRACE_VM */
	uint32_t lifecycle, state, error, owner_uid;
	char vm_name[MHV_VM_NAME_LEN];
	/* MHV_TRACE_DROP */
	uint64_t dropped;
	uint32_t drop_where;		/* MHV_TRACE_DROP_* */
	/*
	 * EXIT of a MHV_TRACE_FMT_PAIRS record with MHV_TRACE_F_ENTRY: it
	 * stands for the ENTRY at time_ns + handle_ns, at entry_rip, too
	 * (mhv_trace_parse_records() and mhv_trace_read() pass that ENTRY
	 * to the callback right after the exit)
	 */
	int entry;
	uint64_t entry_rip;
};

/* What a subscriber receives; 0 in a field means "everything". */
struct mhv_trace_filter {
	uint32_t vms[MHV_TRACE_MAX_FILTER_VMS];	/* VM ids */
	uint32_t nr_vms;
	uint64_t vcpus;			/* 1 << vCPU id */
	uint32_t events;		/* 1 << enum mhv_trace_type */
	uint64_t exits;			/* 1 << enum mhv_trace_exit */
};

struct mhv_trace;

/**
 * mhv_trace_open() - a netlink socket on the multios_hv family.
 * @out: the handle
 *
 * Return: 0, -ENOENT when the family is not registered (module not
 * loaded), or another -errno.
 */
int mhv_trace_open(struct mhv_trace **out);
void mhv_trace_close(struct mhv_trace *t);
/* The socket's fd (poll it for POLLIN), and the family id. */
int mhv_trace_fd(const struct mhv_trace *t);
int mhv_trace_family_id(const struct mhv_trace *t);
/* The id of multicast group MHV_GENL_MCGRP_TRACE, as the kernel says. */
int mhv_trace_group_id(const struct mhv_trace *t);
/* Join that group (lifecycle events of every VM; needs CAP_NET_ADMIN). */
int mhv_trace_join_group(struct mhv_trace *t);
/*
 * Subscribe, or replace the filter (@f NULL: everything). -EMFILE: this
 * uid has MHV_TRACE_MAX_SUBS_PER_UID subscriptions already (without
 * CAP_NET_ADMIN); -ENOSPC: MHV_TRACE_MAX_SUBS in the system.
 */
int mhv_trace_subscribe(struct mhv_trace *t, const struct mhv_trace_filter *f);
/*
 * What the next mhv_trace_subscribe() asks for: MHV_TRACE_FMT_PAIRS (the
 * default: batches of records, an entry folded into the exit before it;
 * the fast way), MHV_TRACE_FMT_RECORDS (batches, a record per event) or
 * MHV_TRACE_FMT_ATTRS (a message per event). mhv_trace_read() decodes
 * them all into the same events. 0 or -EINVAL.
 */
int mhv_trace_set_format(struct mhv_trace *t, uint32_t format);
int mhv_trace_unsubscribe(struct mhv_trace *t);
/* The socket's receive buffer in bytes (SO_RCVBUF). */
int mhv_trace_set_rcvbuf(struct mhv_trace *t, int bytes);
int mhv_trace_set_nonblocking(struct mhv_trace *t);

typedef int (*mhv_trace_cb)(const struct mhv_trace_event *ev, void *arg);

/**
 * mhv_trace_read() - receive what waits on the socket, one event at a time.
 * @t:   the handle
 * @cb:  called for each event (a non-zero return stops the read)
 * @arg: its argument
 *
 * Blocks until something arrives unless mhv_trace_set_nonblocking().
 * Return: events passed to @cb, -EAGAIN (non-blocking, nothing there),
 * -ENOBUFS (the socket overran: read on; a drop record will count what
 * was lost), or another -errno.
 */
int mhv_trace_read(struct mhv_trace *t, mhv_trace_cb cb, void *arg);
/* Sum of the counts of the drop records received so far. */
uint64_t mhv_trace_dropped(const struct mhv_trace *t);

/**
 * mhv_trace_parse() - decode one MHV_NL_CMD_EVENT netlink message.
 * @msg: the message, from its struct nlmsghdr
 * @len: bytes at @msg
 * @ev:  the result
 *
 * Return: 0, or -EINVAL when it is not a well-formed event message.
 */
int mhv_trace_parse(const void *msg, size_t len, struct mhv_trace_event *ev);

/**
 * mhv_trace_parse_records() - decode one MHV_NL_CMD_EVENTS netlink message
 * (a batch of struct mhv_trace_record, MHV_TRACE_FMT_RECORDS).
 * @msg: the message, from its struct nlmsghdr
 * @len: bytes at @msg
 * @cb:  called for each event in order (a non-zero return stops); or NULL
 * @arg: its argument
 *
 * Return: events passed to @cb, or -EINVAL when it is not a well-formed
 * batch (records shorter than struct mhv_trace_record, a partial one).
 */
int mhv_trace_parse_records(const void *msg, size_t len, mhv_trace_cb cb,
			    void *arg);
/*
 * One record of @size bytes (MHV_NL_A_RECORD_SIZE) into @ev: 0, -EINVAL.
 * An EXIT record with MHV_TRACE_F_ENTRY gives the exit, ev->entry set.
 */
int mhv_trace_record_decode(const void *rec, size_t size,
			    struct mhv_trace_event *ev);

/* Names: "EXIT", "ENTRY", ...; "CPUID", "IO", ... (reasons). */
const char *mhv_trace_event_name(uint32_t type);
const char *mhv_trace_exit_name(uint32_t reason);

/**
 * mhv_trace_events_parse() - "exit,npf,dev" into a 1 << type mask.
 * @s:    comma-separated event names, case-insensitive, or "all"
 * @mask: the result
 *
 * Return: 0, or -EINVAL naming an unknown event.
 */
int mhv_trace_events_parse(const char *s, uint32_t *mask);

/*
 * One line for a human, e.g. "vcpu0 CPUID leaf 0x1 at rip 0x1003 1.2us
 * kernel", or a JSON object; snprintf-style.
 */
int mhv_trace_format(const struct mhv_trace_event *ev, char *buf, size_t len);
int mhv_trace_format_json(const struct mhv_trace_event *ev, char *buf,
			  size_t len);

/* One VM of MHV_NL_CMD_LIST_VMS. */
struct mhv_vm_entry {
	uint32_t id;
	char name[MHV_VM_NAME_LEN];
	uint32_t owner_pid, owner_uid;
	uint32_t state;			/* enum mhv_vm_state */
	uint32_t vcpus, vcpus_created, devices;
	uint64_t mem_limit, mem_allocated, mem_used, exits;
};

/**
 * mhv_list_vms() - every VM the caller may see (see the access rule).
 * @out: a malloc()ed array the caller frees
 * @n:   its length
 *
 * Return: 0 or -errno (-ENOENT: the module is not loaded).
 */
int mhv_list_vms(struct mhv_vm_entry **out, size_t *n);
/* Decode one MHV_NL_CMD_LIST_VMS message; 0 or -EINVAL. */
int mhv_vm_entry_parse(const void *msg, size_t len, struct mhv_vm_entry *e);
int mhv_vm_entry_format_json(const struct mhv_vm_entry *e, char *buf,
			     size_t len);

#ifdef __cplusplus
}
#endif

/* Statistics for experiments (GSL): mhv_describe(), mhv_welch_t(), ... */
#include "mhv_research.h"

#endif /* _LIBMULTIOS_HV_H */
