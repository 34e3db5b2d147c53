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
#include <linux/const.h>

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
#define MHV_CAP_SVM		_BITULL(0)  /* CPUID reports SVM */
#define MHV_CAP_VMX		_BITULL(1)  /* CPUID reports VMX */
#define MHV_CAP_FW_DISABLED	_BITULL(2)  /* VM_CR.SVMDIS / FEATURE_CONTROL */
#define MHV_CAP_NESTED_PAGING	_BITULL(3)  /* NPT or EPT */
/* The CPU's second-level page sizes; the module itself maps 4K pages only. */
#define MHV_CAP_PAGE_2M		_BITULL(4)  /* CPU: 2M second-level pages */
#define MHV_CAP_PAGE_1G		_BITULL(5)  /* CPU: 1G second-level pages */
#define MHV_CAP_NRIPS		_BITULL(6)  /* SVM: next-RIP saved on exit */
#define MHV_CAP_DECODE_ASSISTS	_BITULL(7)  /* SVM: decode assists */
#define MHV_CAP_VMCB_CLEAN	_BITULL(8)  /* SVM: VMCB clean bits */
#define MHV_CAP_FLUSH_BY_ASID	_BITULL(9)  /* SVM: TLB flush by ASID */
#define MHV_CAP_UNRESTRICTED	_BITULL(10) /* VMX: unrestricted guest */
#define MHV_CAP_VPID		_BITULL(11) /* VMX: VPID */
#define MHV_CAP_NPT_5LEVEL	_BITULL(12) /* host uses 5-level paging */
#define MHV_CAP_IN_USE		_BITULL(13) /* another hypervisor has it on */
#define MHV_CAP_EPT_AD		_BITULL(14) /* VMX: EPT accessed/dirty */
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

/* ---- VM configuration (system fd: MHV_CREATE_VM) ----------------------- */

#define MHV_VM_NAME_LEN		32

enum mhv_arch {
	MHV_ARCH_X86_64		= 1,
};

/*
 * mhv_vm_config.features, as the guide's VmFeatures, reported in
 * mhv_vm_info.features. EDUCATIONAL, MONITORING and DEBUG are only stored:
 * they name what later versions will add. IRQCHIP gives the VM the PC's
 * interrupt controllers and timer.
 */
#define MHV_VM_F_EDUCATIONAL	_BITUL(0)  /* reserved: explain exits */
#define MHV_VM_F_MONITORING	_BITUL(1)  /* reserved: resource monitoring */
#define MHV_VM_F_DEBUG		_BITUL(2)  /* reserved: extra debug state */
/*
 * The PC interrupt controllers in the kernel: a local APIC per vCPU (xAPIC
 * at 0xfee00000 / x2APIC), an I/O APIC at 0xfec00000 (24 pins, GSI =
 * pin), two 8259 PICs (0x20-0x21, 0xa0-0xa1, ELCR 0x4d0-0x4d1) and an
 * 8254 PIT (0x40-0x43, port 0x61). MHV_CREATE_VM creates them; vCPUs
 * other than 0 start in MHV_MP_STATE_WAIT_SIPI.
 */
#define MHV_VM_F_IRQCHIP	_BITUL(3)
#define MHV_VM_F_ALL		(MHV_VM_F_EDUCATIONAL | MHV_VM_F_MONITORING | \
				 MHV_VM_F_DEBUG | MHV_VM_F_IRQCHIP)

struct mhv_vm_config {
	char  name[MHV_VM_NAME_LEN];	/* NUL-terminated, printable */
	__u32 vcpu_count;		/* 1 .. mhv_caps.max_vcpus */
	__u32 memory_mb;		/* 1 .. mhv_caps.max_mem_mb */
	__u32 arch;			/* enum mhv_arch */
	__u32 features;			/* MHV_VM_F_* */
	__u32 page_size;		/* enum mhv_page_size */
	__u32 pad2;			/* must be 0 */
	__u64 reserved[7];
};

/*
 * mhv_vm_config.page_size: the largest second-level page the module may
 * map guest memory with. Each range gets the largest page size at most
 * this that its slot and host backing allow (THP or hugetlbfs pages of
 * that size, with the same alignment in guest-physical and user-virtual
 * space), 4K otherwise. MHV_CREATE_VM refuses a size the CPU cannot map
 * (MHV_CAP_PAGE_2M/1G clear) with EOPNOTSUPP, an unknown value with
 * EINVAL.
 */
enum mhv_page_size {
	MHV_PAGE_SIZE_AUTO	= 0,	/* the largest the CPU can do */
	MHV_PAGE_SIZE_4K	= 1,	/* 4K pages only */
	MHV_PAGE_SIZE_2M	= 2,	/* 4K or 2M */
	MHV_PAGE_SIZE_1G	= 3,	/* 4K, 2M or 1G */
};

/* ---- VM fd ------------------------------------------------------------- */

enum mhv_vm_state {
	MHV_VM_CREATED		= 0,	/* MHV_RUN was never called */
	MHV_VM_RUNNING		= 1,	/* some vCPU is inside MHV_RUN */
	MHV_VM_PAUSED		= 2,	/* vCPUs have run, none runs now */
	MHV_VM_STOPPED		= 3,	/* MHV_STOP_VM: RUN returns at once
					 * with MHV_EXIT_STOPPED, for good
					 */
	MHV_VM_ERROR		= 4,	/* triple fault, failed entry, ... */
};

/* mhv_memory_region.flags */
#define MHV_MEM_READONLY	_BITUL(0)

#define MHV_MAX_MEM_SLOTS	32

/* Set (size != 0) or delete (size == 0) a slot of guest-physical memory. */
struct mhv_memory_region {
	__u32 slot;			/* 0 .. MHV_MAX_MEM_SLOTS - 1 */
	__u32 flags;			/* MHV_MEM_* */
	__u64 guest_phys_addr;		/* page aligned */
	__u64 size;			/* page aligned; 0 deletes the slot */
	__u64 userspace_addr;		/* page aligned, in the caller's mm */
	__u64 reserved[4];
};

/* Why a VM is in MHV_VM_ERROR (mhv_vm_info.error, run->fail.reason) */
enum mhv_error {
	MHV_ERR_NONE		= 0,
	MHV_ERR_TRIPLE_FAULT	= 1,	/* shutdown exit */
	MHV_ERR_ENTRY_FAILED	= 2,	/* VMRUN/VMLAUNCH refused the state */
	MHV_ERR_UNKNOWN_EXIT	= 3,	/* an exit the module cannot handle */
	MHV_ERR_INTERNAL	= 4,	/* emulation or memory failure */
};

struct mhv_vm_info {
	char  name[MHV_VM_NAME_LEN];
	__u32 state;			/* enum mhv_vm_state */
	__u32 error;			/* enum mhv_error when state == ERROR */
	__u64 error_code;		/* vendor exit code of the error */
	__u32 vcpu_count;		/* configured */
	__u32 vcpus_created;
	__u32 features;
	__u32 arch;
	__u64 memory_limit;		/* bytes, from the config */
	__u64 memory_allocated;		/* bytes registered in memory slots */
	__u64 memory_used;		/* bytes mapped (pinned) in the NPT/EPT */
	__u64 npf_count;		/* nested page faults handled */
	__u64 exits;			/* VM exits, all vCPUs */
	__u64 reserved[8];
};

#define MHV_STOP_GRACEFUL	0	/* vCPUs return at their next exit */
#define MHV_STOP_FORCE		1	/* vCPUs are kicked out now */

/* mhv_translate.prot */
#define MHV_PROT_READ		_BITUL(0)
#define MHV_PROT_WRITE		_BITUL(1)
#define MHV_PROT_EXEC		_BITUL(2)
#define MHV_PROT_USER		_BITUL(3)

/* Walk the VM's nested page tables for one guest-physical address. */
struct mhv_translate {
	__u64 gpa;			/* in */
	__u64 hpa;			/* out: host-physical address of gpa */
	__u64 page_size;		/* out: 4K, 2M or 1G; 0 = not mapped */
	__u32 prot;			/* out: MHV_PROT_* of the leaf */
	__u32 level;			/* out: level of the leaf (1 = 4K PTE) */
	__u32 slot;			/* out: memory slot, or ~0 */
	__u32 pad;
	__u64 reserved[4];
};

#define MHV_MAX_CPUID_ENTRIES	64

#define MHV_CPUID_F_INDEXED	_BITUL(0)	/* index (ECX) must match */

struct mhv_cpuid_entry {
	__u32 function;
	__u32 index;
	__u32 flags;			/* MHV_CPUID_F_* */
	__u32 eax, ebx, ecx, edx;
	__u32 pad;
};

