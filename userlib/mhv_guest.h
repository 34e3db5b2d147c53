/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libmultios_hv - guests written as ordinary C functions.
 *
 * A program linked statically and without PIE (the selftests and the
 * examples are) can run its own functions as guest code: the loader
 * copies the program's loadable segments into guest memory at the same
 * addresses, builds identity-mapped long-mode page tables and a GDT, and
 * starts a vCPU at the function. Guest code must not call libc: it talks
 * to the host with GUEST_SYNC / GUEST_ASSERT / GUEST_DONE, a small call
 * over an I/O port (MHV_UCALL_PORT), like KVM's selftests do.
 *
 * Guest memory map (guest-physical = guest-virtual below 4 GiB):
 *   0x00001000  GDT                 0x00010000  page tables (6 pages)
 *   0x00002000  TSSs, 128 bytes each (only with mhv_guest_setup_idt())
 *   0x001c0000  exception stacks, 16 KiB each, downwards from 0x00200000
 *               (only with mhv_guest_setup_idt())
 *   0x00300000  vCPU stacks, 64 KiB each, downwards from 0x00400000
 *   0x00400000  the program (its PT_LOAD segments), then free memory
 *   anywhere the test chooses (a free page): the IDT, when it has one
 *   above the memory size: no slot, so accesses are MMIO exits
 *
 * Guest memory is mapped for the guest on demand: the first guest access
 * to a page takes a nested page fault, whatever the host wrote there
 * through g->mem. A test can rely on that to make a guest access (e.g. an
 * IDT read during event delivery) fault in the second-level tables.
 */
#ifndef _MHV_GUEST_H
#define _MHV_GUEST_H

#include <stddef.h>
#include <stdint.h>
#include <linux/multios_hv.h>

#define MHV_UCALL_PORT		0x1f00
#define MHV_GUEST_MAX_VCPUS	16
#define MHV_GUEST_GDT		0x1000ULL
#define MHV_GUEST_PT		0x10000ULL
#define MHV_GUEST_STACK_TOP	0x400000ULL
#define MHV_GUEST_STACK_SIZE	0x10000ULL
#define MHV_GUEST_CODE_SEL	0x08
#define MHV_GUEST_DATA_SEL	0x10
/* ring 3 (mhv_guest_enable_user()): selectors with RPL 3 */
#define MHV_GUEST_USER_DATA_SEL	0x1b
#define MHV_GUEST_USER_CODE_SEL	0x23
#define MHV_GUEST_TSS		0x2000ULL
#define MHV_GUEST_TSS_SIZE	0x80ULL
#define MHV_GUEST_EX_STACK_TOP	0x200000ULL
#define MHV_GUEST_EX_STACK_SIZE	0x4000ULL

enum mhv_ucall_cmd {
	MHV_UCALL_NONE = 0,
	MHV_UCALL_SYNC,		/* args[0..1]: values for the host */
	MHV_UCALL_ASSERT,	/* expr, file, line, args[0..1] */
	MHV_UCALL_DONE,
};

/* Lives on the guest stack; the host reads it through guest memory. */
struct mhv_ucall {
	uint64_t cmd;
	uint64_t args[4];
	const char *expr;	/* same address in guest and host */
	const char *file;
	uint64_t line;
};

static inline void mhv_guest_ucall(struct mhv_ucall *uc)
{
	__asm__ volatile("outl %%eax, %%dx"
			 : : "a"(0), "d"(MHV_UCALL_PORT), "D"(uc) : "memory");
}

#define GUEST_UCALL(_cmd, _a0, _a1, _expr) do {				\
	struct mhv_ucall __uc = {					\
		.cmd = (_cmd), .args = { (uint64_t)(_a0), (uint64_t)(_a1) }, \
		.expr = (_expr), .file = __FILE__, .line = __LINE__,	\
	};								\
	mhv_guest_ucall(&__uc);						\
} while (0)

#define GUEST_SYNC(v)		GUEST_UCALL(MHV_UCALL_SYNC, (v), 0, NULL)
#define GUEST_SYNC2(a, b)	GUEST_UCALL(MHV_UCALL_SYNC, (a), (b), NULL)
#define GUEST_DONE()		GUEST_UCALL(MHV_UCALL_DONE, 0, 0, NULL)
#define GUEST_ASSERT(e) do {						\
	if (!(e))							\
		GUEST_UCALL(MHV_UCALL_ASSERT, 0, 0, #e);		\
} while (0)
#define GUEST_ASSERT_EQ(a, b) do {					\
	uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b);		\
	if (__a != __b)							\
		GUEST_UCALL(MHV_UCALL_ASSERT, __a, __b, #a " == " #b);	\
} while (0)

