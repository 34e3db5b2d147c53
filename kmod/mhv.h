/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - core definitions shared by the generic code and the vendor
 * backends (kmod/svm/, kmod/vmx/).
 *
 * Locking, outermost first: every path takes them in this order, and
 * none takes an outer one while it holds an inner one.
 *   vcpu->mutex (mutex)   one ioctl at a time on a vCPU (RUN, GET/SET_*)
 *   vm->lock (mutex)      slots, vCPU array, CPUID table, nr_running;
 *                         RUN takes it only briefly, to enter and to
 *                         leave (mhv_run_enter/leave), never across the
 *                         guest or an exit handler
 *   vm->mmu.lock (mutex)  second-level page tables, pinned pages
 *   mmap_lock of vm->mm   taken by pinning and RLIMIT_MEMLOCK accounting
 *                         (mhv_pin_page(), mhv_pin_account(),
 *                         mhv_unpin_account()), by the host page-table
 *                         walk of mhv_host_level() and by
 *                         faults in user copies; innermost: nothing of
 *                         the module is taken while it is held (mmap() of
 *                         a vCPU fd takes no module lock; the charge of
 *                         unpinned pages is released after mmu.lock)
 *   mhv_trace_lock (mutex) the trace channel: subscribers, the list of
 *                         vCPU rings, the worker (trace.h); taken under
 *                         vm->lock (vCPU creation) and with nothing held;
 *                         takes only the jump label and netlink locks
 *                         under it, and the lifecycle queue spinlock
 * Device spinlocks (dev->lock) nest only as kmod/dev/irqchip.h says: a
 * device driving an interrupt line, then the PIC's (or I/O APIC's).
 * mhv_vm_list_lock is a leaf. mhv_hw_lock is taken with none of the locks
 * above held (VM creation, last VM freed) and takes only the CPU hotplug
 * lock under it (hardware_enable/disable).
 *
 * Fields marked (R) are read-only after creation; (V) only touched by the
 * thread holding vcpu->mutex; (A) atomic or READ_ONCE/WRITE_ONCE.
 * (S) "no slot change while any vCPU runs": written only under vm->lock
 * while vm->nr_running == 0; a vCPU inside RUN (which counted itself in
 * nr_running) reads it without a lock, because no writer can run then.
 */
#ifndef _MHV_H
#define _MHV_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/list.h>
#include <linux/wait.h>
#include <linux/uidgid.h>
#include <linux/multios_hv.h>
#include <asm/irq_vectors.h>

/* Limits the module enforces on every VM. */
#define MHV_MAX_VCPUS		16
#define MHV_MAX_MEM_MB		4096

/* Largest text of a control block dump (MHV_GET_STATE_DUMP, reports) */
#define MHV_DUMP_MAX		(32 * 1024)

struct mhv_vm;
struct mhv_vcpu;
struct fxregs_state;
struct mhv_dev;
struct mhv_trace_ring;
struct mhv_lapic;
struct page;

/* GPR indexes of mhv_vcpu.regs, in x86 encoding order */
enum mhv_reg {
	MHV_RAX, MHV_RCX, MHV_RDX, MHV_RBX, MHV_RSP, MHV_RBP, MHV_RSI, MHV_RDI,
	MHV_R8, MHV_R9, MHV_R10, MHV_R11, MHV_R12, MHV_R13, MHV_R14, MHV_R15,
	MHV_NR_GPRS
};

/* Segment registers in x86 encoding order */
enum mhv_seg {
	MHV_SEG_ES, MHV_SEG_CS, MHV_SEG_SS, MHV_SEG_DS, MHV_SEG_FS, MHV_SEG_GS
};

/* Longest x86 instruction, as many bytes as decode assists supply */
#define MHV_INSN_MAX		15

/* Vendor-neutral exit, filled by the backend's decode; its type is one
 * of enum mhv_exit_type (uapi: the flight recorder reports it), 0 unknown.
 */