/* The CPUID table the guest sees. Leaves absent from it read as zeros. */
struct mhv_cpuid {
	__u32 nent;
	__u32 pad;
	struct mhv_cpuid_entry entries[MHV_MAX_CPUID_ENTRIES];
};

/* ---- vCPU fd ------------------------------------------------------------ */

/* mhv_run.exit_reason */
enum mhv_exit_reason {
	MHV_EXIT_NONE		= 0,
	MHV_EXIT_IO		= 1,	/* port I/O: run->io */
	MHV_EXIT_MMIO		= 2,	/* access outside memory: run->mmio */
	MHV_EXIT_HLT		= 3,	/* guest executed HLT */
	MHV_EXIT_SHUTDOWN	= 4,	/* triple fault: VM is in ERROR */
	MHV_EXIT_FAIL_ENTRY	= 5,	/* entry refused: run->fail */
	MHV_EXIT_UNKNOWN	= 6,	/* unhandled exit: run->fail */
	MHV_EXIT_INTR		= 7,	/* signal or immediate_exit */
	MHV_EXIT_STOPPED	= 8,	/* MHV_STOP_VM */
	MHV_EXIT_INTERNAL_ERROR	= 9,	/* run->fail */
	MHV_EXIT_DEBUG_EXIT	= 10,	/* guest wrote a debug-exit device:
					 * run->debug_exit
					 */
	MHV_EXIT_IRQ_WINDOW_OPEN = 11,	/* request_interrupt_window was set
					 * and the guest can take one now
					 */
	MHV_EXIT_CONSOLE	= 12,	/* UART output waits in the run page */
	MHV_EXIT_RESET		= 13,	/* the guest asked for a reset through
					 * a reset device: run->reset
					 */
	MHV_EXIT_POWEROFF	= 14,	/* ACPI S5 (soft off) through the ACPI
					 * PM device: run->poweroff
					 */
	MHV_EXIT_NR
};

#define MHV_IO_IN		0
#define MHV_IO_OUT		1

struct mhv_run {
	/* in */
	__u8  immediate_exit;		/* nonzero: RUN returns -EINTR at once */
	__u8  request_interrupt_window;	/* nonzero: exit with
					 * MHV_EXIT_IRQ_WINDOW_OPEN as soon as
					 * the guest can take an interrupt
					 */
	/* out */
	__u8  ready_for_interrupt_injection; /* the guest can take one now:
					      * RFLAGS.IF set, no interrupt
					      * shadow, none pending
					      */
	__u8  if_flag;			/* the guest's RFLAGS.IF */
	__u8  pad0[4];
	/* out */
	__u32 exit_reason;		/* enum mhv_exit_reason */
	__u32 pad1;
	__u64 exit_rip;			/* guest RIP of the exiting instruction */
	__u64 exit_code;		/* vendor exit code (SVM/VMX), for teaching */
	union {
		/* MHV_EXIT_IO: data of count * size bytes at run + data_offset;
		 * OUT: filled by the module; IN: fill it before the next RUN.
		 */
		struct {
			__u8  direction;	/* MHV_IO_IN / MHV_IO_OUT */
			__u8  size;		/* 1, 2 or 4 */
			__u16 port;
			__u32 count;		/* > 1 for rep ins/outs */
			__u64 data_offset;
		} io;
		/* MHV_EXIT_MMIO: for a read, fill data before the next RUN. */
		struct {
			__u64 phys_addr;
			__u8  data[8];
			__u32 len;		/* 1, 2, 4 or 8 */
			__u8  is_write;
			__u8  pad[3];
		} mmio;
		/* FAIL_ENTRY, UNKNOWN, INTERNAL_ERROR, SHUTDOWN */
		struct {
			__u32 reason;		/* enum mhv_error */
			__u32 pad;
			__u64 code;		/* vendor exit code / error */
			__u64 info1;
			__u64 info2;
		} fail;
		/* MHV_EXIT_DEBUG_EXIT: the guest's exit status */
		struct {
			__u32 status;		/* the value written */
			__u32 device;		/* id of the debug-exit device */
			__u64 addr;		/* port or guest-physical address */
		} debug_exit;
		/* MHV_EXIT_RESET: a guest-requested reset, not an error */
		struct {
			__u32 value;		/* the byte written */
			__u32 device;		/* id of the reset device */
			__u64 addr;		/* its port: 0xcf9 or 0x64 */
		} reset;
		/* MHV_EXIT_POWEROFF: SLP_EN with SLP_TYP S5, not an error */
		struct {
			__u32 value;		/* the PM1a_CNT value written */
			__u32 device;		/* id of the ACPI PM device */
			__u64 addr;		/* its PM1a_CNT port */
		} poweroff;
		char padding[256];
	};
	/* out, on every return of MHV_RUN whatever the exit_reason: output
	 * of one UART, at run + MHV_RUN_CONSOLE_OFFSET; valid until the next
	 * MHV_RUN. MHV_EXIT_CONSOLE says only that a batch was ready.
	 */
	struct {
		__u32 len;		/* bytes, <= MHV_RUN_CONSOLE_MAX; 0: none */
		__u32 device;		/* id of the UART they came from */
		__u64 pos;		/* offset of the first byte in that
					 * UART's output stream (orders the
					 * batches of several vCPUs)
					 */
	} console;
	__u64 reserved[14];
};

#define MHV_RUN_IO_DATA_OFFSET	1024	/* where run->io data lives */
#define MHV_RUN_IO_DATA_MAX	2048	/* most bytes one I/O exit moves */
#define MHV_RUN_CONSOLE_OFFSET	3072	/* where run->console bytes live */
#define MHV_RUN_CONSOLE_MAX	1024	/* most bytes one return carries */

struct mhv_regs {
	__u64 rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11, r12, r13, r14, r15;
	__u64 rip, rflags;
	__u64 reserved[6];
};

struct mhv_segment {
	__u64 base;
	__u32 limit;
	__u16 selector;
	__u8  type;
	__u8  present, dpl, db, s, l, g, avl;
	__u8  unusable;
	__u8  pad;
};

struct mhv_dtable {
	__u64 base;
	__u16 limit;
	__u16 pad[3];
};

struct mhv_sregs {
	struct mhv_segment cs, ds, es, fs, gs, ss;
	struct mhv_segment tr, ldt;
	struct mhv_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 reserved[8];
};

#define MHV_MAX_MSR_ENTRIES	32

struct mhv_msr_entry {
	__u32 index;
	__u32 pad;
	__u64 data;
};

/* GET: nmsrs entries with index set; data filled. SET: index+data. */
struct mhv_msrs {
	__u32 nmsrs;
	__u32 pad;
	struct mhv_msr_entry entries[MHV_MAX_MSR_ENTRIES];
};

/* Text dump of the vendor control block (VMCB/VMCS) of a vCPU. */
struct mhv_state_dump {
	__u64 buf;			/* user pointer */
	__u32 size;			/* size of buf */
	__u32 len;			/* out: bytes written (without NUL) */
	__u64 reserved[2];
};