struct mhv_guest_vcpu {
	int fd;
	struct mhv_run *run;
};

struct mhv_guest {
	int sys_fd;
	int vm_fd;
	uint8_t *mem;		/* guest-physical 0 .. mem_size */
	size_t mem_size;
	unsigned int nr_vcpus;
	struct mhv_guest_vcpu vcpu[MHV_GUEST_MAX_VCPUS];
	uint64_t idt_gpa;	/* 0: no IDT (mhv_guest_setup_idt()) */
	int user;		/* ring-3 descriptors (mhv_guest_enable_user()) */
	/*
	 * UART output: mhv_guest_run() hands every batch a return of
	 * MHV_RUN carries (mhv_run_console()) to @console, when set, with
	 * the vCPU's index; without it the bytes are dropped.
	 */
	void (*console)(void *arg, unsigned int vcpu, const void *data,
			size_t len);
	void *console_arg;
};

/* The VM's memory limit leaves this much beyond slot 0 for more slots. */
#define MHV_GUEST_EXTRA_MB	64

/*
 * Create a VM named @name with @nr_vcpus vCPUs and @mem_mb MiB of memory
 * in slot 0 at guest-physical 0 (limit @mem_mb + MHV_GUEST_EXTRA_MB),
 * load this program into it and put every vCPU in 64-bit mode at
 * @entry(@arg) on its own stack. The VM maps its memory with 4 KiB
 * second-level pages only (page_size 4k), so that one nested page fault
 * is taken per 4 KiB page first touched whatever the host backing.
 * Returns 0 or -errno; on failure nothing is left open.
 */
int mhv_guest_create(struct mhv_guest *g, const char *name,
		     unsigned int nr_vcpus, unsigned int mem_mb,
		     void (*entry)(uint64_t), uint64_t arg);
/*
 * The same with the VM created from @cfg (its vCPU count, memory limit,
 * page_size, ...); slot 0 still has @mem_mb MiB.
 */
int mhv_guest_create_config(struct mhv_guest *g,
			    const struct mhv_vm_config *cfg,
			    unsigned int mem_mb, void (*entry)(uint64_t),
			    uint64_t arg);
void mhv_guest_destroy(struct mhv_guest *g);

/* Point vCPU @i at @entry(@arg) with a fresh stack. */
int mhv_guest_set_entry(struct mhv_guest *g, unsigned int i,
			void (*entry)(uint64_t), uint64_t arg);

/* Host pointer for guest-physical @gpa, NULL outside memory. */
void *mhv_guest_ptr(struct mhv_guest *g, uint64_t gpa);

/* Copy a host global into the guest's copy of it (same address). */
int mhv_guest_sync_global(struct mhv_guest *g, const void *addr, size_t len);

/*
 * Run vCPU @i until it makes a guest call or exits for another reason.
 * Returns the ucall command (> 0) with *uc filled, 0 for any other exit
 * (look at the run page), or -errno from MHV_RUN. An MHV_EXIT_CONSOLE
 * is not returned: its bytes go to g->console and the vCPU runs on.
 */
int mhv_guest_run(struct mhv_guest *g, unsigned int i, struct mhv_ucall *uc);

/*
 * Called on vCPU @i's thread after each exit of mhv_guest_run_all(), with
 * what mhv_guest_run() would have returned (@r) and the guest call
 * (@uc, when @r > 0). Return 0 to run the vCPU on, anything else to end
 * the VM for all vCPUs.
 */
typedef int (*mhv_guest_exit_fn)(void *arg, struct mhv_guest *g,
				 unsigned int i, int r,
				 const struct mhv_ucall *uc);

/*
 * Run all vCPUs of @g, each on a thread of its own, as mhv_vm_run_all()
 * does (libmultios_hv.h): the first @fn that returns nonzero stops the VM
 * (MHV_STOP_VM) and its value is returned once every thread is done.
 * g->console is called from these threads.
 */
int mhv_guest_run_all(struct mhv_guest *g, mhv_guest_exit_fn fn, void *arg);

/*
 * The guest call @uc as one line into @buf (snprintf's return value). A
 * failed GUEST_ASSERT reads "guest assertion failed: EXPR at FILE:LINE
 * (0xA0, 0xA1)", the two values of GUEST_ASSERT_EQ (0 for GUEST_ASSERT).
 */