struct mhv_exit {
	enum mhv_exit_type type;
	u64 code;		/* vendor exit code */
	u64 info1, info2;	/* vendor exit information */
	u64 rip;		/* RIP of the exiting instruction */
	u64 next_rip;		/* RIP after it, 0 if the CPU did not say */
	bool nrip_hw;		/* next_rip is the CPU's (NRIP save, exit
				 * instruction length), not a known length
				 */
	bool io_full;		/* io: the CPU gave the segment, REP and
				 * address size of ins/outs (decode assists)
				 */
	u8 insn_len;		/* bytes at RIP the CPU fetched for a nested
				 * page fault (decode assists), 0 if none
				 */
	u8 insn[MHV_INSN_MAX];
	union {
		struct {
			u16 port;
			u8 size;	/* 1, 2, 4 */
			u8 addr_size;	/* 2, 4, 8 (string forms) */
			bool in;
			bool string;
			bool rep;
			u8 seg;		/* segment of outs source: MHV_SEG_* */
		} io;
		struct {
			u64 gpa;
			bool write;
			bool fetch;
			bool present;	/* a mapping existed (protection fault) */
		} npf;
		struct {
			u8 num;		/* control or debug register number */
			u8 gpr;		/* MHV_RAX.., MHV_NR_GPRS: decode it */
			bool write;	/* to the CR/DR (else from it) */
			bool lmsw;	/* VT-x LMSW: @val is its source */
			u64 val;
		} mov;
		struct {
			u8 vector;	/* X86_TRAP_DB, X86_TRAP_AC, X86_TRAP_MC */
			u32 error;	/* error code, where it has one */
			u64 dr6;	/* #DB: the DR6 status bits */
		} exc;
	};
};

/* mov.gpr when the CPU did not say which register (SVM without decode
 * assists): the generic handler decodes the instruction.
 */
#define MHV_GPR_UNKNOWN		MHV_NR_GPRS

/* Second-level paging permissions (same bits as the uapi MHV_PROT_*) */
#define MHV_SPTE_R	MHV_PROT_READ
#define MHV_SPTE_W	MHV_PROT_WRITE
#define MHV_SPTE_X	MHV_PROT_EXEC

/**
 * struct mhv_spte_ops - how a backend encodes second-level page table
 * entries; the walker in mmu.c is generic.
 */
struct mhv_spte_ops {
	u64 (*table)(phys_addr_t table);	/* entry pointing to a table */
	u64 (*leaf)(phys_addr_t pa, u32 prot, int level);
	bool (*present)(u64 spte);
	bool (*is_leaf)(u64 spte, int level);
	phys_addr_t (*addr)(u64 spte);
	u32 (*prot)(u64 spte);			/* MHV_PROT_* */
};

/**
 * struct mhv_vendor_ops - one table per hardware extension (SVM, VMX).
 *
 * Generic code calls these hooks and nothing else of the vendor code;
 * each backend fills one instance with designated initializers.
 */
struct mhv_vendor_ops {
	/* short name printed in dmesg and by tools ("svm", "vmx") */
	const char *name;
	/* enum mhv_virt value reported in struct mhv_caps */
	enum mhv_virt virt;
	/*
	 * Fill the vendor part of @caps from CPUID and MSRs; 0 when the
	 * extension exists (even if firmware disabled it), -ENODEV if not.
	 */
	int (*probe)(struct mhv_caps *caps);

	/*
	 * First VM: allocate what every CPU needs to turn the extension on
	 * (per-CPU areas for every possible CPU, so that cpu_enable never
	 * allocates) / last VM gone: free it. May sleep; kmod/hw.c calls
	 * them under its lock, with the extension off on every CPU.
	 */
	int (*hardware_setup)(void);
	void (*hardware_unsetup)(void);
	/*
	 * Turn the extension on / off on this CPU. Interrupts are off; they
	 * must not sleep. CPU hotplug, suspend/resume and reboot all go
	 * through these two (kmod/hw.c); no VMCS/VMCB is current here.
	 */
	int (*cpu_enable)(void);
	void (*cpu_disable)(void);
	/*
	 * Crash or emergency reboot: leave VMX/SVM operation on this CPU
	 * whatever state it is in. NMI context: no locks, no printk.
	 */
	void (*cpu_emergency_disable)(void);
	/* Read from the hardware: is the extension on, on this CPU? */
	bool (*cpu_hw_enabled)(void);