/* Per-vCPU counters (MHV_GET_VCPU_STATS), indexed by enum mhv_stat. */
enum mhv_stat {
	MHV_STAT_EXITS		= 0,	/* every VM exit */
	MHV_STAT_USER_EXITS	= 1,	/* returns to userspace */
	MHV_STAT_CPUID		= 2,
	MHV_STAT_HLT		= 3,
	MHV_STAT_IO		= 4,	/* port I/O exits (one per chunk) */
	MHV_STAT_IO_STRING	= 5,	/* ... of which ins/outs */
	MHV_STAT_MMIO		= 6,
	MHV_STAT_MSR_READ	= 7,
	MHV_STAT_MSR_WRITE	= 8,
	MHV_STAT_MSR_GP		= 9,	/* unknown MSR: #GP injected */
	MHV_STAT_NPF		= 10,	/* nested page faults filled */
	MHV_STAT_INTR		= 11,	/* host interrupt while in guest */
	MHV_STAT_NMI		= 12,
	MHV_STAT_SHUTDOWN	= 13,
	MHV_STAT_FAIL_ENTRY	= 14,
	MHV_STAT_UNKNOWN	= 15,
	MHV_STAT_SIGNAL		= 16,	/* RUN left for a signal */
	MHV_STAT_UD		= 17,	/* #UD injected (VMRUN, XSETBV, ...) */
	MHV_STAT_CR_WRITE	= 18,	/* MOV to CR0/CR4 checked by the module */
	MHV_STAT_CR_GP		= 19,	/* ... refused: #GP injected */
	MHV_STAT_DR_ACCESS	= 20,	/* MOV to/from DR0-DR7, emulated */
	MHV_STAT_DB		= 21,	/* #DB intercepted, given to the guest */
	MHV_STAT_AC		= 22,	/* #AC intercepted, given to the guest */
	MHV_STAT_MC		= 23,	/* machine check: the host's handler ran */
	MHV_STAT_CACHE		= 24,	/* INVD/WBINVD/WBNOINVD, skipped */
	MHV_STAT_RDPMC		= 25,	/* RDPMC: #GP injected */
	MHV_STAT_DEV_IO		= 26,	/* port I/O exits an in-kernel device
					 * completed (not in MHV_STAT_IO)
					 */
	MHV_STAT_DEV_MMIO	= 27,	/* MMIO exits an in-kernel device
					 * completed (not in MHV_STAT_MMIO)
					 */
	MHV_STAT_IRQ_INJECTED	= 28,	/* external interrupts delivered */
	MHV_STAT_EXC_INJECTED	= 29,	/* exceptions queued by MHV_QUEUE_EXCEPTION */
	MHV_STAT_IRQ_WINDOW	= 30,	/* interrupt-window exits */
	MHV_STAT_HALT_SLEEP	= 31,	/* HLT slept in the kernel */
	MHV_STAT_HALT_WAKEUP	= 32,	/* ... woken by an interrupt */
	MHV_STAT_REINJECT	= 33,	/* events an exit interrupted,
					 * delivered again
					 */
	MHV_STAT_CONSOLE	= 34,	/* MHV_EXIT_CONSOLE exits */
	MHV_STAT_NPF_4K		= 35,	/* nested page faults that mapped a
					 * 4K page ...
					 */
	MHV_STAT_NPF_2M		= 36,	/* ... a 2M page */
	MHV_STAT_NPF_1G		= 37,	/* ... a 1G page */
	/* 38..39: reserved */
	MHV_STAT_SKIP_NRIP	= 40,	/* instructions skipped to the next
					 * RIP the CPU saved (SVM NRIP save,
					 * I/O EXITINFO2; VT-x exit length)
					 */
	MHV_STAT_SKIP_DECODE	= 41,	/* ... to a length the module knew or
					 * decoded from the instruction
					 */
	MHV_STAT_INSN_ASSIST	= 42,	/* exits the CPU described (decode
					 * assists): instruction bytes, CR/DR
					 * register, string I/O segment; no
					 * fetch from guest memory
					 */
	MHV_STAT_VMRUN_CLEAN	= 43,	/* SVM: VMRUNs with VMCB clean bits */
	MHV_STAT_FLUSH_ASID	= 44,	/* SVM: TLB flushes of one ASID */
	MHV_STAT_APIC_IRQ	= 45,	/* interrupts the guest took from its
					 * local APIC (IRR to ISR)
					 */
	MHV_STAT_NMI_INJECTED	= 46,	/* NMIs delivered to the guest */
	MHV_STAT_PIC_ACK	= 47,	/* interrupts the 8259 PIC gave the
					 * vCPU (INTA cycles)
					 */
	MHV_STAT_NR
};

#define MHV_STATS_MAX		48

struct mhv_vcpu_stats {
	__u32 nr;			/* out: MHV_STAT_NR */
	__u32 pad;
	__u64 counters[MHV_STATS_MAX];	/* by enum mhv_stat */
	__u64 reserved[8];
};

/* MHV_INTERRUPT: an external interrupt for the guest. It is held until
 * the guest can take it (RFLAGS.IF set, no interrupt shadow) and then
 * delivered through the guest's IDT; a halted vCPU wakes up.
 */
struct mhv_interrupt {
	__u32 vector;			/* 32..255 */
	__u32 flags;			/* none defined, must be 0 */
	__u64 reserved[2];
};

/*
 * The run state of a vCPU (MHV_GET_MP_STATE / MHV_SET_MP_STATE), as the
 * SDM's "wait-for-SIPI" and HLT states. Documentation/api.rst.
 */
enum mhv_mp_run_state {
	MHV_MP_STATE_RUNNABLE	= 0,	/* RUN enters the guest */
	MHV_MP_STATE_WAIT_SIPI	= 1,	/* INIT received: RUN sleeps until a
					 * SIPI (or a signal, a stop)
					 */
	MHV_MP_STATE_HALTED	= 2,	/* after HLT, until an event */
	MHV_MP_STATE_SIPI_RECEIVED = 3,	/* set only: deliver a SIPI with
					 * sipi_vector (as KVM's)
					 */
};

struct mhv_mp_state {
	__u32 state;			/* enum mhv_mp_run_state */
	__u32 sipi_vector;		/* SIPI_RECEIVED: 0..255; else 0 */
	__u64 reserved[2];
};

/* MHV_QUEUE_EXCEPTION: an exception delivered at the next entry. */
#define MHV_EXC_F_ERROR_CODE	_BITUL(0)	/* error_code is pushed */

struct mhv_exception {
	__u32 vector;			/* 0..31, not 2 (NMI) or reserved */
	__u32 flags;			/* MHV_EXC_F_* */
	__u32 error_code;
	__u32 pad;
	__u64 reserved[2];
};

/* ---- binary statistics (MHV_GET_STATS_FD, MHV_GET_VCPU_STATS_FD) -------- */

/*
 * A stats fd reads as a file of four blocks: the header at offset 0, the
 * id string (NUL-terminated, MHV_STATS_ID_SIZE bytes) at id_offset,
 * num_desc descriptors of desc_size bytes each at desc_offset (struct
 * mhv_stats_desc, then its name of name_size bytes), and the data at
 * data_offset: data_size bytes of __u64 values. Header, id and
 * descriptors never change while the fd is open; read them once, then
 * pread() the data block as often as wanted, also while vCPUs run. Each
 * descriptor says where its values are in the data block, so a reader
 * needs no update when statistics are added.
 */
#define MHV_STATS_MAGIC		0x5356484dU	/* "MHVS", little endian */
#define MHV_STATS_ID_SIZE	64
#define MHV_STATS_NAME_SIZE	48

/* mhv_stats_desc.flags: type | unit | base */
#define MHV_STATS_TYPE_MASK	0x000fU
#define MHV_STATS_TYPE_COUNTER	0x0000U	/* cumulative: only grows */
#define MHV_STATS_TYPE_INSTANT	0x0001U	/* a value now: may go down */
#define MHV_STATS_TYPE_HIST_LOG2 0x0002U /* size buckets of log2 width:
					  * bucket i counts values in
					  * [2^i, 2^(i+1)); bucket 0 also
					  * 0, the last also all larger
					  */
#define MHV_STATS_UNIT_MASK	0x00f0U
#define MHV_STATS_UNIT_NONE	0x0000U	/* a number of events */
#define MHV_STATS_UNIT_BYTES	0x0010U
#define MHV_STATS_UNIT_SECONDS	0x0020U
#define MHV_STATS_BASE_MASK	0x0f00U
#define MHV_STATS_BASE_POW10	0x0000U	/* value * 10^exponent units */
#define MHV_STATS_BASE_POW2	0x0100U	/* value * 2^exponent units */

struct mhv_stats_header {
	__u32 magic;			/* MHV_STATS_MAGIC */
	__u32 flags;			/* none defined: 0 */
	__u32 name_size;		/* bytes of each name, NUL included */
	__u32 num_desc;			/* descriptors */
	__u32 id_offset;		/* of the id: "VMNAME" or "VMNAME/vcpuN" */
	__u32 desc_offset;		/* of the first descriptor */
	__u32 desc_size;		/* bytes per descriptor, name included */
	__u32 data_offset;		/* of the data block */
	__u32 data_size;		/* bytes of the data block */
	__u32 pad;
	__u64 reserved[3];
};

struct mhv_stats_desc {
	__u32 flags;			/* MHV_STATS_TYPE_|UNIT_|BASE_* */
	__s16 exponent;			/* value * base^exponent units */
	__u16 size;			/* __u64 values: 1, or the buckets */
	__u32 offset;			/* of the values, from data_offset */
	__u32 reserved;
	char  name[];			/* name_size bytes, NUL-terminated */
};

/* ---- flight recorder (MHV_GET_FLIGHT_RECORDER) --------------------------- */