int mhv_ucall_format(const struct mhv_ucall *uc, char *buf, size_t size);

/* Identity long-mode state, for tests that change one thing of it. */
int mhv_guest_long_mode_sregs(struct mhv_sregs *s);

/*
 * ---- exceptions and interrupts in the guest -----------------------------
 *
 * Like KVM selftests' vm_install_exception_handler(): give the guest an
 * IDT whose 256 gates lead to small stubs in this library; a stub saves
 * the interrupted state as a struct mhv_ex_regs on the exception stack,
 * calls the C handler installed for the vector (if any), and returns with
 * IRETQ to whatever the handler left in the struct. Vectors that push no
 * error code (all but 8, 10-14, 17, 21, 29, 30) get a dummy 0, so every
 * handler sees the same layout.
 *
 * Every gate is a 64-bit interrupt gate (IF cleared on entry, and TF, NT,
 * RF, VM too, as the CPU does), DPL 3 (INT n works from ring 3 too), and
 * uses IST 1: each vCPU gets a TSS (MHV_GUEST_TSS + i * MHV_GUEST_TSS_SIZE)
 * whose IST1 and RSP0 are its own exception stack, so the CPU never pushes
 * into the 128-byte red zone of the interrupted C code. A consequence: an
 * exception inside a handler starts again at the top of the same stack
 * and overwrites the outer frame (handlers must not fault, as in KVM's
 * selftests; a deliberate #DB-on-#DB loop is fine, it never returns).
 *
 * A vector without a handler reports a guest assertion failure
 * ("unexpected exception", args: vector and RIP) and halts.
 *
 * Handlers are ordinary guest C code (no libc); they may use SSE
 * registers, which the stubs do not save: keep vector code out of the
 * instructions that fault.
 */
struct mhv_ex_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector;
	uint64_t error_code;	/* 0 for vectors without one */
	/* the CPU's frame: IRETQ returns to these, whatever the handler set */
	uint64_t rip, cs, rflags, rsp, ss;
};

typedef void (*mhv_ex_handler)(struct mhv_ex_regs *regs);

/*
 * Give every vCPU of @g an IDT at guest-physical @idt_gpa (one page,
 * page-aligned, inside guest memory and not used for anything else), a
 * TSS and an exception stack. The host writes the IDT through g->mem: the
 * guest's first access to the page (normally the first exception's
 * delivery) is a nested page fault. Applies to mhv_guest_set_entry() later
 * on too. Call it before the first RUN. Returns 0 or -errno.
 */
int mhv_guest_setup_idt(struct mhv_guest *g, uint64_t idt_gpa);

/*
 * Run @handler (guest code) for @vector; NULL removes it. Takes effect
 * at the guest's next exception (the table lives in guest memory).
 * Returns 0 or -errno (-EINVAL for a vector above 255).
 */
int mhv_guest_install_handler(struct mhv_guest *g, unsigned int vector,
			      mhv_ex_handler handler);

/*
 * Ring 3 for the guest: DPL-3 code (MHV_GUEST_USER_CODE_SEL) and data
 * (MHV_GUEST_USER_DATA_SEL) descriptors in the GDT and the U bit on every
 * identity mapping, so all memory stays reachable from ring 3. Call it
 * before the first RUN (the guest may cache the old tables). The guest
 * enters ring 3 with mhv_guest_enter_user() and comes back to ring 0 only
 * through an exception or INT n (so it needs mhv_guest_setup_idt()).
 */
int mhv_guest_enable_user(struct mhv_guest *g);

/*
 * Guest side: continue at the next instruction in ring 3, on the same
 * stack, with RFLAGS.IOPL 3 (so the ucalls, port I/O, keep working) and
 * the other flags unchanged. One way: there is no return to ring 0
 * except through the IDT.
 */
static inline void mhv_guest_enter_user(void)
{
	__asm__ volatile("movq %%rsp, %%rax\n\t"
			 "subq $128, %%rsp\n\t"	/* keep the red zone */
			 "pushq %[ss]\n\t"
			 "pushq %%rax\n\t"
			 "pushfq\n\t"
			 "orq $0x3000, (%%rsp)\n\t"	/* IOPL 3 */
			 "pushq %[cs]\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "iretq\n"
			 "1:"
			 : : [ss] "i"(MHV_GUEST_USER_DATA_SEL),
			     [cs] "i"(MHV_GUEST_USER_CODE_SEL)
			 : "rax", "memory", "cc");
}

#endif /* _MHV_GUEST_H */