	int (*vcpu_create)(struct mhv_vcpu *vcpu);
	void (*vcpu_free)(struct mhv_vcpu *vcpu);

	/*
	 * Enter the guest once and decode the exit into @exit. Called with
	 * preemption and interrupts enabled, on the vCPU's thread. An
	 * event whose delivery the exit interrupted goes in again: an
	 * exception or NMI at the next entry, kept by the backend; an
	 * external interrupt through mhv_irq_redeliver(), which decides
	 * when.
	 */
	void (*run)(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
	/* Optional: the burst of entries on this CPU is over. */
	void (*run_done)(struct mhv_vcpu *vcpu);

	void (*get_sregs)(struct mhv_vcpu *vcpu, struct mhv_sregs *sregs);
	int (*set_sregs)(struct mhv_vcpu *vcpu, const struct mhv_sregs *sregs);
	/* MSRs held in the control block (EFER, STAR, ...); -ENOENT if not */
	int (*get_msr)(struct mhv_vcpu *vcpu, u32 index, u64 *data);
	int (*set_msr)(struct mhv_vcpu *vcpu, u32 index, u64 data);
	void (*queue_exception)(struct mhv_vcpu *vcpu, u8 vector,
				bool has_error, u32 error);
	/*
	 * Events (kmod/irq.c). inject_irq and irq_window are called right
	 * before an entry with interrupts off (mhv_inject_events()) or by
	 * the MHV_X_IRQ_WINDOW handler; the two tests also between RUNs.
	 */
	/* An event (exception, interrupt) is queued for the next entry. */
	bool (*event_pending)(struct mhv_vcpu *vcpu);
	/* The guest is in an interrupt shadow (after STI, MOV SS). */
	bool (*irq_shadow)(struct mhv_vcpu *vcpu);
	/* The instruction in the shadow was emulated: end the shadow. */
	void (*clear_irq_shadow)(struct mhv_vcpu *vcpu);
	/* Deliver external interrupt @vector at the next entry. */
	void (*inject_irq)(struct mhv_vcpu *vcpu, u8 vector);
	/* Exit with MHV_X_IRQ_WINDOW as soon as the guest can take one. */
	void (*irq_window)(struct mhv_vcpu *vcpu, bool on);
	/*
	 * NMIs (kmod/smp.c), called like inject_irq and irq_window. The
	 * guest blocks NMIs: one it took is still being handled (no IRET
	 * yet).
	 */
	bool (*nmi_blocked)(struct mhv_vcpu *vcpu);
	/* Deliver an NMI at the next entry; NMIs blocked until its IRET. */
	void (*inject_nmi)(struct mhv_vcpu *vcpu);
	/* Exit with MHV_X_NMI_WINDOW as soon as the guest can take one. */
	void (*nmi_window)(struct mhv_vcpu *vcpu, bool on);
	/*
	 * INIT (mhv_vcpu_init_reset()): generic code has set the registers
	 * of the INIT state through set_sregs; drop the control block's
	 * event state (event to inject, interrupt shadow, NMI blocking,
	 * activity state) as INIT does. On the vCPU's thread.
	 */
	void (*init_events)(struct mhv_vcpu *vcpu);
	/*
	 * A guest write of CR0/CR4/CR8 that generic code has checked
	 * (mhv_handle_cr()); the backend keeps EFER.LMA in step and
	 * flushes the guest TLB after CR0/CR4.
	 */
	void (*set_cr)(struct mhv_vcpu *vcpu, int cr, u64 val);
	/* Guest DR7 for the next entries (the CPU switches DR7 itself). */
	void (*set_dr7)(struct mhv_vcpu *vcpu, u64 val);
	/* Flush this vCPU's guest TLB entries before its next entry. */
	void (*flush_tlb)(struct mhv_vcpu *vcpu);
	/*
	 * Readable dump of the control block into @buf; returns length.
	 * Every host-side value (host state, physical addresses of control
	 * structures and tables, nested_cr3/EPTP) goes through
	 * mhv_dump_host(@show_host, value).
	 */
	size_t (*dump)(struct mhv_vcpu *vcpu, char *buf, size_t size,
		       bool show_host);

	/* Second-level page table entry encoding (NPT: x86 PTEs; EPT). */
	const struct mhv_spte_ops *spte;
	/*
	 * Append the names of the vendor's world-switch barriers in force
	 * (each followed by a space) to @buf; returns the length added.
	 */
	int (*spec_barriers)(char *buf, size_t size);
};

extern const struct mhv_vendor_ops mhv_svm_ops;
extern const struct mhv_vendor_ops mhv_vmx_ops;

/* The backend chosen at module load; never changes afterwards. */
extern const struct mhv_vendor_ops *mhv_vendor;

/*
 * The guest's default CPUID answers (no MHV_SET_CPUID table), computed
 * once when the VM is created (mhv_cpuid_init()); all fields (R).
 */
#define MHV_CPUID_HOST_MAX	192
struct mhv_cpuid_host {
	u32 nent;
	u32 basic_max, ext_max;		/* highest basic, extended leaf */
	bool repeat_max;		/* other leaves read as basic_max */
	struct mhv_cpuid_entry entries[MHV_CPUID_HOST_MAX];
};

/* One memory slot; all fields (S): see the top of this file. */
struct mhv_slot {
	u64 gpa;		/* 0 size: unused */
	u64 size;
	u64 hva;
	u32 flags;		/* MHV_MEM_* */
};

struct mhv_mmu {
	struct mutex lock;	/* protects the tables and counters */
	int levels;		/* (R) 4 or 5 */
	u64 *root;		/* (R) top-level table (page) */
	phys_addr_t root_pa;	/* (R) */
	u64 nr_tables;		/* (lock; READ_ONCE outside) table pages
				 * allocated
				 */
	u64 nr_mapped;		/* (lock; READ_ONCE outside) 4K pages mapped
				 * (a 2M leaf counts 512): pinned pages, each
				 * charged to RLIMIT_MEMLOCK of vm->mm
				 */
	u64 nr_leaves[3];	/* (lock; READ_ONCE outside) leaves mapped,
				 * by level - 1: 4K, 2M, 1G
				 */
};

/* Buckets of an exit latency histogram: [2^i, 2^(i+1)) ns each */
#define MHV_STATS_HIST		32

/*
 * Time and per-exit-type statistics of a vCPU (stats.c). Written only by
 * the vCPU's thread with plain stores of aligned u64s; stats fds read them
 * at any time, word by word with READ_ONCE(), never torn on x86-64.
 */
struct mhv_vcpu_stat {
	u64 guest_ns;			/* in the guest: entry to exit */
	u64 hyp_ns;			/* handling exits: exit to handled */
	u64 halt_ns;			/* asleep in a HLT in the kernel */
	u64 wait_sipi;			/* RUN went to sleep waiting for a
					 * SIPI (smp.c)
					 */
	u64 exits[MHV_X_NR];		/* by enum mhv_exit_type */
	u64 latency[MHV_X_NR][MHV_STATS_HIST]; /* exit to handled, log2 ns */
};

/* The last exits of a vCPU (stats.c): (V), read under vcpu->mutex */
struct mhv_flight {
	struct mhv_flight_entry ring[MHV_FLIGHT_ENTRIES];
	u64 total;			/* exits recorded; next: total % size */
	bool frozen;			/* the VM is in ERROR: no more */
};

struct mhv_vcpu {
	struct mhv_vm *vm;		/* (R) holds a reference */
	u32 id;				/* (R) */
	u64 serial;			/* (R) never reused (mhv_spec_switch) */
	struct mutex mutex;		/* one ioctl at a time */
	struct mhv_run *run;		/* (R) shared page, mmap()ed */
	void *vendor;			/* (R) backend state (VMCB, ...) */