/* Vendor-neutral exit types: what a flight recorder entry's type says. */
enum mhv_exit_type {
	MHV_X_UNKNOWN		= 0,
	MHV_X_CPUID		= 1,
	MHV_X_HLT		= 2,
	MHV_X_IO		= 3,
	MHV_X_MSR_READ		= 4,
	MHV_X_MSR_WRITE		= 5,
	MHV_X_NPF		= 6,	/* nested page fault / EPT violation */
	MHV_X_SHUTDOWN		= 7,	/* triple fault */
	MHV_X_INTR		= 8,	/* host interrupt: nothing to do */
	MHV_X_NMI		= 9,
	MHV_X_UD		= 10,	/* instruction the guest may not use */
	MHV_X_FAIL_ENTRY	= 11,	/* VMRUN/VMLAUNCH refused the state */
	MHV_X_CR		= 12,	/* MOV to CR0/CR4/CR8, from CR8, LMSW */
	MHV_X_DR		= 13,	/* MOV to/from DR0-DR7 */
	MHV_X_EXCEPTION		= 14,	/* intercepted #DB, #AC or #MC */
	MHV_X_CACHE		= 15,	/* INVD, WBINVD, WBNOINVD */
	MHV_X_RDPMC		= 16,
	MHV_X_IRQ_WINDOW	= 17,	/* the guest can take an interrupt */
	MHV_X_NMI_WINDOW	= 18,	/* the guest can take an NMI (VT-x
					 * NMI-window exit; SVM: IRET
					 * intercepted, or the single step
					 * after it done)
					 */
	MHV_X_NR
};

#define MHV_FLIGHT_ENTRIES	64

struct mhv_flight_entry {
	__u64 time_ns;			/* host clock at the exit (local_clock():
					 * only differences mean something)
					 */
	__u64 rip;			/* guest RIP of the exiting instruction */
	__u64 code;			/* vendor exit code (SVM/VMX) */
	__u64 info1;			/* vendor exit information */
	__u64 info2;
	__u32 type;			/* enum mhv_exit_type */
	__u32 pad;
};

/* mhv_flight_recorder.flags */
#define MHV_FLIGHT_F_FROZEN	_BITUL(0)	/* the VM is in ERROR: no
						 * exit is added any more
						 */

struct mhv_flight_recorder {
	__u32 nr;			/* out: entries, oldest first */
	__u32 flags;			/* out: MHV_FLIGHT_F_* */
	__u32 vcpu_id;			/* out */
	__u32 error;			/* out: the VM's enum mhv_error */
	__u64 total;			/* out: exits recorded in all */
	char  vm_name[MHV_VM_NAME_LEN];	/* out: the VM's name */
	struct mhv_flight_entry entries[MHV_FLIGHT_ENTRIES];
	__u64 reserved[4];
};

/* ---- in-kernel devices (VM fd) ------------------------------------------ */

enum mhv_dev_type {
	MHV_DEV_TYPE_NONE	= 0,
	MHV_DEV_TYPE_DEMO	= 1,	/* the guide's educational demo device */
	MHV_DEV_TYPE_DEBUG_EXIT	= 2,	/* a write ends the run with a status */
	MHV_DEV_TYPE_UART	= 3,	/* a 16550A-compatible UART */
	MHV_DEV_TYPE_TIMER	= 4,	/* a periodic interval timer */
	MHV_DEV_TYPE_EDU	= 5,	/* a DMA and interrupt teaching device */
	MHV_DEV_TYPE_RTC	= 6,	/* MC146818 CMOS/RTC (ports 0x70-0x71) */
	MHV_DEV_TYPE_RESET	= 7,	/* reset: port 0xcf9 or the 8042's 0x64 */
	MHV_DEV_TYPE_FWINFO	= 8,	/* firmware information for small guests */
	MHV_DEV_TYPE_PIC	= 9,	/* two cascaded 8259A and the ELCR
					 * (MHV_VM_F_IRQCHIP)
					 */
	MHV_DEV_TYPE_PIT	= 10,	/* 8254 PIT and port 0x61
					 * (MHV_VM_F_IRQCHIP)
					 */
	MHV_DEV_TYPE_IOAPIC	= 11,	/* I/O APIC, 24 pins (MHV_VM_F_IRQCHIP) */
	MHV_DEV_TYPE_ACPI_PM	= 12,	/* ACPI PM1a event/control, PM timer */
	MHV_DEV_TYPE_NR
};

/* Where a device's registers are: I/O ports or guest-physical memory. */
enum mhv_dev_space {
	MHV_DEV_SPACE_PIO	= 1,
	MHV_DEV_SPACE_MMIO	= 2,
};

/* What guest accesses a device accepts; refused ones are counted. */
enum mhv_dev_mode {
	MHV_DEV_MODE_RW		= 0,	/* reads and writes (default) */
	MHV_DEV_MODE_RO		= 1,	/* writes refused */
	MHV_DEV_MODE_DISABLED	= 2,	/* reads and writes refused */
	MHV_DEV_MODE_NR
};

#define MHV_MAX_DEVICES		16	/* per VM */
#define MHV_DEV_NAME_LEN	16
#define MHV_DEV_MAX_REGS	16
#define MHV_DEV_HIST_BUCKETS	32

/* The demo device (MHV_DEV_TYPE_DEMO): registers and status bits */
#define MHV_DEMO_STATUS		0x00	/* 32-bit */
#define MHV_DEMO_DATA		0x04	/* 16-bit */
#define MHV_DEMO_LED		0x08	/* 8-bit */
#define MHV_DEMO_SIZE		0x10	/* bytes of port or MMIO space */
#define MHV_DEMO_ST_ENABLE	_BITUL(0)	/* rw: the device works */
#define MHV_DEMO_ST_LED_ON	_BITUL(1)	/* ro: enabled and LED != 0 */
#define MHV_DEMO_ST_DATA_WRITTEN _BITUL(2)	/* w1c: DATA was written */
#define MHV_DEMO_ST_VERSION(s)	(((s) >> 8) & 0xff)	/* ro: 1 */
#define MHV_DEMO_VERSION	1

/* The debug-exit device (MHV_DEV_TYPE_DEBUG_EXIT): one register */
#define MHV_DEBUG_EXIT_STATUS	0x00	/* 8, 16 or 32-bit write */
#define MHV_DEBUG_EXIT_SIZE	0x04

/* The UART (MHV_DEV_TYPE_UART): 16550A registers, all 8-bit */
#define MHV_UART_COM1		0x3f8	/* the usual port base */
#define MHV_UART_SIZE		0x08
#define MHV_UART_FIFO_SIZE	16	/* receive FIFO bytes */
#define MHV_UART_BUF_SIZE	4096	/* output buffer; most input per call */

/* The interval timer (MHV_DEV_TYPE_TIMER): 32-bit registers but VECTOR */
#define MHV_TIMER_CTRL		0x00	/* MHV_TIMER_CTRL_* */
#define MHV_TIMER_PERIOD	0x04	/* microseconds, at least the minimum */
#define MHV_TIMER_VECTOR	0x08	/* 8-bit: 32..255, 0: no interrupt */
#define MHV_TIMER_TICKS		0x0c	/* ro: periods ended since enabled */
#define MHV_TIMER_SIZE		0x10
#define MHV_TIMER_CTRL_ENABLE	_BITUL(0)	/* counting; cleared after a
						 * one-shot period
						 */