	u64 regs[MHV_NR_GPRS];		/* (V) guest GPRs incl. RAX, RSP */
	u64 rip, rflags;		/* (V) */
	struct fxregs_state *fpu;	/* (V) guest FXSAVE area */

	/*
	 * (V) how to finish the exit handed to userspace, called by the
	 * next RUN before it enters the guest (NULL: nothing to finish),
	 * with that exit and, for an MMIO read, what the decoder found.
	 */
	int (*complete)(struct mhv_vcpu *vcpu);
	struct mhv_exit pending;
	struct {
		u8 reg;			/* GPR the read fills */
		bool high;		/* ... its bits 15:8 (AH, CH, DH, BH) */
		u8 size;		/* access size, as decoded */
		u8 dest_size;		/* destination operand size */
		bool sign_ext;		/* MOVSX/MOVSXD: sign-extend the data */
		u64 next_rip;
	} mmio;

	/* (V) guest debug registers; DR0-3 are in the CPU only while the
	 * guest runs with a breakpoint enabled in DR7
	 */
	u64 db[4], dr6, dr7;
	u64 tsc_aux;			/* (V) guest IA32_TSC_AUX */

	/* events into the guest (irq.c) */
	DECLARE_BITMAP(irq_pending, NR_VECTORS); /* (A) interrupts raised,
						  * not yet delivered
						  */
	struct {
		bool pending;
		bool fresh;		/* the next entry continues the
					 * interrupted delivery
					 */
		u8 vector;
	} irq_inflight;			/* (V) an external interrupt its
					 * controller already handed over
					 * (mhv_irq_redeliver()) whose
					 * delivery an exit interrupted
					 */
	wait_queue_head_t wq;		/* a halted vCPU sleeps here, and
					 * one waiting for a SIPI
					 */
	bool halted;			/* (V) HLT waits in the kernel */
	/*
	 * SMP (smp.c): INIT, SIPI and NMI sent from any thread set a bit
	 * of @events (MHV_EV_*) and kick; the vCPU's own thread applies
	 * INIT and SIPI (mhv_smp_accept_events()) and injects the NMI.
	 */
	unsigned long events;		/* (A) MHV_EV_* */
	u8 sipi_vector;			/* (A) written before MHV_EV_SIPI */
	u32 mp_state;			/* (V) RUNNABLE or WAIT_SIPI (HALTED
					 * is @halted); READ_ONCE outside
					 */
	struct {
		bool pending;
		bool has_error;
		u8 vector;
		u32 error;
	} exc;				/* (V) from MHV_QUEUE_EXCEPTION */

	int cpu;			/* (A) CPU inside RUN, or -1 */
	bool console_ready;		/* (V) a device access made a batch
					 * of output ready: MHV_EXIT_CONSOLE
					 * before the next entry
					 */
	u64 stats[MHV_STAT_NR];		/* (V) written by the vCPU thread;
					 * stats fds read them (READ_ONCE)
					 */
	struct mhv_vcpu_stat stat;	/* (V) as stats[] */
	u64 exit_ns;			/* (V) local_clock() at the last exit */
	struct mhv_flight flight;	/* (V) */
	struct mhv_trace_ring *trace;	/* (R) its trace events (trace.h) */
	struct mhv_lapic *apic;		/* (R) its local APIC (dev/lapic.c,
					 * own lock), NULL without
					 * MHV_VM_F_IRQCHIP
					 */
};

struct mhv_vm {
	refcount_t users;		/* VM fd + one per vCPU fd */
	struct mm_struct *mm;		/* (R) creator's mm, mmgrab()ed */
	struct mhv_vm_config config;	/* (R) */
	struct list_head node;		/* mhv_vm_list, under mhv_vm_list_lock */
	u32 id;				/* (R) not reused while the module is
					 * loaded, until 2^32 VMs were created
					 */
	u64 seq;			/* (R) creation order: grows along
					 * mhv_vm_list, never wraps
					 */
	kuid_t owner_uid;		/* (R) euid of the creator */
	pid_t owner_pid;		/* (R) tgid of the creator */