#define MHV_TIMER_CTRL_ONESHOT	_BITUL(1)	/* one period, not periodic */
#define MHV_TIMER_MIN_PERIOD_US	200	/* shorter periods are raised to it
					 * (KVM's LAPIC timer minimum)
					 */
#define MHV_TIMER_MAX_PER_VM	1	/* a second timer: ENOSPC */
#define MHV_TIMER_RESET_PERIOD_US 1000

/*
 * The edu device (MHV_DEV_TYPE_EDU), after QEMU's edu: registers. Below
 * 0x80 only 32-bit accesses; the DMA registers take 32 or 64 bits (a
 * 32-bit write stores the value zero-extended).
 */
#define MHV_EDU_ID		0x00	/* ro: MHV_EDU_ID_VALUE */
#define MHV_EDU_LIVE		0x04	/* reads the inverse of the last write */
#define MHV_EDU_FACT		0x08	/* write n: n! (mod 2^32) comes back */
#define MHV_EDU_DELAY		0x0c	/* microseconds an operation takes */
#define MHV_EDU_STATUS		0x20	/* MHV_EDU_ST_* */
#define MHV_EDU_IRQ_STATUS	0x24	/* ro: interrupt causes raised */
#define MHV_EDU_IRQ_RAISE	0x60	/* wo: OR into IRQ_STATUS, interrupt */
#define MHV_EDU_IRQ_ACK		0x64	/* wo: clear from IRQ_STATUS */
#define MHV_EDU_DMA_SRC		0x80
#define MHV_EDU_DMA_DST		0x88
#define MHV_EDU_DMA_COUNT	0x90
#define MHV_EDU_DMA_CMD		0x98	/* MHV_EDU_DMA_* */
#define MHV_EDU_DMA_ERROR	0xa0	/* ro: enum mhv_edu_dma_error */
#define MHV_EDU_SIZE		0x100	/* bytes of port or MMIO space */
#define MHV_EDU_ID_VALUE	0x010000ed	/* version 1.0, 0xed */
#define MHV_EDU_ST_COMPUTING	_BITUL(0)	/* ro: a factorial is under way */
#define MHV_EDU_ST_DMA_BUSY	_BITUL(1)	/* ro: a DMA is under way */
#define MHV_EDU_ST_DMA_ERROR	_BITUL(2)	/* ro: the last DMA was refused */
#define MHV_EDU_ST_IRQ_FACT	_BITUL(7)	/* rw: interrupt when n! is done */
#define MHV_EDU_IRQ_FACT	0x001	/* IRQ_STATUS: a factorial is done */
#define MHV_EDU_IRQ_DMA		0x100	/* IRQ_STATUS: a DMA is done */
#define MHV_EDU_DMA_START	_BITUL(0)	/* start; reads 1 until done */
#define MHV_EDU_DMA_TO_RAM	_BITUL(1)	/* 0: RAM to device, 1: back */
#define MHV_EDU_DMA_IRQ		_BITUL(2)	/* raise MHV_EDU_IRQ_DMA when done */
#define MHV_EDU_BUF_ADDR	0x40000	/* the device's buffer, as DMA sees it */
#define MHV_EDU_BUF_SIZE	4096
#define MHV_EDU_DELAY_DEFAULT	1000	/* microseconds */
#define MHV_EDU_DELAY_MAX	1000000

/* MHV_EDU_DMA_ERROR: why the last DMA was refused (0: it was done) */
enum mhv_edu_dma_error {
	MHV_EDU_DMA_OK		= 0,
	MHV_EDU_DMA_ERR_COUNT	= 1,	/* count > MHV_EDU_BUF_SIZE */
	MHV_EDU_DMA_ERR_BUFFER	= 2,	/* device side outside the buffer */
	MHV_EDU_DMA_ERR_OVERFLOW = 3,	/* guest address + count wraps */
	MHV_EDU_DMA_ERR_NO_SLOT	= 4,	/* guest range not inside one slot */
	MHV_EDU_DMA_ERR_READONLY = 5,	/* into a read-only slot */
	MHV_EDU_DMA_ERR_FAULT	= 6,	/* the slot's user memory is gone */
};

/*
 * The CMOS/RTC (MHV_DEV_TYPE_RTC), an MC146818: an index port and a data
 * port, 8-bit. Bit 7 of a write to INDEX is the PC's NMI-disable bit; the
 * low 7 bits select one of MHV_RTC_NR_REGS bytes (clock registers 0x00-
 * 0x0d, CMOS RAM above). See Documentation/devices.rst.
 */
#define MHV_RTC_INDEX		0x00
#define MHV_RTC_DATA		0x01
#define MHV_RTC_SIZE		0x02
#define MHV_RTC_NMI_DISABLE	0x80	/* INDEX bit 7 */
#define MHV_RTC_NR_REGS		128
#define MHV_RTC_MAX_PER_VM	1

/*
 * The reset device (MHV_DEV_TYPE_RESET), one 8-bit register. At port
 * MHV_RESET_PORT_CF9 it is the reset control register: a write with bit
 * 2 (reset CPU) set, as 0x06 or 0x0e, resets. At any other port it is
 * the 8042 keyboard controller's command port (MHV_RESET_PORT_KBC): the
 * command MHV_RESET_KBC_PULSE resets. A reset ends MHV_RUN with
 * MHV_EXIT_RESET.
 */
#define MHV_RESET_CTRL		0x00
#define MHV_RESET_SIZE		0x01
#define MHV_RESET_PORT_CF9	0xcf9
#define MHV_RESET_PORT_KBC	0x64
#define MHV_RESET_CF9_RST_CPU	0x04
#define MHV_RESET_KBC_PULSE	0xfe

/*
 * The ACPI PM device (MHV_DEV_TYPE_ACPI_PM): the fixed hardware registers
 * of ACPI 6.4 section 4.8.3 in MHV_ACPI_PM_SIZE I/O ports, as the FADT of
 * mhv_acpi_build() describes them (Documentation/linux-boot.rst):
 *   +0 PM1a_EVT_BLK: PM1_STS (16 bits, write 1 to clear) at +0, PM1_EN
 *      at +2
 *   +4 PM1a_CNT_BLK: PM1_CNT (16 bits): SCI_EN (always 1: no SMM, the
 *      machine is in ACPI mode), SLP_TYP, SLP_EN. Writing SLP_EN with
 *      SLP_TYP = MHV_ACPI_PM_SLP_TYP_S5 ends MHV_RUN with
 *      MHV_EXIT_POWEROFF; other sleep types are ignored (no S1-S4).
 *   +8 PM_TMR_BLK: the 32-bit PM timer (FADT flag TMR_VAL_EXT), counting
 *      at MHV_ACPI_PM_TMR_HZ from the host's monotonic clock; read-only.
 */
#define MHV_ACPI_PM_PORT	0x600	/* where mhv run puts it: 0x600-0x60b */
#define MHV_ACPI_PM_SIZE	12
#define MHV_ACPI_PM1_EVT	0x00
#define MHV_ACPI_PM1_EVT_LEN	4
#define MHV_ACPI_PM1_STS	0x00
#define MHV_ACPI_PM1_EN		0x02
#define MHV_ACPI_PM1_CNT	0x04
#define MHV_ACPI_PM1_CNT_LEN	2
#define MHV_ACPI_PM_TMR		0x08
#define MHV_ACPI_PM_TMR_LEN	4
#define MHV_ACPI_PM_TMR_HZ	3579545
#define MHV_ACPI_PM1_STS_TMR	0x0001	/* PM1_STS: TMR_STS (bit 31 flipped) */
#define MHV_ACPI_PM1_STS_WAK	0x8000	/* PM1_STS: WAK_STS */
#define MHV_ACPI_PM1_CNT_SCI_EN	0x0001
#define MHV_ACPI_PM1_CNT_SLP_TYP_SHIFT 10	/* SLP_TYP: bits 12:10 */
#define MHV_ACPI_PM1_CNT_SLP_TYP 0x1c00
#define MHV_ACPI_PM1_CNT_SLP_EN	0x2000	/* write-only */
#define MHV_ACPI_PM_SLP_TYP_S5	5	/* the DSDT's \_S5 package */
#define MHV_ACPI_SCI_IRQ	9	/* ISA IRQ of the SCI (FADT SCI_INT) */
#define MHV_ACPI_PM_MAX_PER_VM	1

/*
 * The firmware-information device (MHV_DEV_TYPE_FWINFO): write an item
 * number to SELECT, read its value from DATA (both 32-bit).
 */
#define MHV_FWINFO_SELECT	0x00
#define MHV_FWINFO_DATA		0x04
#define MHV_FWINFO_SIZE		0x08
#define MHV_FWINFO_PORT		0x0510	/* where mhv run and the docs put it */
#define MHV_FWINFO_MAX_PER_VM	1
#define MHV_FWINFO_SIGNATURE_VALUE 0x4656484d	/* "MHVF" in memory */
#define MHV_FWINFO_VERSION_VALUE 1

/* MHV_FWINFO_SELECT: the items; DATA reads 0 for any other number */
enum mhv_fwinfo_item {
	MHV_FWINFO_SIGNATURE	= 0,	/* MHV_FWINFO_SIGNATURE_VALUE */
	MHV_FWINFO_VERSION	= 1,	/* MHV_FWINFO_VERSION_VALUE */
	MHV_FWINFO_RAM_MB	= 2,	/* mhv_vm_config.memory_mb */
	MHV_FWINFO_VCPUS	= 3,	/* mhv_vm_config.vcpu_count */
	MHV_FWINFO_BOOT		= 4,	/* boot order and flags: the only
					 * item a DATA write changes
					 */
	MHV_FWINFO_NR
};

/*
 * The 8259 PIC pair (MHV_DEV_TYPE_PIC) of MHV_VM_F_IRQCHIP: register
 * offsets of the one device, whose three port ranges are the master's,
 * the slave's and the ELCR's.
 */
#define MHV_PIC_MASTER_PORT	0x20
#define MHV_PIC_SLAVE_PORT	0xa0
#define MHV_PIC_ELCR_PORT	0x4d0
#define MHV_PIC_MASTER_CMD	0x00	/* port 0x20 */
#define MHV_PIC_MASTER_DATA	0x01	/* port 0x21 */
#define MHV_PIC_SLAVE_CMD	0x02	/* port 0xa0 */
#define MHV_PIC_SLAVE_DATA	0x03	/* port 0xa1 */
#define MHV_PIC_ELCR_MASTER	0x04	/* port 0x4d0 */
#define MHV_PIC_ELCR_SLAVE	0x05	/* port 0x4d1 */

/*
 * The 8254 PIT (MHV_DEV_TYPE_PIT) of MHV_VM_F_IRQCHIP: counters 0-2 and
 * the control word at 0x40-0x43, and port 0x61 (channel 2 gate, speaker,
 * OUT2) as a second port range of the same device, at offset 4.
 */
#define MHV_PIT_PORT		0x40
#define MHV_PIT_PORT_61		0x61
#define MHV_PIT_COUNTER0	0x00
#define MHV_PIT_COUNTER1	0x01
#define MHV_PIT_COUNTER2	0x02
#define MHV_PIT_CONTROL		0x03
#define MHV_PIT_PORT61		0x04
#define MHV_PIT_IRQ0_TICKS	0x05	/* 32-bit, read-only, the host's only:
					 * counter 0's terminal counts
					 */
#define MHV_PIT_FREQ_HZ		1193182
#define MHV_PIT_61_GATE2	_BITUL(0)	/* rw: channel 2 gate */
#define MHV_PIT_61_SPEAKER	_BITUL(1)	/* rw: speaker data */
#define MHV_PIT_61_REFRESH	_BITUL(4)	/* ro: toggles every 15 us */
#define MHV_PIT_61_OUT2		_BITUL(5)	/* ro: channel 2 output */

/* GSIs of MHV_VM_F_IRQCHIP: ISA IRQs 0-15 (the PIC) and I/O APIC pins */
#define MHV_IRQCHIP_NR_GSI	24

/* MHV_IRQ_LINE: set an interrupt line of the in-kernel irqchip. */
struct mhv_irq_level {
	__u32 gsi;			/* < MHV_IRQCHIP_NR_GSI */
	__u32 level;			/* 1: high (asserted), 0: low */
	__u64 reserved[2];
};

/* MHV_DEV_UART_READ_OUTPUT / MHV_DEV_UART_WRITE_INPUT */
struct mhv_uart_io {
	__u32 id;			/* the UART's device id */
	__u32 len;			/* bytes at data */
	__u64 data;			/* user pointer to the bytes */
	__u64 reserved[2];
};

/* mhv_device_create.flags */
#define MHV_DEV_F_IRQ_GSI	_BITUL(0)	/* irq_gsi is the device's
						 * interrupt line
						 */

struct mhv_device_create {
	__u32 type;			/* in: enum mhv_dev_type */
	__u32 space;			/* in: enum mhv_dev_space */
	__u64 base;			/* in: first port or guest-physical address */
	__u32 flags;			/* in: MHV_DEV_F_* */
	__u32 id;			/* out: the device's id */
	__u32 irq_vector;		/* in: the vector the device raises in
					 * vCPU 0, 32..255; 0: no interrupt
					 */
	__u32 pad;
	__u32 irq_gsi;			/* in, with MHV_DEV_F_IRQ_GSI and
					 * MHV_VM_F_IRQCHIP: the interrupt
					 * line (< MHV_IRQCHIP_NR_GSI) the
					 * device drives, instead of a vector
					 */
	__u32 pad2;
	__u64 reserved[2];
};

struct mhv_device_info {
	__u32 id;
	__u32 type;			/* enum mhv_dev_type */
	__u32 space;			/* enum mhv_dev_space */
	__u32 mode;			/* enum mhv_dev_mode */
	__u64 base;
	__u64 size;			/* bytes of port or MMIO space */
	char  name[MHV_DEV_NAME_LEN];	/* type name, NUL-terminated */
	__u64 reserved[4];
};

struct mhv_device_list {
	__u32 nr;			/* out: devices, ids 0 .. nr - 1 */
	__u32 pad;
	struct mhv_device_info devices[MHV_MAX_DEVICES];
	__u64 reserved[4];
};

/* mhv_device_reg_info.flags */
#define MHV_DEV_REG_F_RO	_BITUL(0)	/* writes have no effect */
#define MHV_DEV_REG_F_WO	_BITUL(1)	/* reads return 0 */

struct mhv_device_reg_info {
	char  name[MHV_DEV_NAME_LEN];
	__u32 offset;			/* from the device's base */
	__u8  width;			/* natural width in bytes */
	__u8  widths;			/* access sizes allowed: OR of 1, 2, 4, 8 */
	__u8  flags;			/* MHV_DEV_REG_F_* */
	__u8  pad;
	__u64 value;			/* current value (read without effects) */
};

struct mhv_device_desc {
	__u32 id;			/* in */
	__u32 nr_regs;			/* out */
	struct mhv_device_info info;	/* out */
	struct mhv_device_reg_info regs[MHV_DEV_MAX_REGS];	/* out */
	__u64 reserved[4];
};

/* A register access from the host (MHV_DEVICE_READ / MHV_DEVICE_WRITE) */
struct mhv_device_reg {
	__u32 id;
	__u32 offset;
	__u32 size;			/* 1, 2, 4 or 8; allowed by the register */
	__u32 pad;
	__u64 value;			/* in (write) or out (read) */
	__u64 reserved[2];
};

struct mhv_device_stats {
	__u32 id;			/* in */
	__u32 pad;
	__u64 reads;			/* guest reads that reached a register */
	__u64 writes;			/* guest writes that reached a register */
	__u64 err_offset;		/* no register at the offset */
	__u64 err_width;		/* a size the register does not allow */
	__u64 err_refused;		/* refused by the access mode */
	__u64 bytes_read;
	__u64 bytes_written;
	/* time each guest access took in the kernel, errors included */
	__u64 time_count;
	__u64 time_total_ns;
	__u64 time_mean_ns;
	__u64 time_min_ns;
	__u64 time_max_ns;
	/* hist[i]: accesses of [2^i, 2^(i+1)) ns; hist[0] also 0 ns, the
	 * last bucket everything longer
	 */
	__u64 hist[MHV_DEV_HIST_BUCKETS];
	__u64 err_dropped;		/* accepted, but the device dropped the
					 * data (a full buffer)
					 */
	__u64 reserved[6];
	__u64 dma_refused;		/* DMA commands the device refused */
};

struct mhv_device_mode {
	__u32 id;
	__u32 mode;			/* enum mhv_dev_mode */
	__u64 reserved[2];
};

/*
 * MHV_GET_LAPIC / MHV_SET_LAPIC (vCPU fd, VMs with MHV_VM_F_IRQCHIP): the
 * local APIC's register page as the xAPIC MMIO page lays it out (a
 * 32-bit register every 16 bytes, offset = register address), as
 * KVM_GET_LAPIC. In x2APIC mode the ID register holds the 32-bit x2APIC
 * ID.
 */
#define MHV_APIC_REGS_SIZE	1024
struct mhv_lapic_state {
	char regs[MHV_APIC_REGS_SIZE];
};

/* ---- system fd ioctls ---------------------------------------------- */

#define MHV_GET_API_VERSION	_IO(MHVIO, 0x00)
#define MHV_GET_CAPS		_IOR(MHVIO, 0x01, struct mhv_caps)
#define MHV_CREATE_VM		_IOW(MHVIO, 0x02, struct mhv_vm_config)
#define MHV_GET_RUN_SIZE	_IO(MHVIO, 0x03)	/* mmap size of a vCPU fd */

/* ---- VM fd ioctls ---------------------------------------------------- */

#define MHV_SET_MEMORY_REGION	_IOW(MHVIO, 0x10, struct mhv_memory_region)
#define MHV_CREATE_VCPU		_IO(MHVIO, 0x11)	/* arg: vCPU id */
#define MHV_GET_VM_INFO		_IOR(MHVIO, 0x12, struct mhv_vm_info)
#define MHV_STOP_VM		_IO(MHVIO, 0x13)	/* arg: MHV_STOP_* */
#define MHV_TRANSLATE		_IOWR(MHVIO, 0x14, struct mhv_translate)
#define MHV_SET_CPUID		_IOW(MHVIO, 0x15, struct mhv_cpuid)
#define MHV_GET_CPUID		_IOR(MHVIO, 0x16, struct mhv_cpuid)
#define MHV_GET_STATS_FD	_IO(MHVIO, 0x17)	/* returns a stats fd */
#define MHV_IRQ_LINE		_IOW(MHVIO, 0x18, struct mhv_irq_level)

/* ---- VM fd ioctls: in-kernel devices --------------------------------- */

#define MHV_CREATE_DEVICE	_IOWR(MHVIO, 0x30, struct mhv_device_create)
#define MHV_LIST_DEVICES	_IOR(MHVIO, 0x31, struct mhv_device_list)
#define MHV_DESCRIBE_DEVICE	_IOWR(MHVIO, 0x32, struct mhv_device_desc)
#define MHV_DEVICE_READ		_IOWR(MHVIO, 0x33, struct mhv_device_reg)
#define MHV_DEVICE_WRITE	_IOW(MHVIO, 0x34, struct mhv_device_reg)
#define MHV_GET_DEVICE_STATS	_IOWR(MHVIO, 0x35, struct mhv_device_stats)
#define MHV_RESET_DEVICE_STATS	_IO(MHVIO, 0x36)	/* arg: device id */
#define MHV_SET_DEVICE_MODE	_IOW(MHVIO, 0x37, struct mhv_device_mode)
#define MHV_RESET_DEVICE	_IO(MHVIO, 0x38)	/* arg: device id */
#define MHV_DEV_UART_READ_OUTPUT _IOW(MHVIO, 0x39, struct mhv_uart_io)
#define MHV_DEV_UART_WRITE_INPUT _IOW(MHVIO, 0x3a, struct mhv_uart_io)

/* ---- vCPU fd ioctls -------------------------------------------------- */

#define MHV_RUN			_IO(MHVIO, 0x20)
#define MHV_GET_REGS		_IOR(MHVIO, 0x21, struct mhv_regs)
#define MHV_SET_REGS		_IOW(MHVIO, 0x22, struct mhv_regs)
#define MHV_GET_SREGS		_IOR(MHVIO, 0x23, struct mhv_sregs)
#define MHV_SET_SREGS		_IOW(MHVIO, 0x24, struct mhv_sregs)
#define MHV_GET_MSRS		_IOWR(MHVIO, 0x25, struct mhv_msrs)
#define MHV_SET_MSRS		_IOW(MHVIO, 0x26, struct mhv_msrs)
#define MHV_GET_STATE_DUMP	_IOWR(MHVIO, 0x27, struct mhv_state_dump)
#define MHV_GET_VCPU_STATS	_IOR(MHVIO, 0x28, struct mhv_vcpu_stats)
#define MHV_INTERRUPT		_IOW(MHVIO, 0x29, struct mhv_interrupt)
#define MHV_QUEUE_EXCEPTION	_IOW(MHVIO, 0x2a, struct mhv_exception)
#define MHV_GET_VCPU_STATS_FD	_IO(MHVIO, 0x2b)	/* returns a stats fd */
#define MHV_GET_FLIGHT_RECORDER	_IOR(MHVIO, 0x2c, struct mhv_flight_recorder)
#define MHV_GET_MP_STATE	_IOR(MHVIO, 0x2d, struct mhv_mp_state)
#define MHV_SET_MP_STATE	_IOW(MHVIO, 0x2e, struct mhv_mp_state)
#define MHV_NMI			_IO(MHVIO, 0x2f)	/* inject an NMI */
#define MHV_GET_LAPIC		_IOR(MHVIO, 0x3b, struct mhv_lapic_state)
#define MHV_SET_LAPIC		_IOW(MHVIO, 0x3c, struct mhv_lapic_state)

/* ---- generic netlink: the trace channel and the VM list ----------------
 *
 * Family MHV_GENL_NAME, version MHV_GENL_VERSION, in the initial network
 * namespace. Documentation/tracing.rst describes the wire format.
 *
 * A socket sends MHV_NL_CMD_SUBSCRIBE (attributes MHV_NL_A_FILTER_*, all
 * optional) and from then on receives MHV_NL_CMD_EVENT messages by
 * unicast to its port id, filtered for it alone, or MHV_NL_CMD_EVENTS
 * batches of struct mhv_trace_record when it set MHV_NL_A_FORMAT to
 * MHV_TRACE_FMT_RECORDS; SUBSCRIBE again replaces the filter, UNSUBSCRIBE
 * or closing the socket ends it. MHV_NL_CMD_LIST_VMS
 * (a dump request) answers one MHV_NL_CMD_LIST_VMS message per VM. The
 * multicast group MHV_GENL_MCGRP_TRACE (CAP_NET_ADMIN to join) carries the
 * MHV_TRACE_VM (lifecycle) events of every VM, unfiltered.
 * Access rule: without CAP_NET_ADMIN a socket sees only VMs whose owner
 * (the effective uid that created them) is the socket's uid.
 */
#define MHV_GENL_NAME		"multios_hv"
#define MHV_GENL_VERSION	1
#define MHV_GENL_MCGRP_TRACE	"trace"

enum mhv_nl_cmd {
	MHV_NL_CMD_UNSPEC,
	MHV_NL_CMD_SUBSCRIBE,	/* do: subscribe or replace the filter */
	MHV_NL_CMD_UNSUBSCRIBE,	/* do: stop receiving events */
	MHV_NL_CMD_LIST_VMS,	/* dump: one message per VM */
	MHV_NL_CMD_EVENT,	/* kernel to user: one trace event */
	MHV_NL_CMD_EVENTS,	/* kernel to user: MHV_NL_A_RECORDS, a batch */
	__MHV_NL_CMD_MAX
};

#define MHV_NL_CMD_MAX		(__MHV_NL_CMD_MAX - 1)

/* MHV_NL_A_EVENT: what an MHV_NL_CMD_EVENT message reports */
enum mhv_trace_type {
	MHV_TRACE_NONE,
	MHV_TRACE_EXIT,		/* an exit, once handled */
	MHV_TRACE_ENTRY,	/* the vCPU enters the guest */
	MHV_TRACE_NPF,		/* nested page fault on guest memory */
	MHV_TRACE_DEV,		/* guest access to an in-kernel device */
	MHV_TRACE_INJECT,	/* interrupt or exception delivered */
	MHV_TRACE_VM,		/* VM lifecycle: MHV_NL_A_LIFECYCLE */
	MHV_TRACE_DROP,		/* MHV_NL_A_DROPPED events were lost */
	MHV_TRACE_NR
};

/* MHV_NL_A_EXIT_REASON: the vendor-neutral reason of an exit */
enum mhv_trace_exit {
	MHV_TRACE_X_UNKNOWN,
	MHV_TRACE_X_CPUID,
	MHV_TRACE_X_HLT,
	MHV_TRACE_X_IO,
	MHV_TRACE_X_MSR_READ,
	MHV_TRACE_X_MSR_WRITE,
	MHV_TRACE_X_NPF,	/* nested page fault (memory or MMIO) */
	MHV_TRACE_X_SHUTDOWN,	/* triple fault */
	MHV_TRACE_X_INTR,	/* host interrupt */
	MHV_TRACE_X_NMI,
	MHV_TRACE_X_UD,
	MHV_TRACE_X_FAIL_ENTRY,
	MHV_TRACE_X_CR,
	MHV_TRACE_X_DR,
	MHV_TRACE_X_EXCEPTION,
	MHV_TRACE_X_CACHE,
	MHV_TRACE_X_RDPMC,
	MHV_TRACE_X_IRQ_WINDOW,
	MHV_TRACE_X_NMI_WINDOW,
	MHV_TRACE_X_NR
};

/* MHV_NL_A_LIFECYCLE of an MHV_TRACE_VM event */
enum mhv_trace_vm {
	MHV_TRACE_VM_CREATED	= 1,
	MHV_TRACE_VM_STATE	= 2,	/* MHV_NL_A_STATE: the new state */
	MHV_TRACE_VM_DESTROYED	= 3,
	MHV_TRACE_VM_ERROR	= 4,	/* MHV_NL_A_ERROR, MHV_NL_A_EXIT_CODE */
};

/* MHV_NL_A_INJECT_KIND of an MHV_TRACE_INJECT event */
#define MHV_TRACE_INJ_IRQ	0	/* external interrupt */
#define MHV_TRACE_INJ_EXC	1	/* exception (MHV_QUEUE_EXCEPTION) */
#define MHV_TRACE_INJ_NMI	2	/* NMI (vector 2) */

/* MHV_NL_A_ACCESS of an MHV_TRACE_NPF event */
#define MHV_TRACE_ACC_WRITE	_BITUL(0)
#define MHV_TRACE_ACC_FETCH	_BITUL(1)
#define MHV_TRACE_ACC_PRESENT	_BITUL(2)	/* protection fault */
#define MHV_TRACE_ACC_MMIO	_BITUL(3)	/* no memory: MMIO */

/* MHV_NL_A_DROP_WHERE of an MHV_TRACE_DROP event */
#define MHV_TRACE_DROP_RING	0	/* the vCPU's buffer was full */
#define MHV_TRACE_DROP_SOCKET	1	/* the subscriber's socket was full */
#define MHV_TRACE_DROP_VMQ	2	/* the lifecycle queue was full */

/* MHV_NL_A_VCPU of events that belong to no vCPU */
#define MHV_TRACE_NO_VCPU	0xffffffffU

/* Most VM ids in MHV_NL_A_FILTER_VMS */
#define MHV_TRACE_MAX_FILTER_VMS	16

/*
 * Most subscriptions (sockets that sent MHV_NL_CMD_SUBSCRIBE) of one uid
 * without CAP_NET_ADMIN (more: EMFILE), and of all users (more: ENOSPC).
 */
#define MHV_TRACE_MAX_SUBS_PER_UID	16
#define MHV_TRACE_MAX_SUBS		256

enum mhv_nl_attr {
	MHV_NL_A_UNSPEC,
	MHV_NL_A_PAD,
	MHV_NL_A_EVENT,		/* u32 enum mhv_trace_type */
	MHV_NL_A_TIME_NS,	/* u64 ns since boot (local_clock()) */
	MHV_NL_A_VM_ID,		/* u32 stable id, see tracing.rst */
	MHV_NL_A_VCPU,		/* u32 vCPU id or MHV_TRACE_NO_VCPU */
	MHV_NL_A_EXIT_REASON,	/* u32 enum mhv_trace_exit */
	MHV_NL_A_RIP,		/* u64 */
	MHV_NL_A_EXIT_CODE,	/* u64 the vendor's exit code */
	MHV_NL_A_EXIT_INFO1,	/* u64 the vendor's exit information */
	MHV_NL_A_EXIT_INFO2,	/* u64 */
	MHV_NL_A_EXIT_ARG,	/* u64 CPUID: EAX | ECX << 32; MSR: ECX;
				 * I/O: port | size << 16 | in << 24
				 */
	MHV_NL_A_GPA,		/* u64 guest-physical address */
	MHV_NL_A_HANDLE_NS,	/* u64 ns from the exit to its handling done */
	MHV_NL_A_USER,		/* u8 1: handed to userspace, 0: kernel */
	MHV_NL_A_ACCESS,	/* u32 MHV_TRACE_ACC_* */
	MHV_NL_A_PAGES,		/* u64 pages the fault mapped */
	MHV_NL_A_DEV_ID,	/* u32 device id in its VM */
	MHV_NL_A_DEV_TYPE,	/* u32 enum mhv_dev_type */
	MHV_NL_A_OFFSET,	/* u64 register offset in the device */
	MHV_NL_A_WIDTH,		/* u32 access bytes: 1, 2, 4, 8 */
	MHV_NL_A_VALUE,		/* u64 value written or read */
	MHV_NL_A_WRITE,		/* u8 1: write, 0: read */
	MHV_NL_A_REFUSED,	/* u8 1: refused (mode, offset, width) */
	MHV_NL_A_VECTOR,	/* u32 */
	MHV_NL_A_INJECT_KIND,	/* u32 MHV_TRACE_INJ_* */
	MHV_NL_A_ERROR_CODE,	/* u32 exception error code */
	MHV_NL_A_LIFECYCLE,	/* u32 enum mhv_trace_vm */
	MHV_NL_A_STATE,		/* u32 enum mhv_vm_state */
	MHV_NL_A_ERROR,		/* u32 enum mhv_error */
	MHV_NL_A_DROPPED,	/* u64 events lost */
	MHV_NL_A_DROP_WHERE,	/* u32 MHV_TRACE_DROP_* */
	MHV_NL_A_FILTER_VMS,	/* binary: u32 VM ids (none: all VMs) */
	MHV_NL_A_FILTER_VCPUS,	/* u64 mask of vCPU ids (absent: all) */
	MHV_NL_A_FILTER_EVENTS,	/* u32 mask of 1 << enum mhv_trace_type */
	MHV_NL_A_FILTER_EXITS,	/* u64 mask of 1 << enum mhv_trace_exit */
	MHV_NL_A_VM_NAME,	/* string */
	MHV_NL_A_OWNER_PID,	/* u32 tgid of the creator */
	MHV_NL_A_OWNER_UID,	/* u32 effective uid of the creator */
	MHV_NL_A_VCPUS,		/* u32 vcpu_count of the config */
	MHV_NL_A_VCPUS_CREATED,	/* u32 */
	MHV_NL_A_MEM_LIMIT,	/* u64 bytes */
	MHV_NL_A_MEM_ALLOCATED,	/* u64 bytes in memory slots */
	MHV_NL_A_MEM_USED,	/* u64 bytes mapped */
	MHV_NL_A_DEVICES,	/* u32 in-kernel devices */
	MHV_NL_A_EXITS,		/* u64 exits so far */
	MHV_NL_A_FORMAT,	/* u32 MHV_TRACE_FMT_* (SUBSCRIBE) */
	MHV_NL_A_RECORD_SIZE,	/* u32 bytes of one record in MHV_NL_A_RECORDS */
	MHV_NL_A_RECORDS,	/* binary: struct mhv_trace_record[] */
	__MHV_NL_A_MAX
};

#define MHV_NL_A_MAX		(__MHV_NL_A_MAX - 1)

/* MHV_NL_A_FORMAT of SUBSCRIBE: how the events reach the socket */
#define MHV_TRACE_FMT_ATTRS	0	/* one MHV_NL_CMD_EVENT per event */
#define MHV_TRACE_FMT_RECORDS	1	/* MHV_NL_CMD_EVENTS: record arrays */
/*
 * As RECORDS, but an ENTRY right after an EXIT (the vCPU re-entered the
 * guest as the exit's handling ended) is not a record of its own when
 * the filter lets both through: the EXIT record says MHV_TRACE_F_ENTRY.
 */
#define MHV_TRACE_FMT_PAIRS	2

/*
 * One event in MHV_NL_A_RECORDS (MHV_TRACE_FMT_RECORDS), host byte order.
 * Records are MHV_NL_A_RECORD_SIZE bytes apart: a later version may add
 * fields at the end, never move these. What reason, aux, aux2 and a[]
 * hold depends on the type (Documentation/tracing.rst has the table);
 * what a type does not name below is zero:
 *
 * EXIT    reason: enum mhv_trace_exit; a: rip, exit code, info1, info2,
 *         arg, gpa (NPF), handle ns; flags: MHV_TRACE_F_USER
 * ENTRY   a: rip
 * NPF     aux: MHV_TRACE_ACC_*; a: gpa, pages, rip
 * DEV     reason: device id; aux: enum mhv_dev_type; aux2: width;
 *         a: offset, value; flags: MHV_TRACE_F_WRITE, _REFUSED
 * INJECT  reason: vector; aux: MHV_TRACE_INJ_*; a: error code, rip;
 *         flags: MHV_TRACE_F_ERROR_CODE
 * VM      reason: enum mhv_trace_vm; aux: enum mhv_vm_state; aux2: owner
 *         uid; a: enum mhv_error, exit code, then the name (32 bytes,
 *         NUL-padded) in a[2..5]
 * DROP    reason: MHV_TRACE_DROP_*; a: events lost
 */
struct mhv_trace_record {
	__u64 time_ns;		/* as MHV_NL_A_TIME_NS */
	__u32 vm_id;
	__u32 vcpu;		/* or MHV_TRACE_NO_VCPU */
	__u16 type;		/* enum mhv_trace_type */
	__u16 flags;		/* MHV_TRACE_F_* */
	__u32 reason;
	__u32 aux;
	__u32 aux2;
	__u64 a[7];
};

#define MHV_TRACE_F_USER	_BITUL(0)	/* EXIT: went on to userspace */
#define MHV_TRACE_F_WRITE	_BITUL(1)	/* DEV */
#define MHV_TRACE_F_REFUSED	_BITUL(2)	/* DEV */
#define MHV_TRACE_F_ERROR_CODE	_BITUL(3)	/* INJECT: a[0] is meaningful */
/*
 * EXIT (MHV_TRACE_FMT_PAIRS): stands for an ENTRY event too, at time_ns +
 * a[6] (the exit's handling time), at RIP aux | (__u64)aux2 << 32.
 */
#define MHV_TRACE_F_ENTRY	_BITUL(4)

#endif /* _UAPI_LINUX_MULTIOS_HV_H */