	struct mutex lock;	/* slots, vcpus, cpuid, nr_running */
	struct mhv_slot slots[MHV_MAX_MEM_SLOTS];	/* (S) */
	u64 mem_allocated;				/* (lock) */
	/* (lock) to add; entries below nr_vcpus are read without it: a
	 * vCPU is published complete (smp_store_release() of nr_vcpus,
	 * smp_load_acquire() to read) and freed only with the VM
	 */
	struct mhv_vcpu *vcpus[MHV_MAX_VCPUS];
	u32 nr_vcpus;					/* (lock), see above */
	/* (lock) to set, (A) to read: vCPU 0 once it exists, the one
	 * in-kernel devices interrupt; set once, freed with the VM
	 */
	struct mhv_vcpu *boot_vcpu;
	struct mhv_cpuid cpuid;				/* (S) */
	struct mhv_cpuid_host cpuid_host;		/* (R) */
	int nr_running;			/* (lock) vCPUs inside RUN */
	bool has_run;			/* (lock) */

	struct mhv_mmu mmu;

	/* (A) written by vCPU threads and STOP */
	int state;			/* enum mhv_vm_state */
	int stop_requested;
	u32 error;			/* enum mhv_error */
	u64 error_code;
	atomic64_t npf_count;
	atomic64_t exits;

	/*
	 * In-kernel devices (dev/core.c), added under lock also while
	 * vCPUs run and never removed before the VM is freed. Exit paths
	 * find them without a lock: they read nr_devs with
	 * smp_load_acquire() and then only entries below it; the adder
	 * fills the entry first and publishes it with smp_store_release().
	 */
	struct mhv_dev *devs[MHV_MAX_DEVICES];	/* (lock) to add */
	u32 nr_devs;				/* (lock) to add, see above */
	/* (R) the 8259 PIC pair of MHV_VM_F_IRQCHIP (dev/pic.c), or NULL */
	struct mhv_dev *pic;
	unsigned long reported;		/* (A) bit 0: wrote its one report */
};

/* caps.c */
int mhv_caps_init(void);
void mhv_caps_get(struct mhv_caps *caps);
const struct mhv_caps *mhv_caps_boot(void);
bool mhv_on_this_cpu(bool (*test)(void));

/* main.c */
/* One entry of an fd's ioctl table: the full ioctl number and handler. */
struct mhv_ioctl_desc {
	unsigned int cmd;
	long (*fn)(struct file *file, void __user *argp);
};

long mhv_dispatch(const struct mhv_ioctl_desc *table, size_t n,
		  struct file *file, unsigned int cmd, unsigned long arg);

/* hw.c: the extension on and off (VMs, hotplug, suspend, reboot) */
int mhv_hw_init(void);
void mhv_hw_exit(void);
int mhv_hw_get(void);
void mhv_hw_put(void);
bool mhv_hw_active(void);
int mhv_hw_refused(void);
bool mhv_cpu_ready(void);
bool mhv_cpu_get(void);
void mhv_cpu_put(void);

/* vm.c */
extern struct list_head mhv_vm_list;
extern struct mutex mhv_vm_list_lock;
long mhv_create_vm(struct mhv_vm_config __user *argp);
void mhv_vm_put(struct mhv_vm *vm);
void mhv_vm_set_error(struct mhv_vm *vm, u32 error, u64 code);
u32 mhv_vm_state(struct mhv_vm *vm);
const struct mhv_slot *mhv_find_slot(struct mhv_vm *vm, u64 gpa);

/* vcpu.c */
int mhv_create_vcpu(struct mhv_vm *vm, unsigned long id);
void mhv_vcpu_free(struct mhv_vcpu *vcpu);
extern const struct file_operations mhv_vcpu_fops;

/* mmu.c */
int mhv_mmu_init(struct mhv_mmu *mmu);
void mhv_mmu_destroy(struct mhv_vm *vm);
int mhv_mmu_map(struct mhv_vm *vm, u64 gpa, bool write, int *mapped);
void mhv_mmu_unmap_range(struct mhv_vm *vm, u64 gpa, u64 size);
int mhv_mmu_translate(struct mhv_vm *vm, struct mhv_translate *tr);
u64 mhv_max_gpa(void);

/* gmem.c: guest memory seen from the vCPU thread */
int mhv_read_gpa(struct mhv_vm *vm, u64 gpa, void *data, size_t len);
int mhv_write_gpa(struct mhv_vm *vm, u64 gpa, const void *data, size_t len);
int mhv_gva_to_gpa(struct mhv_vcpu *vcpu, u64 gva, bool write, u64 *gpa);
int mhv_read_gva(struct mhv_vcpu *vcpu, u64 gva, void *data, size_t len);
int mhv_write_gva(struct mhv_vcpu *vcpu, u64 gva, const void *data,
		  size_t len);

/* exit.c */
enum mhv_exit_action {
	MHV_RESUME,		/* handled in the kernel: enter again */
	MHV_TO_USER,		/* the run page is filled: return 0 */
};

int mhv_handle_exit(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
void mhv_cpuid_init(struct mhv_cpuid_host *t);
void mhv_insn_done(struct mhv_vcpu *vcpu, u64 rip);
void mhv_skip_insn(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
bool mhv_exit_is_fast(const struct mhv_exit *exit);
int mhv_fail(struct mhv_vcpu *vcpu, struct mhv_exit *exit, u32 error,
	     u32 reason);
int mhv_internal_error(struct mhv_vcpu *vcpu, struct mhv_exit *exit,
		       const char *what);
int mhv_complete_user_exit(struct mhv_vcpu *vcpu);
int mhv_msr_get(struct mhv_vcpu *vcpu, u32 index, u64 *data, bool host);
int mhv_msr_set(struct mhv_vcpu *vcpu, u32 index, u64 data, bool host);
bool mhv_canonical(u64 addr);

/* limits.c: information and resource limits (Documentation/security.rst) */
bool mhv_caller_sees_host(void);
u64 mhv_dump_host(bool show_host, u64 val);
size_t mhv_dump_header(char *buf, size_t size, bool show_host);
bool mhv_report_begin(struct mhv_vm *vm);
int mhv_check_slot_memory(u64 hva, u64 size);
int mhv_pin_page(struct mhv_vm *vm, unsigned long hva, bool write,
		 struct page **page);
void mhv_unpin_account(struct mhv_vm *vm, unsigned long npages);
int mhv_pin_account(struct mhv_vm *vm, unsigned long npages);
int mhv_host_level(struct mm_struct *mm, unsigned long hva,
		   struct page *page);

/*
 * A message a guest or a caller can trigger, about one VM: at most one
 * per VM (its first) and DEFAULT_RATELIMIT_BURST per
 * DEFAULT_RATELIMIT_INTERVAL for all VMs together (mhv_report_begin()).
 * The line starts with the VM's name.
 */
#define mhv_vm_report(vm, fmt, ...) do {				\
	struct mhv_vm *__vm = (vm);					\
									\
	if (mhv_report_begin(__vm))					\
		pr_err("VM \"%s\" " fmt, __vm->config.name, ##__VA_ARGS__); \
} while (0)
void mhv_report_dump(struct mhv_vcpu *vcpu);

/* memstat.c: every page the module allocates, counted (debugfs) */
struct page *mhv_alloc_pages(gfp_t gfp, unsigned int order);
void mhv_free_pages(struct page *page, unsigned int order);
void *mhv_alloc_page_addr(gfp_t gfp);
void mhv_free_page_addr(void *addr);
void mhv_memstat_pinned(long delta);
void mhv_memstat_objects(int vms, int vcpus);
void mhv_memstat_init(void);
void mhv_memstat_exit(void);

/* x86.c: architectural rules, the same whichever backend runs */
bool mhv_cr0_valid(u64 cr0);
u64 mhv_cr4_allowed(void);
bool mhv_cr4_valid(u64 cr4);
bool mhv_efer_valid(u64 efer);
u64 mhv_efer_lma(u64 efer, u64 cr0);
u64 mhv_efer_wrmsr(u64 val, u64 old);
u8 mhv_cpl(const struct mhv_sregs *s);
int mhv_sregs_check(const struct mhv_sregs *s);
void mhv_debug_enter(struct mhv_vcpu *vcpu);
void mhv_debug_exit(struct mhv_vcpu *vcpu);
int mhv_handle_cr(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
int mhv_handle_dr(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
int mhv_handle_exception(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
int mhv_handle_cache(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
int mhv_handle_rdpmc(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
void mhv_tsc_aux_enter(struct mhv_vcpu *vcpu, u64 *host);
void mhv_tsc_aux_exit(struct mhv_vcpu *vcpu, u64 host);
void mhv_tsc_aux_set(struct mhv_vcpu *vcpu, u64 val, bool host);
u64 mhv_spec_new_serial(void);
void mhv_spec_switch(struct mhv_vcpu *vcpu);
void mhv_machine_check(void);

/* mmio.c */
int mhv_decode_mov_crdr(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
int mhv_mmio_exit(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
int mhv_decode_string_io(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
int mhv_fetch_insn_bytes(struct mhv_vcpu *vcpu, u8 *bytes);

/* irq.c: events into the guest. mhv_irq_raise() may be called in any
 * context (hrtimer callbacks included); the vector goes to vCPU 0 until
 * the VM has interrupt controllers.
 */
void mhv_irq_raise(struct mhv_vm *vm, u8 vector);
void mhv_vcpu_kick(struct mhv_vcpu *vcpu);
void mhv_irq_redeliver(struct mhv_vcpu *vcpu, u8 vector);
void mhv_vm_wake_halted(struct mhv_vm *vm);
void mhv_inject_events(struct mhv_vcpu *vcpu);
int mhv_handle_irq_window(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
bool mhv_halt(struct mhv_vcpu *vcpu);
int mhv_halt_wait(struct mhv_vcpu *vcpu);
void mhv_irq_run_state(struct mhv_vcpu *vcpu);
long mhv_vcpu_interrupt(struct mhv_vcpu *vcpu, void __user *argp);
long mhv_vcpu_queue_exception(struct mhv_vcpu *vcpu, void __user *argp);
long mhv_vm_irq_line(struct file *file, void __user *argp);

/* smp.c: vCPU run states, INIT/SIPI, NMIs; what the interrupt
 * controllers call (mhv_vcpu_deliver_*()) is in dev/irqchip.h.
 */
enum {
	MHV_EV_INIT,		/* INIT received, to apply */
	MHV_EV_SIPI,		/* SIPI received (vector in sipi_vector) */
	MHV_EV_NMI,		/* an NMI pending (at most one, as a CPU) */
};

/* events the run loop applies before an entry (mhv_smp_accept_events()) */
#define MHV_EV_START		(BIT(MHV_EV_INIT) | BIT(MHV_EV_SIPI))

void mhv_smp_vcpu_init(struct mhv_vcpu *vcpu);
void mhv_smp_accept_events(struct mhv_vcpu *vcpu);
int mhv_smp_wait_sipi(struct mhv_vcpu *vcpu);
bool mhv_smp_wakes_halt(struct mhv_vcpu *vcpu);
void mhv_inject_nmi(struct mhv_vcpu *vcpu);
int mhv_handle_nmi_window(struct mhv_vcpu *vcpu, struct mhv_exit *exit);
long mhv_vcpu_get_mp_state(struct mhv_vcpu *vcpu, void __user *argp);
long mhv_vcpu_set_mp_state(struct mhv_vcpu *vcpu, void __user *argp);
long mhv_vcpu_nmi(struct mhv_vcpu *vcpu);

/* stats.c: binary statistics fds and the flight recorder */
long mhv_stats_get_fd(struct mhv_vm *vm, struct mhv_vcpu *vcpu);
long mhv_flight_get(struct mhv_vcpu *vcpu, void __user *argp);

/* dev/core.c: in-kernel devices; the two hooks return -ENODEV when no
 * device claims the access, else MHV_RESUME or MHV_TO_USER
 */
int mhv_dev_pio(struct mhv_vcpu *vcpu, const struct mhv_exit *exit,
		u8 *data, u32 n);
int mhv_dev_mmio(struct mhv_vcpu *vcpu, u64 gpa, u8 size, bool write,
		 u64 *val);
long mhv_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
u32 mhv_dev_console(struct mhv_vcpu *vcpu, bool ready_only);
bool mhv_dev_can_wake(struct mhv_vm *vm);
void mhv_dev_free_all(struct mhv_vm *vm);

#endif /* _MHV_H */
